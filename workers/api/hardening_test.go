package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/workers/api"
)

// manyParts is a multipart body of n empty "file" parts, all named name
// (or name-<i> when unique).
func manyParts(t *testing.T, n int, name string, unique bool) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := range n {
		fn := name
		if unique {
			fn = fmt.Sprintf("%d-%s", i, name)
		}
		if _, err := mw.CreateFormFile("file", fn); err != nil {
			t.Fatal(err)
		}
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// cpuTime is the CPU this process has used: in user space, and in the
// kernel (the store's fsyncs).
func cpuTime(t *testing.T) (user, sys time.Duration) {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

// Finding 1: an upload of 5,000 parts is refused with a clear 413 that
// names the limit, as soon as the count passes it, and leaves nothing in
// the store.
func TestUploadTooManyFiles(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	body, ctype := manyParts(t, 5000, "a.png", false)
	size := body.Len()
	user0, sys0 := cpuTime(t)
	start := time.Now()
	resp := f.do("POST", "/api/v1/batches", tokArchivist, body, ctype)
	b := expect(t, resp, http.StatusRequestEntityTooLarge)
	wall := time.Since(start)
	user, sys := cpuTime(t)
	user, sys = user-user0, sys-sys0
	apiErr(t, b, "too_many_files")
	if want := fmt.Sprintf("more than %d files", api.DefaultMaxUploadFiles); !bytes.Contains(b, []byte(want)) {
		t.Errorf("answer %s: want it to say %q", b, want)
	}
	// The test process is the server and the client: this is what both
	// cost (the body was made before). The kernel time is the store's
	// fsyncs of the 2,000 parts taken before the count passed the limit
	// (it depends on the disk); the user time is the server's own work,
	// which quadratic name checks made seconds.
	t.Logf("5,000 parts (%d bytes): refused in %s; CPU %s user, %s kernel (server and client)", size,
		wall.Round(time.Millisecond), user.Round(time.Millisecond), sys.Round(time.Millisecond))
	if user > 2*time.Second {
		t.Errorf("refusing 5,000 parts took %s of user CPU", user)
	}
	if files := f.storeFiles(); len(files) != 0 {
		t.Errorf("the refused upload left %d files in the store", len(files))
	}
	f.waitAudit("the refusal", func(e api.AuditEvent) bool {
		return e.Action == api.ActionUpload && e.Status == 413 && strings.Contains(e.Error, "files")
	})
}

// Finding 1: duplicate names are made unique ("a (2).png") in one pass,
// never clashing with a name the upload already has.
func TestUploadDuplicateNames(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	png := pageImage(t, 100, 60)
	body, ctype := form(t, nil, file{"a.png", png}, file{"A.png", png}, file{"a (2).png", png}, file{"a.png", png}, file{"d/a.png", png})
	var up struct{ Sources []string }
	if err := json.Unmarshal(expect(t, f.do("POST", "/api/v1/batches", tokArchivist, body, ctype), http.StatusCreated), &up); err != nil {
		t.Fatal(err)
	}
	want := []string{"a.png", "A (2).png", "a (2) (2).png", "a (3).png", "d/a.png"}
	if strings.Join(up.Sources, "|") != strings.Join(want, "|") {
		t.Errorf("sources %q, want %q", up.Sources, want)
	}
	// The cap itself: the most files an upload may have all named alike.
	g := newFarm(t, farmOptions{config: func(c *api.Config) { c.MaxUploadFiles = 300 }})
	body2, ctype2 := manyParts(t, 300, "a.png", false)
	if err := json.Unmarshal(expect(t, g.do("POST", "/api/v1/batches", tokArchivist, body2, ctype2), http.StatusCreated), &up); err != nil {
		t.Fatal(err)
	}
	if len(up.Sources) != 300 || up.Sources[299] != "a (300).png" {
		t.Errorf("%d sources, last %q", len(up.Sources), up.Sources[len(up.Sources)-1])
	}
	body3, ctype3 := manyParts(t, 301, "b.png", true)
	apiErr(t, expect(t, g.do("POST", "/api/v1/batches", tokArchivist, body3, ctype3), http.StatusRequestEntityTooLarge), "too_many_files")
}

var _ = os.ReadFile
var _ = filepath.Join
