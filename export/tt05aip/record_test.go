package tt05aip

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr/docmeta"
)

func TestCodeTables(t *testing.T) {
	t.Parallel()
	want := map[string]int{FieldTypeName: 32, FieldLanguage: 11, FieldMaintenance: 7, FieldMode: 3, FieldConfidenceLevel: 3, FieldFormat: 3}
	got := map[string]int{}
	for _, tb := range Tables() {
		got[tb.Field] = len(tb.Codes)
		for i, c := range tb.Codes {
			if c.Code != twoDigits(i+1) {
				t.Errorf("%s: code %d is %q", tb.Field, i+1, c.Code)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("table sizes (-want +got):\n%s", diff)
	}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field, in, want string
	}{
		{FieldTypeName, "quyết định", "02"},
		{FieldTypeName, "QUYẾT ĐỊNH", "02"},
		{FieldTypeName, "Quyet dinh", "02"},
		{FieldTypeName, "công văn", "22"},
		{FieldTypeName, "  Công   văn ", "22"},
		{FieldTypeName, "bản thỏa thuận", "25"},
		{FieldTypeName, "bản thoả thuận", "25"}, // the other tone mark placement
		{FieldTypeName, "giấy ủy quyền", "16"},
		{FieldTypeName, "giấy uỷ quyền", "16"},
		{FieldTypeName, "bản vẽ kỹ thuật", "31"},
		{FieldTypeName, "2", "02"},
		{FieldTypeName, "32", "32"},
		{FieldTypeName, "33", ""},
		{FieldTypeName, "thông tư", ""}, // not in the table: no guess
		{FieldTypeName, "", ""},
		{FieldLanguage, "Tiếng Việt", "01"},
		{FieldLanguage, "vie", "01"},
		{FieldLanguage, "en", "02"},
		{FieldLanguage, "Việt - Anh", "06"},
		{FieldLanguage, "Việt–Pháp", "08"},
		{FieldLanguage, "Hán Nôm", "09"},
		{FieldMaintenance, "Vĩnh viễn", "01"},
		{FieldMaintenance, "vinh vien", "01"},
		{FieldMaintenance, "70 năm", "02"},
		{FieldMaintenance, "10", "06"}, // ten years: there is no code 10
		{FieldMaintenance, "7", "07"},
		{FieldMaintenance, "lâu dài", ""},
		{FieldMode, "công khai", "01"},
		{FieldMode, "Sử dụng có điều kiện", "02"},
		{FieldMode, "mật", "03"},
		{FieldMode, "MAT", "03"},
		{FieldConfidenceLevel, "số hóa", "02"},
		{FieldConfidenceLevel, "Số hoá", "02"},
		{FieldFormat, "hỏng", "03"},
		{FieldFormat, "bình thường", "02"},
	}
	for _, tt := range tests {
		tb, ok := TableOf(tt.field)
		if !ok {
			t.Fatalf("no table %s", tt.field)
		}
		got, ok := tb.Lookup(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s.Lookup(%q) = %q, %v; want %q", tt.field, tt.in, got, ok, tt.want)
		}
	}
}

// TestTypeCodeCoversDocmeta: every type ocr/docmeta can read maps onto
// the circular's table.
func TestTypeCodeCoversDocmeta(t *testing.T) {
	t.Parallel()
	for _, ty := range docmeta.Types() {
		if _, ok := TypeCode(ty.Name); !ok {
			t.Errorf("docmeta type %q has no typeName code", ty.Name)
		}
	}
	if c, _ := TypeCode(docmeta.CongVan); c != "22" {
		t.Errorf("công văn → %q", c)
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"05/03/2025", "05/03/2025"},
		{"5/3/2025", "05/03/2025"},
		{"2025-03-05", "05/03/2025"},
		{"05.03.2025", "05/03/2025"},
		{"05-03-2025", "05/03/2025"},
		{"29/02/2024", "29/02/2024"},
		{"03/2025", "03/2025"},
		{"2025", "2025"},
		{"29/02/2025", ""},
		{"31/04/2025", ""},
		{"13/2025", ""},
		{"00/01/2025", ""},
		{"05/03/25", ""},
		{"1700", ""},
		{"ngày 5 tháng 3 năm 2025", ""},
	}
	for _, tt := range tests {
		got, err := FormatDate(tt.in)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("FormatDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRecordFlags(t *testing.T) {
	t.Parallel()
	r, err := ParseRecordFlags([]string{
		"arcFileCode=LTLS.H49.64.33.2001.160",
		"title=Hồ sơ đất đai phường Hà Tu năm 2001",
		"maintenance=Vĩnh viễn",
		"MODE=công khai",
		"paperFileCode=LTLS.K2.G14.H160",
		"startDate=2001-01-05",
		"endDate=12/2001",
		"language=vie",
		"riskRecovery=có",
		"riskRecoveryStatus=01",
		"description=Người lập: Nguyễn Thị A\nghi chú = có dấu bằng",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Record{
		ArcFileCode: "LTLS.H49.64.33.2001.160", Title: "Hồ sơ đất đai phường Hà Tu năm 2001",
		Maintenance: "01", Mode: "01", PaperFileCode: "LTLS.K2.G14.H160",
		StartDate: "05/01/2001", EndDate: "12/2001", Language: "01",
		RiskRecovery: "1", RiskRecoveryStatus: "01",
		Description: "Người lập: Nguyễn Thị A\nghi chú = có dấu bằng",
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	if err := r.ValidateGiven(); err != nil {
		t.Errorf("ValidateGiven: %v", err)
	}
	if code, err := r.Code(); code != "LTLS.H49.64.33.2001.160" || err != nil {
		t.Errorf("Code() = %q, %v", code, err)
	}
}

func TestRecordErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		flags []string
		want  []string // every one must appear
	}{
		{"Missing", []string{"arcFileCode=A.1"}, []string{
			"title: is required (Tiêu đề hồ sơ)", "maintenance: is required", "mode: is required", "paperFileCode: is required"}},
		{"BadCode", []string{"arcFileCode=A.1", "title=T", "maintenance=vĩnh cửu", "mode=01", "paperFileCode=P"},
			[]string{`maintenance: "vĩnh cửu" is not a code of maintenance (01 Vĩnh viễn, 02 70 năm`}},
		{"UnknownKey", []string{"arcFileCode=A.1", "tittle=T"}, []string{"tittle: is not a record field; the keys are arcFileCode, title"}},
		{"Twice", []string{"arcFileCode=A.1", "arcfilecode=A.2"}, []string{"arcFileCode: is given twice"}},
		{"NotKV", []string{"arcFileCode"}, []string{"arcFileCode: is not KEY=VALUE"}},
		{"BadDate", []string{"startDate=31/04/2001"}, []string{`startDate: "31/04/2001" is not a date`}},
		{"EndBeforeStart", []string{"arcFileCode=A.1", "title=T", "maintenance=01", "mode=01", "paperFileCode=P", "startDate=2002", "endDate=2001"},
			[]string{`endDate: "2001" is before startDate 2002`}},
		{"Slash", []string{"arcFileCode=A/1", "title=T", "maintenance=01", "mode=01", "paperFileCode=P"},
			[]string{`arcFileCode: "A/1" has '/', which a file name must not have`}},
		{"FileCodeNotSuffix", []string{"arcFileCode=LT.H49.1", "fileCode=H50.1", "title=T", "maintenance=01", "mode=01", "paperFileCode=P"},
			[]string{`fileCode: "H50.1" is not the end of arcFileCode "LT.H49.1"`}},
		{"RiskStatus", []string{"arcFileCode=A.1", "title=T", "maintenance=01", "mode=01", "paperFileCode=P", "riskRecovery=1"},
			[]string{"riskRecoveryStatus: is required when riskRecovery is 1"}},
		{"TooLong", []string{"arcFileCode=A.1", "title=T", "maintenance=01", "mode=01", "paperFileCode=P", "inforSign=" + strings.Repeat("x", 31)},
			[]string{"inforSign: \"" + strings.Repeat("x", 31) + "\" is longer than the 30 characters the circular allows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := ParseRecordFlags(tt.flags)
			if err == nil {
				err = r.ValidateGiven()
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not say %q", err, w)
				}
			}
		})
	}
}

func TestRecordValidateForPackage(t *testing.T) {
	t.Parallel()
	r := testRecord(t)
	err := r.Validate()
	for _, w := range []string{"language: is required", "startDate: is required", "totalDoc: is required", "numberOfPage: is required", "confidenceLevel: is required"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() = %v, want it to say %q", err, w)
		}
	}
	// The farm's facts complete it; nothing the farm does not know is set.
	docs := []Document{{IssuedDate: "12/03/2024", NumberOfPage: "3"}, {IssuedDate: "", NumberOfPage: "2"}, {IssuedDate: "30/11/2024", NumberOfPage: "4"}}
	full := r.WithFarmDefaults("vie+eng").WithDocuments(docs)
	if err := full.Validate(); err != nil {
		t.Fatalf("completed record: %v", err)
	}
	if full.Language != "01" || full.ConfidenceLevel != "02" || full.TotalDoc != "3" || full.NumberOfPage != "9" ||
		full.StartDate != "12/03/2024" || full.EndDate != "30/11/2024" || full.NumberOfPaper != "" || full.RiskRecovery != "" {
		t.Errorf("completed record: %+v", full)
	}
	// Given values are kept.
	r.StartDate, r.Language = "2001", "02"
	if got := r.WithFarmDefaults("vie").WithDocuments(docs); got.StartDate != "2001" || got.Language != "02" {
		t.Errorf("given values replaced: %+v", got)
	}
	// No language the table knows: left empty.
	if got := (Record{}).WithFarmDefaults("tha"); got.Language != "" {
		t.Errorf("language %q invented for Thai", got.Language)
	}
}

func TestRecordMerge(t *testing.T) {
	t.Parallel()
	row := Record{ArcFileCode: "A.1", Title: "Từ mục lục", Mode: "01"}
	flags := Record{Title: "Từ dòng lệnh", Maintenance: "01"}
	got := row.Merge(flags)
	want := Record{ArcFileCode: "A.1", Title: "Từ dòng lệnh", Mode: "01", Maintenance: "01"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("merge (-want +got):\n%s", diff)
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	if got := DocFileName("H49.64.33.2001.160", 1); got != "H49.64.33.2001.160.1.pdf" {
		t.Errorf("DocFileName = %q", got)
	}
	if got := DocCode("H49.64.33.2001.160", 1); got != "H49.64.33.2001.160.0000001" {
		t.Errorf("DocCode = %q", got)
	}
	if got := DocCode("H49.64.33.2001.160", 137); got != "H49.64.33.2001.160.0000137" {
		t.Errorf("DocCode = %q", got)
	}
	if got := RecordFileName("H49.64.33.2001.160"); got != "H49.64.33.2001.160.pdf" {
		t.Errorf("RecordFileName = %q", got)
	}
	for _, ok := range []string{"H49.64.33.2001.160", "Phong_BNV", "LT-QN.H49", "Hồ-sơ.1"} {
		if err := CheckCode(ok); err != nil {
			t.Errorf("CheckCode(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "..", ".H49", "H49.", "H49..1", "a/b", `a\b`, "a b", "a\x00b", "../etc", "---", "a:b", strings.Repeat("x", 101)} {
		if err := CheckCode(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("CheckCode(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestNewDocument(t *testing.T) {
	t.Parallel()
	rec := testRecord(t).WithFarmDefaults("vie")
	d, err := NewDocument(rec, 2, 5, docmeta.Metadata{
		Document: true, Issuer: "UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO", Number: "1275/SGDĐT-KHTC",
		Date: "2024-08-06", Type: "công văn", Subject: "chuẩn bị cơ sở vật chất", Urgency: "KHẨN",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Document{
		ArcFileCode: "LTLS.H49.64.33.2001.160", Mode: "01", Language: "01", NumberOfPage: "5",
		ConfidenceLevel: "02", DocCode: "H49.64.33.2001.160.0000002", DocOrdinal: "2",
		TypeName: "22", CodeNumber: "1275", CodeNotation: "SGDĐT-KHTC", IssuedDate: "06/08/2024",
		OrganName: "SỞ GIÁO DỤC VÀ ĐÀO TẠO", Subject: "chuẩn bị cơ sở vật chất",
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	if err := d.Validate(2); err != nil {
		t.Errorf("Validate: %v", err)
	}

	// A page that is no document's first page gives no header fields,
	// and the document cannot go into a package until they are given.
	blank, err := NewDocument(rec, 3, 1, docmeta.Metadata{})
	if err != nil {
		t.Fatal(err)
	}
	if blank.TypeName != "" || blank.IssuedDate != "" || blank.Subject != "" {
		t.Errorf("fields invented: %+v", blank)
	}
	err = blank.Validate(3)
	for _, w := range []string{"document 3: typeName: is required", "document 3: issuedDate: is required", "document 3: organName: is required", "document 3: subject: is required"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate = %v, want %q", err, w)
		}
	}
	// The archivist gives them.
	for k, v := range map[string]string{"typeName": "Biên bản", "issuedDate": "2024-09-01", "organName": "SỞ NỘI VỤ", "subject": "Họp bàn giao"} {
		if err := blank.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := blank.Validate(3); err != nil || blank.TypeName != "20" || blank.IssuedDate != "01/09/2024" {
		t.Errorf("after Set: %+v, %v", blank, err)
	}
	if err := blank.Set("typeName", "thông tư"); err == nil || !strings.Contains(err.Error(), "is not a code of typeName") {
		t.Errorf("Set(thông tư) = %v", err)
	}
	if _, err := NewDocument(Record{}, 1, 1, docmeta.Metadata{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("NewDocument without a record code: %v", err)
	}
}

// TestFieldLists: the writers, the specs and the embedded schemas agree
// on the circular's field lists.
func TestFieldLists(t *testing.T) {
	t.Parallel()
	wantRec := []string{"arcFileCode", "title", "maintenance", "mode", "language", "startDate", "endDate", "keyword",
		"totalDoc", "numberOfPaper", "numberOfPage", "format", "inforSign", "confidenceLevel", "paperFileCode",
		"riskRecovery", "riskRecoveryStatus", "description"}
	wantDoc := []string{"arcFileCode", "mode", "language", "keyword", "numberOfPage", "format", "inforSign",
		"confidenceLevel", "description", "docCode", "docOrdinal", "typeName", "codeNumber", "codeNotation",
		"issuedDate", "organName", "subject", "autograph", "process"}
	if diff := cmp.Diff(wantRec, RecordFields()); diff != "" {
		t.Errorf("record fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDoc, DocumentFields()); diff != "" {
		t.Errorf("document fields (-want +got):\n%s", diff)
	}
	for file, want := range map[string][]string{"schemas/ead.xsd": wantRec, "schemas/ead_doc.xsd": wantDoc} {
		b, err := schemaFS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, part := range strings.Split(string(b), `<xs:element name="`)[2:] {
			got = append(got, part[:strings.IndexByte(part, '"')])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s elements (-want +got):\n%s", file, diff)
		}
	}
	var r Record
	var d Document
	for _, f := range RecordKeys() {
		if r.field(f) == nil {
			t.Errorf("Record has no field %s", f)
		}
	}
	for _, f := range wantDoc {
		if d.field(f) == nil {
			t.Errorf("Document has no field %s", f)
		}
	}
}
