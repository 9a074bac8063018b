package docmeta_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/docmeta"
)

// firstPage reads a first page as the farm has it after OCR.
func firstPage(path string) *ocr.Page {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	page, err := ocr.ParseHOCR(f)
	if err != nil {
		log.Fatal(err)
	}
	if ocr.LooksVietnamese(page) {
		ocr.FixColumns(page)
	}
	return page
}

func Example() {
	m := docmeta.Extract(firstPage("testdata/doc-12-nghi-quyet.hocr"))
	fmt.Printf("%q\n", m.Issuer)
	fmt.Println(m.Number, m.Date, m.Place)
	fmt.Println(m.Type, m.TypeCode, m.Normative())
	fmt.Println(m.Subject)
	// Output:
	// "HỘI ĐỒNG NHÂN DÂN\nTỈNH QUẢNG NINH"
	// 57/2025/NQ-HĐND 2025-03-05 Quảng Ninh
	// nghị quyết NQ true
	// Quy định chính sách hỗ trợ học sinh, giáo viên tại các xã đảo, xã đặc biệt khó khăn trên địa bàn tỉnh Quảng Ninh
}

func Example_notADocument() {
	m := docmeta.Extract(firstPage("testdata/nondoc-01-prose.hocr"))
	fmt.Println(m.Document, m.Number == "", m.Type == "", m.Confidence.Document)
	// Output:
	// false true true 0
}

func ExampleMetadata_NationalRecord() {
	m := docmeta.Extract(firstPage("testdata/doc-08-cong-van-khan.hocr"))
	b, err := json.MarshalIndent(m.NationalRecord(2, "vi"), "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// {
	//   "typeName": "Công văn",
	//   "typeCode": "",
	//   "codeNumber": "1275",
	//   "codeNotation": "SGDĐT-KHTC",
	//   "issuedDate": "2024-08-06",
	//   "organName": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
	//   "subject": "chuẩn bị cơ sở vật chất, thiết bị dạy học cho năm học 2024 - 2025",
	//   "numberOfPage": 2,
	//   "language": "vi"
	// }
}

func ExampleMetadata_CSVRow() {
	w := csv.NewWriter(os.Stdout)
	// The caller's own columns go first.
	if err := w.Write(append([]string{"document_id"}, docmeta.CSVHeader()[:7]...)); err != nil {
		log.Fatal(err)
	}
	m := docmeta.Extract(firstPage("testdata/doc-01-quyet-dinh.hocr"))
	if err := w.Write(append([]string{"b1/d0001"}, m.CSVRow(3, "vi")[:7]...)); err != nil {
		log.Fatal(err)
	}
	w.Flush()
	// Output:
	// document_id,document,issuer,number,date,place,type,type_code
	// b1/d0001,true,"ỦY BAN NHÂN DÂN
	// TỈNH QUẢNG NINH",15/2024/QĐ-UBND,2024-05-31,Quảng Ninh,quyết định,QĐ
}

// A stamp Tesseract left out of the page is read from its region.
func ExampleStampRegion() {
	page := firstPage("testdata/doc-03-cong-van-mat.hocr")
	m := docmeta.Extract(page)
	fmt.Printf("before: %q %v\n", m.Secrecy, m.Flags)
	if region, ok := docmeta.StampRegion(page); ok {
		_ = region // crop the page image to region and recognise it again; here, its stored result:
		m.AddStamps(firstPage("testdata/stamps/doc-03-cong-van-mat.psm3.hocr"))
	}
	fmt.Printf("after: %q %v\n", m.Secrecy, m.Flags)
	// Output:
	// before: "" []
	// after: "MẬT" [classified]
}
