package tt05aip

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ocr/docmeta"
)

// bigPackage is a record of 300 pages in 40 documents (20 of 7 pages and
// 20 of 8). Each PDF has 400 KB per page, between the farm's 200 dpi and
// 300 dpi greyscale JPEG pages (docs/pdf.md: 667 KB at 300 dpi), made on
// the fly while it is read, so only the exporter's own memory counts.
func bigPackage(b *testing.B) (Package, int64) {
	b.Helper()
	rec, err := ParseRecordFlags([]string{"arcFileCode=LTLS.H49.64.33.2001.160", "fileCode=H49.64.33.2001.160",
		"title=Hồ sơ ba trăm trang", "maintenance=01", "mode=01", "paperFileCode=LTLS.K2.G14.H160"})
	if err != nil {
		b.Fatal(err)
	}
	rec = rec.WithFarmDefaults("vie")
	var docs []Doc
	var metas []Document
	var total int64
	for i := range 40 {
		pages := 7 + i%2
		md := testHeaders[i%len(testHeaders)]
		md.Secrecy = ""
		d, err := NewDocument(rec, i+1, pages, md)
		if err != nil {
			b.Fatal(err)
		}
		pdf := fakePDF{seed: uint64(i), size: int64(pages) * 400_000}
		total += pdf.size
		metas = append(metas, d)
		docs = append(docs, Doc{Metadata: d, PDF: PDF{Open: pdf.open}})
	}
	return Package{Record: rec.WithDocuments(metas), Documents: docs}, total
}

// BenchmarkWrite300Pages exports a 300-page, 40-document record to
// io.Discard and reports the peak live heap during the export
// (peak-heap-MB, sampled every millisecond from runtime/metrics) beside
// the allocations per export.
func BenchmarkWrite300Pages(b *testing.B) {
	p, size := bigPackage(b)
	if n, _ := strconv.Atoi(p.Record.NumberOfPage); n != 300 {
		b.Fatalf("%d pages", n)
	}
	opt := testOptions
	b.SetBytes(size)
	b.ReportAllocs()
	runtime.GC()
	base := heapBytes()
	peak := base
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				peak = max(peak, heapBytes())
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Write(context.Background(), io.Discard, p, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-growth-MB")
}

// heapBytes is the heap's live and not yet swept objects, in bytes.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// BenchmarkNewDocument is the cost of deriving a document's fields from
// its header.
func BenchmarkNewDocument(b *testing.B) {
	rec := Record{ArcFileCode: "A.H49.1", Mode: "01", Language: "01"}
	md := docmeta.Metadata{Document: true, Issuer: "UBND TỈNH QUẢNG NINH\nSỞ NỘI VỤ", Number: "15/2024/QĐ-UBND",
		Date: "2024-03-12", Type: "quyết định", Subject: "Ban hành Quy định"}
	for b.Loop() {
		if _, err := NewDocument(rec, 7, 3, md); err != nil {
			b.Fatal(err)
		}
	}
}
