package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// The web console: plain HTML, CSS and JavaScript modules, embedded in the
// binary (no build step, nothing from a CDN).
//
//go:embed web
var webFS embed.FS

// asset is one embedded console file, with its content type and ETag.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

var startTime = time.Now()

// consoleRoutes serves the console: "/" is its page, /static/ its files.
func (s *Server) consoleRoutes(mux *http.ServeMux) {
	assets := map[string]asset{}
	fs.WalkDir(webFS, "web", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := webFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".svg":
			ctype = "image/svg+xml"
		case "":
			ctype = "application/octet-stream"
		}
		assets[p[len("web/"):]] = asset{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("ETag", a.etag)
		// Revalidate every time: a new binary's console is never mixed
		// with an old one's cached files.
		h.Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "", startTime, bytes.NewReader(a.body))
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { serve(w, r, "index.html") })
	mux.HandleFunc("GET /static/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "index.html" {
			http.NotFound(w, r)
			return
		}
		serve(w, r, name)
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { serve(w, r, "favicon.svg") })
}
