package source_test

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sohoa/sohoa/ocr/source"
)

// The split stage expands a zip into sources named "<zip>/<entry>"; unsafe
// entries come back refused, with the reason.
func ExampleReadArchive() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hop-12.zip")
	f, _ := os.Create(path)
	zw := zip.NewWriter(f)
	for _, name := range []string{"trang 01.tif", `scans\trang 02.tif`, "../../etc/passwd"} {
		w, _ := zw.Create(name)
		w.Write([]byte("II*\x00..."))
	}
	zw.Close()
	f.Close()

	refused, err := source.ReadArchive(path, source.Limits{}, func(e source.ArchiveEntry) error {
		n, err := io.Copy(io.Discard, e.Reader) // the worker stores it as a source instead
		fmt.Printf("hop-12.zip/%s: %d bytes\n", e.Name, n)
		return err
	})
	if err != nil {
		fmt.Println(err)
	}
	for _, r := range refused {
		fmt.Printf("refused %s: %s\n", r.Name, r.Reason)
	}
	// Output:
	// hop-12.zip/trang 01.tif: 7 bytes
	// hop-12.zip/scans/trang 02.tif: 7 bytes
	// refused ../../etc/passwd: the path climbs out of the archive (..)
}
