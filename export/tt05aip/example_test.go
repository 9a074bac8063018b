package tt05aip_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sohoa/sohoa/export/tt05aip"
	"github.com/sohoa/sohoa/ocr/docmeta"
)

// The farm's path from an archivist's --record flags to a package: check
// the record before anything is queued, fill in what the farm knows,
// derive each document's fields from its header, and write the zip.
func Example() {
	// sohoa run --record arcFileCode=... --record title=... (before queueing)
	rec, err := tt05aip.ParseRecordFlags([]string{
		"arcFileCode=LTLS.H49.64.33.2001.160", "fileCode=H49.64.33.2001.160",
		"title=Tập quyết định năm 2024", "maintenance=vĩnh viễn", "mode=công khai",
		"paperFileCode=LTLS.K2.G14.H160",
	})
	if err == nil {
		err = rec.ValidateGiven()
	}
	if err != nil {
		fmt.Println(err)
		return
	}

	// After OCR: the pages were read in Vietnamese, and grouped into two
	// documents (docmeta.GroupDocuments) whose first pages said this.
	rec = rec.WithFarmDefaults("vie")
	headers := []docmeta.Metadata{
		{Document: true, Issuer: "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH", Number: "15/2024/QĐ-UBND", Date: "2024-05-31",
			Type: "quyết định", Subject: "Ban hành Quy định quản lý hệ thống chiếu sáng công cộng"},
		{Document: true, Issuer: "ỦY BAN NHÂN DÂN\nHUYỆN VÂN ĐỒN", Number: "2587/UBND-NN", Date: "2024-10-28",
			Type: "công văn", Subject: "tăng cường phòng cháy, chữa cháy rừng"},
	}
	pages := []int{4, 2}
	var docs []tt05aip.Doc
	var metas []tt05aip.Document
	for i, h := range headers {
		d, err := tt05aip.NewDocument(rec, i+1, pages[i], h)
		if err != nil {
			fmt.Println(err)
			return
		}
		pdf := fmt.Sprintf("%%PDF-1.7 document %d", i+1) // the finalize stage's PDF/A
		metas = append(metas, d)
		docs = append(docs, tt05aip.Doc{Metadata: d, PDF: tt05aip.PDF{
			Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(pdf)), nil },
		}})
	}
	pkg := tt05aip.Package{Record: rec.WithDocuments(metas), Documents: docs}

	var zip bytes.Buffer
	res, err := tt05aip.Write(context.Background(), &zip, pkg, tt05aip.Options{
		Version: "1.4.0", Now: time.Date(2025, 6, 13, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Folder)
	for _, f := range res.Files {
		if !strings.HasPrefix(f.Path, "schemas/") {
			fmt.Println(f.Path)
		}
	}
	fmt.Println(metas[0].TypeName, metas[0].IssuedDate, metas[1].TypeName, metas[1].DocCode)
	// Output:
	// urn_uuid_08AA60BA-516C-5D90-912B-F2CA6716FAE6
	// representations/rep1/data/H49.64.33.2001.160.1.pdf
	// representations/rep1/data/H49.64.33.2001.160.2.pdf
	// representations/rep1/metadata/descriptive/EAD_DOC_H49.64.33.2001.160.1.xml
	// representations/rep1/metadata/descriptive/EAD_DOC_H49.64.33.2001.160.2.xml
	// representations/rep1/metadata/preservation/PREMIS_rep1.xml
	// representations/rep1/METS.xml
	// metadata/descriptive/EAD.xml
	// metadata/preservation/PREMIS.xml
	// documentation/README.txt
	// METS.xml
	// 02 31/05/2024 22 H49.64.33.2001.160.0000002
}
