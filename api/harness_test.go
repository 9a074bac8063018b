package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/internal/farmtest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/source"
)

// Tokens of the test farm.
const (
	tokArchivist = "arch-7Qm2vX9pL4tR8wK1"
	tokIngest    = "ingest-3Nf6hZ0bY5cJ2sD8"
	tokOperator  = "oper-1Gk9uE4qW7mA3xT6"
	nameArch     = "Nguyễn Thị Lan"
	nameIngest   = "Hệ thống Lưu trữ số"
	nameOperator = "Trần Văn Bình"
)

const tokensFile = `# sohoa test tokens
` + tokArchivist + ` archivist ` + nameArch + `
` + tokIngest + `   ingest    ` + nameIngest + `

` + tokOperator + ` operator ` + nameOperator + `
`

// Words the fake engine reads on every page; two under the review
// threshold (70).
var fakeWords = []ocr.Word{
	{Text: "Quyết", Conf: 96}, {Text: "định", Conf: 93}, {Text: "số", Conf: 41}, {Text: "2145/QĐ-UBND", Conf: 58},
	{Text: "về", Conf: 90}, {Text: "đất", Conf: 88}, {Text: "đai", Conf: 91},
}

// gate holds the fake engine's pages while it is closed (a batch that
// stays running).
type gate struct {
	mu sync.Mutex
	ch chan struct{} // nil: open
}

func (g *gate) hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch == nil {
		g.ch = make(chan struct{})
	}
}

func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
}

func (g *gate) wait(ctx context.Context) error {
	g.mu.Lock()
	ch := g.ch
	g.mu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fakeEngine reads every page as fakeWords on one line.
type fakeEngine struct{ gate *gate }

func (f *fakeEngine) Recognize(ctx context.Context, img []byte) (*ocr.Page, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return nil, err
	}
	if err := f.gate.wait(ctx); err != nil {
		return nil, err
	}
	ws := make([]ocr.Word, len(fakeWords))
	for i, w := range fakeWords {
		w.BBox = image.Rect(10+i*40, 10, 45+i*40, 30)
		ws[i] = w
	}
	return &ocr.Page{Width: cfg.Width, Height: cfg.Height, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{Words: ws}}}}}}}, nil
}
func (f *fakeEngine) Name() string { return "fake 1.0" }
func (f *fakeEngine) Close() error { return nil }

// farm is an API server over a real Redis, a real folder store and an
// in-process worker with the fake engine.
type farm struct {
	t     *testing.T
	srv   *api.Server
	http  *httptest.Server
	store string
	audit string
	// rdb is the farm's Redis (sessions, batch state).
	rdb redis.UniversalClient
	// auditLog is the server's audit log (at audit).
	auditLog *api.AuditLog
	// gate holds the pages in the fake engine while it is closed.
	gate *gate
}

type farmOptions struct {
	limits  source.Limits
	trusted []netip.Prefix
	// config changes the server's configuration before it is made.
	config func(*api.Config)
}

func newFarm(t *testing.T, o farmOptions) *farm {
	t.Helper()
	g := &gate{}
	t.Cleanup(g.open)
	ft := farmtest.Start(t, farmtest.Options{Limits: o.limits,
		NewEngine: func() (ocr.Engine, error) { return &fakeEngine{gate: g}, nil }})
	tokens, err := api.ParseTokens(strings.NewReader(tokensFile))
	if err != nil {
		t.Fatal(err)
	}
	auditPath := filepath.Join(ft.Dir, "audit.log")
	audit, err := api.OpenAuditLog(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspectorFromRedisClient(ft.Redis)
	cfg := api.Config{Uploader: ft.Uploader, Admin: ft.Admin, Reader: ft.Reader, Store: ft.Store, Inspector: insp, Redis: ft.Redis,
		Tokens: tokens, Audit: audit, Limits: o.limits, TrustedProxies: o.trusted,
		Logger: ft.Log, Poll: 200 * time.Millisecond, Heartbeat: 500 * time.Millisecond, Version: "test"}
	if o.config != nil {
		o.config(&cfg)
	}
	srv, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The server as sohoa serve runs it: its timeouts and connection limit.
	hs := httptest.NewUnstartedServer(nil)
	hs.Config = srv.HTTPServer()
	hs.Listener = srv.Listener(hs.Listener)
	hs.Start()
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
		insp.Close()
		audit.Close()
	})
	return &farm{t: t, srv: srv, http: hs, store: ft.StoreDir, audit: auditPath, gate: g, rdb: ft.Redis, auditLog: audit}
}

// do sends a request with a bearer token ("" for none).
func (f *farm) do(method, path, token string, body io.Reader, ctype string, hdr ...string) *http.Response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.http.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.http.Client().Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// expect checks a response's status and returns its body.
func expect(t *testing.T, resp *http.Response, status int) []byte {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, b)
	}
	return b
}

// apiErr decodes an error body and checks its code.
func apiErr(t *testing.T, b []byte, code string) {
	t.Helper()
	var e struct{ Error, Code string }
	if err := json.Unmarshal(b, &e); err != nil || e.Code != code || e.Error == "" {
		t.Errorf("error body %s: want code %q and a message", b, code)
	}
}

// file is one multipart file part.
type file struct {
	name string
	data []byte
}

// form builds a multipart body: fields first (in the order given, as
// name, value pairs), then the files.
func form(t *testing.T, fields []string, files ...file) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	for _, f := range files {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="file"; filename="%s"`, f.name)}
		h["Content-Type"] = []string{"application/octet-stream"}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// upload posts files as the archivist and returns the batch id.
func (f *farm) upload(fields []string, files ...file) string {
	f.t.Helper()
	body, ctype := form(f.t, fields, files...)
	b := expect(f.t, f.do("POST", "/api/v1/batches", tokArchivist, body, ctype), http.StatusCreated)
	var out struct{ ID string }
	if err := json.Unmarshal(b, &out); err != nil || out.ID == "" {
		f.t.Fatalf("upload answer %s", b)
	}
	return out.ID
}

// events reads the batch's event stream until its final event.
func (f *farm) events(id, token string, timeout time.Duration) []api.ProgressEvent {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.http.URL+"/api/v1/batches/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := f.http.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		f.t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out []api.ProgressEvent
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev api.ProgressEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			f.t.Fatalf("event %q: %v", data, err)
		}
		out = append(out, ev)
	}
	if len(out) == 0 || !out[len(out)-1].Final {
		f.t.Fatalf("event stream of %s ended without a final event (%v, %d events)", id, sc.Err(), len(out))
	}
	return out
}

var auditTimeRE = regexp.MustCompile(`^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z",`)

// auditLines reads the audit log; every line must be one JSON object.
func (f *farm) auditLines() []api.AuditEvent {
	f.t.Helper()
	b, err := os.ReadFile(f.audit)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []api.AuditEvent
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if line == "" {
			continue
		}
		var e api.AuditEvent
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			f.t.Fatalf("audit line %d is not one JSON object: %v\n%s", i+1, err, line)
		}
		if !auditTimeRE.MatchString(line) {
			f.t.Errorf("audit line %d does not start with an RFC 3339 UTC time: %s", i+1, line)
		}
		out = append(out, e)
	}
	return out
}

// waitAudit waits for an audit line matching match (the line is written
// just after the response).
func (f *farm) waitAudit(what string, match func(api.AuditEvent) bool) api.AuditEvent {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, e := range f.auditLines() {
			if match(e) {
				return e
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(f.audit)
			f.t.Fatalf("no audit line for %s in:\n%s", what, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// storeFiles lists the files in the store.
func (f *farm) storeFiles() []string {
	f.t.Helper()
	var out []string
	filepath.WalkDir(f.store, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// pageImage is a small PNG page: lines of character-sized marks, so
// cleanup takes it for text (not a blank page).
func pageImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetGray(x, y, color.Gray{Y: 250})
		}
	}
	for top := 20; top+16 < h-10; top += 32 {
		for left := 20; left+10 < w-20; left += 16 {
			for y := top; y < top+16; y++ {
				for x := left; x < left+10; x++ {
					img.SetGray(x, y, color.Gray{Y: 20})
				}
			}
		}
	}
	b, err := ocr.EncodePNG(img, 300, true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
