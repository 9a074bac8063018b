package source_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr/source"
)

// expand reads every entry fn is handed, and returns the names and sizes.
func expand(t *testing.T, data []byte, lim source.Limits) (map[string]int, []source.RefusedEntry, error) {
	t.Helper()
	got := map[string]int{}
	refused, err := source.ReadArchive(sourcetest.Write(t, "in.zip", data), lim, func(e source.ArchiveEntry) error {
		n, err := io.Copy(io.Discard, e.Reader)
		got[e.Name] = int(n)
		return err
	})
	return got, refused, err
}

func TestReadArchive(t *testing.T) {
	t.Parallel()
	page := []byte("II*\x00 pretend page")
	inner := sourcetest.Zip(t, sourcetest.ZipFile{Name: "x.tif", Data: page})
	data := sourcetest.Zip(t,
		sourcetest.ZipFile{Name: "hop 1/"},
		sourcetest.ZipFile{Name: "hop 1/trang 01.tif", Data: page},
		sourcetest.ZipFile{Name: "./hop 1//trang 02.tif", Data: page, Store: true},
		sourcetest.ZipFile{Name: `hop 2\trang 01.tif`, Data: page},
		sourcetest.ZipFile{Name: "../../x.tif", Data: page},
		sourcetest.ZipFile{Name: "hop 1/../../x.tif", Data: page},
		sourcetest.ZipFile{Name: "/etc/cron.d/x", Data: page},
		sourcetest.ZipFile{Name: `..\..\windows\x.tif`, Data: page},
		sourcetest.ZipFile{Name: `C:\x.tif`, Data: page},
		sourcetest.ZipFile{Name: "a\x00b.tif", Data: page},
		sourcetest.ZipFile{Name: "hop 1/trang 01.tif", Data: page},
		sourcetest.ZipFile{Name: "__MACOSX/hop 1/._trang 01.tif", Data: page},
		sourcetest.ZipFile{Name: "inner.zip", Data: inner},
		sourcetest.ZipFile{Name: "t\xeanh.tif", Data: page},
		sourcetest.ZipFile{Name: "a\u0085b.tif", Data: page},
		sourcetest.ZipFile{Name: "hoa don\u202egnp.exe", Data: page},
		sourcetest.ZipFile{Name: "hop/" + strings.Repeat("d", 256) + ".tif", Data: page},
		sourcetest.ZipFile{Name: strings.Repeat("hop/", 200) + "x.tif", Data: page},
	)
	got, refused, err := expand(t, data, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"hop 1/trang 01.tif": len(page), "hop 1/trang 02.tif": len(page), "hop 2/trang 01.tif": len(page), "t%EAnh.tif": len(page)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	wantRefused := []source.RefusedEntry{
		{Name: "../../x.tif", Reason: "the path climbs out of the archive (..)"},
		{Name: "hop 1/../../x.tif", Reason: "the path climbs out of the archive (..)"},
		{Name: "/etc/cron.d/x", Reason: "the path is absolute (it would be written outside the upload)"},
		{Name: `..\..\windows\x.tif`, Reason: "the path climbs out of the archive (..)"},
		{Name: `C:\x.tif`, Reason: "the path is absolute (it would be written outside the upload)"},
		{Name: "a\x00b.tif", Reason: "the name contains control characters"},
		{Name: "hop 1/trang 01.tif", Reason: "a second entry with the same name"},
		{Name: "__MACOSX/hop 1/._trang 01.tif", Reason: "operating-system metadata, not a scan (skipped)", Metadata: true},
		{Name: "inner.zip", Reason: "a zip inside the zip: nested archives are not expanded; upload the inner zip on its own"},
		{Name: "a\u0085b.tif", Reason: "the name contains control characters"},
		{Name: "hoa don\u202egnp.exe", Reason: "the name contains an invisible direction control, which makes it read other than it is"},
		{Name: "hop/" + strings.Repeat("d", 256) + ".tif", Reason: "a folder or file name in the path is longer than 255 bytes"},
		{Name: strings.Repeat("hop/", 200) + "x.tif", Reason: "the name is longer than 768 bytes"},
	}
	if diff := cmp.Diff(wantRefused, refused); diff != "" {
		t.Errorf("refused (-want +got):\n%s", diff)
	}
}

func TestReadArchiveLimits(t *testing.T) {
	t.Parallel()
	zeros := bytes.Repeat([]byte{0}, 4<<20) // deflates to a few KB
	many := make([]sourcetest.ZipFile, 30)
	for i := range many {
		many[i] = sourcetest.ZipFile{Name: strings.Repeat("a", i+1), Data: []byte("x")}
	}
	tests := []struct {
		name        string
		data        []byte
		lim         source.Limits
		sentinel    error
		want        string
		wantRefused string
	}{
		{"ZipBomb", sourcetest.Zip(t, sourcetest.ZipFile{Name: "a.tif", Data: zeros}, sourcetest.ZipFile{Name: "b.tif", Data: zeros}),
			source.Limits{MaxArchiveBytes: 6 << 20}, source.ErrLimit, "the zip expands to more than 6291456 bytes, the limit per archive", ""},
		{"EntryOverFileLimit", sourcetest.Zip(t, sourcetest.ZipFile{Name: "a.tif", Data: zeros}),
			source.Limits{MaxFileBytes: 1 << 20}, nil, "", "the file expands to more than 1048576 bytes, the limit per file"},
		{"EntryRatio", sourcetest.Zip(t, sourcetest.ZipFile{Name: "ok.tif", Data: []byte("II*\x00 page")}, sourcetest.ZipFile{Name: "bomb.tif", Data: make([]byte, 40<<20)}),
			source.Limits{}, nil, "", "the file expands to more than 200 times its compressed size"},
		{"OverlappingEntries", overlapping(t, zeros), source.Limits{}, source.ErrLimit, "the zip's entries share their data", ""},
		{"TooManyEntries", sourcetest.Zip(t, many...), source.Limits{MaxArchiveEntries: 20}, source.ErrLimit,
			"the zip has more than 20 entries, the limit per archive", ""},
		{"OfficeDocument", sourcetest.Zip(t, sourcetest.ZipFile{Name: "[Content_Types].xml", Data: []byte("<x/>")}, sourcetest.ZipFile{Name: "word/document.xml"}),
			source.Limits{}, source.ErrUnsupported, "an Office document (Word, Excel or PowerPoint), not a zip of scans", ""},
		{"NotAZip", []byte("PK\x03\x04 and then nothing"), source.Limits{}, source.ErrCorrupt, "damaged zip", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, refused, err := expand(t, tt.data, tt.lim)
			if tt.sentinel == nil && err != nil {
				t.Fatal(err)
			}
			if tt.sentinel != nil && (!errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("want %v containing %q, got %v", tt.sentinel, tt.want, err)
			}
			if tt.wantRefused != "" && (len(refused) != 1 || !strings.HasPrefix(refused[0].Reason, tt.wantRefused)) {
				t.Fatalf("want refused %q, got %+v", tt.wantRefused, refused)
			}
		})
	}
}

// overlapping is a zip whose second entry is made to point at the first
// one's data (the trick of zip bombs that reach any ratio with entries
// that each stay under it): its central directory record takes the
// first's offset, sizes, method and checksum.
func overlapping(t *testing.T, data []byte) []byte {
	t.Helper()
	z := sourcetest.Zip(t, sourcetest.ZipFile{Name: "a.tif", Data: data}, sourcetest.ZipFile{Name: "b.tif", Data: []byte("x")})
	first := bytes.Index(z, []byte("PK\x01\x02"))
	second := bytes.Index(z[first+4:], []byte("PK\x01\x02")) + first + 4
	if first < 0 || second <= first {
		t.Fatal("no central directory records")
	}
	copy(z[second+10:second+12], z[first+10:first+12]) // method
	copy(z[second+16:second+28], z[first+16:first+28]) // crc, compressed and uncompressed sizes
	copy(z[second+42:second+46], z[first+42:first+46]) // local header offset
	return z
}
