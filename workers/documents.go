package workers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/ocr/pdf"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// buildDocuments writes one searchable PDF per source document (its done
// pages in order, the cleaned image with the OCR text laid over it) and
// returns the documents for batch.json. A document whose PDF cannot be
// made is listed with its error; the batch goes on.
func (f *Stages) buildDocuments(ctx context.Context, m *batch.Manifest) ([]batch.Document, error) {
	var docs []batch.Document
	bySource := map[string][]batch.Page{}
	var order []string
	for _, p := range m.Pages {
		if _, ok := bySource[p.SourceID]; !ok {
			order = append(order, p.SourceID)
		}
		bySource[p.SourceID] = append(bySource[p.SourceID], p)
	}
	// One-page sources' documents were mostly made when their page was
	// read (prebuildDocument); the rest are independent: make them on
	// every core (finalize has the machine to itself once the pages are
	// done).
	early, err := f.tracker.Prebuilt(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*batch.Document, len(order))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.NumCPU())
	for i, srcID := range order {
		if pb, ok := early[srcID]; ok && pb.Usable(bySource[srcID]) {
			d := pb.Doc
			out[i] = &d
			continue
		}
		g.Go(func() error {
			d, err := f.buildDocument(gctx, m, srcID, bySource[srcID])
			out[i] = d
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, d := range out {
		if d != nil {
			docs = append(docs, *d)
		}
	}
	return docs, nil
}

// buildDocument makes one source's document: its metadata and its PDF.
// It returns nil when no page of the source was read.
func (f *Stages) buildDocument(ctx context.Context, m *batch.Manifest, srcID string, pages []batch.Page) (*batch.Document, error) {
	doc := batch.Document{Source: pages[0].Source, SourceID: srcID}
	var done []batch.Page
	var missing []string
	for _, p := range pages {
		doc.Pages = append(doc.Pages, p.ID)
		if p.Status == batch.StateDone {
			done = append(done, p)
		} else {
			missing = append(missing, fmt.Sprint(p.Index+1))
		}
	}
	if len(done) == 0 {
		return nil, nil // nothing was read: no document
	}
	if len(missing) > 0 {
		doc.Error = fmt.Sprintf("pages %s could not be read and are not in the PDF", strings.Join(missing, ", "))
	}
	if pages[0].Status == batch.StateDone {
		md, err := f.documentMetadata(ctx, pages[0])
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			f.log.Warn("document metadata", "batch", m.ID, "source", doc.Source, "error", err)
		} else if doc.Metadata, err = json.Marshal(md); err != nil {
			return nil, err
		} else {
			doc.Flags = md.Flags
		}
	}
	key := batch.DocumentKey(m.ID, srcID)
	sum, err := f.writePDF(ctx, m, doc.Source, done, key)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		f.log.Warn("searchable PDF failed", "batch", m.ID, "source", doc.Source, "error", err)
		doc.Error = "the searchable PDF could not be made: " + err.Error()
	} else {
		doc.PDF, doc.SHA256 = key, sum
	}
	return &doc, nil
}

// writePDF streams the PDF of pages into the store under key and returns its SHA-256.
func (f *Stages) writePDF(ctx context.Context, m *batch.Manifest, title string, pages []batch.Page, key string) (string, error) {
	pr, pw := io.Pipe()
	h := sha256.New()
	go func() {
		w, err := pdf.NewWriter(io.MultiWriter(pw, h), pdf.Meta{
			Title:    title,
			Subject:  m.Attrs["title"],
			Language: "vi",
			Producer: f.cfg.Producer,
			Creator:  f.cfg.Producer,
			Created:  m.Created,
		})
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		for _, p := range pages {
			page, err := f.pdfPage(ctx, p)
			if err == nil {
				err = w.AddPage(page)
			}
			if err != nil {
				pw.CloseWithError(fmt.Errorf("page %d: %w", p.Index+1, err))
				return
			}
		}
		pw.CloseWithError(w.Close())
	}()
	if err := f.store.Put(ctx, key, pr, storage.PutOptions{ContentType: "application/pdf", Size: -1}); err != nil {
		pr.CloseWithError(err)
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

// pdfPage loads a page's OCR result now and its image when the writer
// reaches it, so one page image is in memory at a time.
func (f *Stages) pdfPage(ctx context.Context, p batch.Page) (pdf.Page, error) {
	h, err := storage.ReadAll(ctx, f.store, p.HOCR)
	if err != nil {
		return pdf.Page{}, err
	}
	op, err := ocr.ParseHOCR(bytes.NewReader(h))
	if err != nil {
		return pdf.Page{}, err
	}
	if p.Color != "" {
		// A colour original: its colour version, embedded as it is.
		return pdf.Page{DPI: p.DPI, OCR: op, LoadJPEG: func() ([]byte, error) {
			return storage.ReadAll(ctx, f.store, p.Color)
		}}, nil
	}
	return pdf.Page{DPI: p.DPI, OCR: op, Load: func() (image.Image, error) {
		rc, err := f.store.Get(ctx, p.Image)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return png.Decode(rc)
	}}, nil
}

// documentMetadata reads the header of a document's first page (issuer,
// number, date, type, subject, marks) from its OCR result and its image
// (and colour version), which tell handwriting from print, and reads the
// stamp region again, on its own, for boxed marks (MẬT, KHẨN) that
// Tesseract leaves out of a whole-page reading.
func (f *Stages) documentMetadata(ctx context.Context, first batch.Page) (docmeta.Metadata, error) {
	h, err := storage.ReadAll(ctx, f.store, first.HOCR)
	if err != nil {
		return docmeta.Metadata{}, err
	}
	page, err := ocr.ParseHOCR(bytes.NewReader(h))
	if err != nil {
		return docmeta.Metadata{}, err
	}
	img, err := f.decodeImage(ctx, first.Image, png.Decode)
	if err != nil {
		return docmeta.Metadata{}, err
	}
	in := docmeta.Input{Gray: img, SourceName: first.Source}
	if first.Color != "" {
		if in.Color, err = f.decodeImage(ctx, first.Color, jpeg.Decode); err != nil {
			return docmeta.Metadata{}, err
		}
	}
	if f.digitEngines != nil {
		in.ReadDigits = func(img image.Image) string { return f.readDigits(ctx, img, first.DPI) }
	}
	md := docmeta.Read(page, in)
	region, ok := docmeta.StampRegion(page)
	if !ok || f.engines == nil {
		return md, nil
	}
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return md, nil
	}
	crop, err := ocr.EncodePNG(sub.SubImage(region.Intersect(img.Bounds())), first.DPI, true)
	if err != nil {
		return md, err
	}
	// A stamp is a block of one or two words: read it both as a page
	// (PSM 3) and as one uniform block (PSM 6); each finds marks the other
	// misses.
	for _, pool := range []*enginePool{f.engines, f.blockEngines} {
		if pool == nil {
			continue
		}
		eng, err := pool.get()
		if err != nil {
			return md, err
		}
		sp, err := eng.Recognize(ctx, crop)
		pool.put(eng)
		if err != nil {
			return md, err
		}
		md.AddStamps(sp)
	}
	return md, nil
}

// decodeImage reads and decodes a page image from the store.
func (f *Stages) decodeImage(ctx context.Context, key string, decode func(io.Reader) (image.Image, error)) (image.Image, error) {
	rc, err := f.store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	img, err := decode(rc)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", key, err)
	}
	return img, nil
}

// readDigits reads handwriting the header reader cut out, as digits. A
// failure only loses the second reading: it is logged, not returned.
func (f *Stages) readDigits(ctx context.Context, img image.Image, dpi int) string {
	b, err := ocr.EncodePNG(img, dpi, true)
	if err != nil {
		return ""
	}
	eng, err := f.digitEngines.get()
	if err != nil {
		f.log.Warn("reading handwriting again", "error", err)
		return ""
	}
	p, err := eng.Recognize(ctx, b)
	f.digitEngines.put(eng)
	if err != nil {
		f.log.Warn("reading handwriting again", "error", err)
		return ""
	}
	return strings.TrimSpace(p.Text())
}
