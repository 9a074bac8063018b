package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sohoa/sohoa/export/bagit"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// uploadOverhead is what a multipart body may hold besides the files'
// bytes (part headers, form fields) before the server stops reading it.
const uploadOverhead = 16 << 20

// maxFieldBytes bounds a form field (title, fonds, priority).
const maxFieldBytes = 1024

// uploadResponse is the body of a 201 to POST /batches.
type uploadResponse struct {
	ID      string   `json:"id"`
	Files   int      `json:"files"`
	Bytes   int64    `json:"bytes"`
	Sources []string `json:"sources"`
}

// upload streams a multipart/form-data body into a new batch: each "file"
// part goes straight into the store (never into memory), then the batch
// is committed. On any failure nothing stays in the store.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, rq *request) {
	limit := s.limits.MaxBatchBytes + uploadOverhead
	if r.ContentLength > limit {
		s.refuse(w, rq, http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("the upload is %d bytes, over the %d-byte limit per batch", r.ContentLength, s.limits.MaxBatchBytes))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.refuse(w, rq, http.StatusUnsupportedMediaType, "not_multipart", "send the files as multipart/form-data, in fields named \"file\"")
		return
	}
	ctx := r.Context()
	// Commit reads the attributes then: fields may come after the files.
	attrs := map[string]string{"priority": queue.PriorityNormal}
	up, err := s.uploader.NewUpload(farm.SubmitOptions{Attrs: attrs, Limits: s.limits})
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	committed := false
	defer func() {
		if !committed {
			up.Abort(context.WithoutCancel(ctx))
		}
	}()
	var names []string
	fields := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.uploadError(w, rq, "", &bodyError{err})
			return
		}
		switch field := part.FormName(); field {
		case "file":
			if len(names) == s.cfg.MaxUploadFiles {
				// Refused before the part is read: the rest of the body is
				// never parsed.
				s.refuse(w, rq, http.StatusRequestEntityTooLarge, "too_many_files",
					fmt.Sprintf("the upload has more than %d files, the limit per upload: send a zip of them (up to %d files per zip) or several batches",
						s.cfg.MaxUploadFiles, s.limits.MaxArchiveEntries))
				return
			}
			raw := partFileName(part)
			if raw == "" {
				s.refuse(w, rq, http.StatusBadRequest, "bad_request", "a \"file\" part has no filename")
				return
			}
			name, err := batch.CleanSourceName(raw)
			if err != nil {
				s.refuse(w, rq, http.StatusUnprocessableEntity, "bad_file_name", err.Error())
				return
			}
			body := &bodyReader{r: part}
			got, err := up.Add(ctx, name, body, -1) // checks the per-file and per-batch limits
			if err != nil {
				if body.err != nil && !errors.Is(err, source.ErrLimit) {
					err = &bodyError{body.err} // the client's body failed, not the store
				}
				s.uploadError(w, rq, name, err)
				return
			}
			names = append(names, got)
		case "title", "fonds", "priority":
			if fields[field] {
				s.refuse(w, rq, http.StatusBadRequest, "bad_request", fmt.Sprintf("the form field %s is given twice", field))
				return
			}
			fields[field] = true
			v, err := readField(part)
			if errors.Is(err, errFieldTooLong) || errors.Is(err, errFieldText) {
				s.refuse(w, rq, http.StatusBadRequest, "bad_request", fmt.Sprintf("field %s: %v", field, err))
				return
			}
			if err != nil {
				s.uploadError(w, rq, "", &bodyError{err})
				return
			}
			if v != "" {
				up.SetAttr(field, v)
			}
		default:
			s.refuse(w, rq, http.StatusBadRequest, "bad_request",
				fmt.Sprintf("unknown form field %q (want file, title, fonds, priority)", field))
			return
		}
		part.Close()
	}
	rq.files, rq.bytes = len(names), up.Bytes()
	if len(names) == 0 {
		s.refuse(w, rq, http.StatusBadRequest, "no_files", "the upload has no files (send them in fields named \"file\")")
		return
	}
	if p := up.Attr("priority"); p != queue.PriorityNormal && p != queue.PriorityHigh {
		s.refuse(w, rq, http.StatusBadRequest, "bad_request", fmt.Sprintf("priority %q: want normal or high", p))
		return
	}
	id, err := up.Commit(ctx)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	committed = true
	rq.batch = id
	w.Header().Set("Location", prefix+"/batches/"+id)
	writeJSON(w, http.StatusCreated, uploadResponse{ID: id, Files: len(names), Bytes: up.Bytes(), Sources: names})
}

// uploadError answers a failed upload (of file name, if one was being
// stored): 413 over a limit, 400 for a broken body, 500 otherwise. Only
// the server's own sentences reach the client: a store error (which
// names the store's paths) goes to the server's log.
func (s *Server) uploadError(w http.ResponseWriter, rq *request, name string, err error) {
	var mbe *http.MaxBytesError
	var be *bodyError
	switch {
	case s.slowBody(w, rq, err):
	case errors.As(err, &mbe):
		s.refuse(w, rq, http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("the upload is over the %d-byte limit per batch", s.limits.MaxBatchBytes))
	case errors.Is(err, source.ErrLimit):
		s.refuse(w, rq, http.StatusRequestEntityTooLarge, "too_large", limitMessage(name, err))
	case errors.As(err, &be):
		s.refuse(w, rq, http.StatusBadRequest, "bad_multipart", "the multipart body is malformed or was cut short"+be.detail())
	default:
		if name != "" {
			err = fmt.Errorf("%s: %w", name, err)
		}
		s.fail(w, rq, err)
	}
}

// bodyError is a failure to read the request body (the client's doing).
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "read the request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// detail is what the client may be told of the failure: the multipart
// parser's own message, never a path.
func (e *bodyError) detail() string {
	msg := e.err.Error()
	if !strings.HasPrefix(msg, "multipart: ") || len(msg) > 200 {
		return ""
	}
	return " (" + msg + ")"
}

// bodyReader remembers the error its reader (a part of the request body) gave.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
	}
	return n, err
}

// limitMessage is "<file>: <the limit passed>", without the store keys
// the wrapped error names on the way.
func limitMessage(name string, err error) string {
	msg := err.Error()
	if _, why, ok := strings.Cut(msg, source.ErrLimit.Error()+": "); ok {
		msg = why
	}
	if name != "" {
		msg = name + ": " + msg
	}
	return msg
}

// batchLimit fails a read once the batch passes its byte limit.
// partFileName is the part's filename as the client sent it, with its
// folders (multipart.Part.FileName keeps only the base name, but a
// browser's folder upload sends the path inside the folder).
func partFileName(p *multipart.Part) string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

var (
	errFieldTooLong = fmt.Errorf("longer than %d bytes", maxFieldBytes)
	errFieldText    = errors.New("not text (UTF-8 without control characters)")
)

// readField reads a small form field.
func readField(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFieldBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxFieldBytes {
		return "", errFieldTooLong
	}
	v := strings.TrimSpace(string(b))
	if !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return "", errFieldText
	}
	return v, nil
}

// batchSummary is one batch in GET /batches.
type batchSummary struct {
	ID       string         `json:"id"`
	Status   batch.Status   `json:"status"`
	Created  time.Time      `json:"created"`
	Updated  time.Time      `json:"updated"`
	Finished *time.Time     `json:"finished,omitempty"`
	Title    string         `json:"title,omitempty"`
	Fonds    string         `json:"fonds,omitempty"`
	Priority string         `json:"priority,omitempty"`
	Counts   progressCounts `json:"counts"`
}

// progressCounts are a batch's counts as the API shows them (in GET
// /batches, and flattened into each ProgressEvent).
type progressCounts struct {
	Sources   int `json:"sources"`
	Split     int `json:"split"`
	Pages     int `json:"pages"`
	Done      int `json:"done"`
	Failed    int `json:"failed"`
	Cancelled int `json:"cancelled"`
	Pending   int `json:"pending"`
}

func countsOf(p farm.Progress) progressCounts {
	return progressCounts{Sources: p.Sources, Split: p.Split, Pages: p.Pages, Done: p.Done, Failed: p.Failed,
		Cancelled: p.Cancelled, Pending: p.Pending}
}

type batchList struct {
	Total   int            `json:"total"`
	Offset  int            `json:"offset"`
	Limit   int            `json:"limit"`
	Batches []batchSummary `json:"batches"`
}

func (s *Server) listBatches(w http.ResponseWriter, r *http.Request, rq *request) {
	offset, err1 := queryInt(r, "offset", 0, 0, 1<<31-1)
	limit, err2 := queryInt(r, "limit", 50, 1, 500)
	if err := errors.Join(err1, err2); err != nil {
		s.refuse(w, rq, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	list, total, err := s.reader.Batches(r.Context(), offset, limit)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	out := batchList{Total: total, Offset: offset, Limit: limit, Batches: []batchSummary{}}
	for _, b := range list {
		sum := batchSummary{ID: b.ID, Status: b.Progress.Status, Created: b.Times.Created, Updated: b.Times.Updated,
			Title: b.Attrs["title"], Fonds: b.Attrs["fonds"], Priority: b.Attrs["priority"], Counts: countsOf(b.Progress)}
		if !b.Times.Finished.IsZero() {
			sum.Finished = &b.Times.Finished
		}
		out.Batches = append(out.Batches, sum)
	}
	writeJSON(w, http.StatusOK, out)
}

func queryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q: want a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

func (s *Server) getBatch(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	m, err := s.manifest(r.Context(), id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// manifest is the batch's live manifest, or its batch.json in the store
// when Redis no longer knows the batch.
func (s *Server) manifest(ctx context.Context, id string) (*batch.Manifest, error) {
	return s.reader.Manifest(ctx, id)
}

// storedManifest is the batch's batch.json in the store.
func (s *Server) storedManifest(ctx context.Context, id string) (*batch.Manifest, error) {
	m, err := batch.Read(ctx, s.store, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("batch %s: %w", id, farm.ErrUnknownBatch)
	}
	return m, err
}

// batchParam is the {id} of the path; an id that cannot be a batch id is
// answered 404 at once (it never reaches Redis or the store).
func (s *Server) batchParam(w http.ResponseWriter, r *http.Request, rq *request) (string, bool) {
	id := r.PathValue("id")
	if !batch.ValidID(id) {
		s.refuse(w, rq, http.StatusNotFound, "unknown_batch", "no such batch")
		return "", false
	}
	rq.batch = id
	return id, true
}

// indexParam is the {n} of the path: a 0-based position.
func (s *Server) indexParam(w http.ResponseWriter, r *http.Request, rq *request) (int, bool) {
	v := r.PathValue("n")
	if v == "" || len(v) > 7 || strings.Trim(v, "0123456789") != "" {
		s.refuse(w, rq, http.StatusBadRequest, "bad_index", "the index must be a whole number from 0")
		return 0, false
	}
	n, _ := strconv.Atoi(v)
	return n, true
}

// page finds the page {n} of batch {id} in the live manifest.
func (s *Server) page(w http.ResponseWriter, r *http.Request, rq *request) (*batch.Manifest, *batch.Page, bool) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return nil, nil, false
	}
	n, ok := s.indexParam(w, r, rq)
	if !ok {
		return nil, nil, false
	}
	m, err := s.manifest(r.Context(), id)
	if err != nil {
		s.fail(w, rq, err)
		return nil, nil, false
	}
	if n >= len(m.Pages) {
		s.refuse(w, rq, http.StatusNotFound, "unknown_page", fmt.Sprintf("batch %s has %d pages (0 to %d); there is no page %d", id, len(m.Pages), len(m.Pages)-1, n))
		return nil, nil, false
	}
	pg := &m.Pages[n]
	rq.page = pg.ID
	return m, pg, true
}

// pageFile serves one output of a page: alto, hocr, image or color.
func (s *Server) pageFile(kind string) func(http.ResponseWriter, *http.Request, *request) {
	return func(w http.ResponseWriter, r *http.Request, rq *request) {
		_, pg, ok := s.page(w, r, rq)
		if !ok {
			return
		}
		var key, ctype, ext string
		switch kind {
		case "alto":
			key, ctype, ext = pg.ALTO, "application/xml; charset=utf-8", ".alto.xml"
		case "hocr":
			key, ctype, ext = pg.HOCR, "text/html; charset=utf-8", ".hocr.html"
		case "image":
			key, ctype, ext = pg.Image, "image/png", ".png"
		case "color":
			key, ctype, ext = pg.Color, "image/jpeg", ".jpg"
		}
		if key == "" {
			s.notReady(w, rq, pg, kind)
			return
		}
		s.serveKey(w, r, rq, key, ctype, rq.batch+"-"+pg.ID+ext, "inline")
	}
}

// notReady answers a request for an output a page does not have.
func (s *Server) notReady(w http.ResponseWriter, rq *request, pg *batch.Page, what string) {
	if pg.Status != batch.StateDone {
		s.refuse(w, rq, http.StatusConflict, "page_not_done", fmt.Sprintf("page %s is %s: it has no %s", pg.ID, pg.Status, what))
		return
	}
	s.refuse(w, rq, http.StatusNotFound, "not_available", fmt.Sprintf("page %s has no %s", pg.ID, what))
}

// serveKey streams a store object named by the batch's manifest.
func (s *Server) serveKey(w http.ResponseWriter, r *http.Request, rq *request, key, ctype, filename, disposition string) {
	// The key comes from the manifest, never from the request; still, it
	// must lie inside the batch.
	if storage.ValidateKey(key) != nil || !strings.HasPrefix(key, batch.Prefix(rq.batch)) {
		s.fail(w, rq, fmt.Errorf("batch %s: manifest names key %q outside the batch", rq.batch, key))
		return
	}
	ctx := r.Context()
	store := s.store
	info, err := store.Stat(ctx, key)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	rc, err := store.Get(ctx, key)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": filename}))
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil && !ctxErr(ctx, err) {
		rq.err = "sending " + key + ": " + err.Error()
		s.log.Warn("download failed", "key", key, "error", err)
	}
}

// pageText serves a page's text: the current one (the latest correction,
// else the OCR text), ?version=ocr the OCR text, ?version=N correction N.
func (s *Server) pageText(w http.ResponseWriter, r *http.Request, rq *request) {
	_, pg, ok := s.page(w, r, rq)
	if !ok {
		return
	}
	if pg.Text == "" {
		s.notReady(w, rq, pg, "text")
		return
	}
	key, version := pg.Text, "ocr"
	switch v := r.URL.Query().Get("version"); v {
	case "", "current":
		if k, _, n := pg.CurrentText(); n > 0 {
			key, version = k, strconv.Itoa(n)
		}
	case "ocr":
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.refuse(w, rq, http.StatusBadRequest, "bad_request", fmt.Sprintf("version=%q: want current, ocr or a correction number from 1", v))
			return
		}
		if pg.Corrected == nil || n > pg.Corrected.Version {
			s.refuse(w, rq, http.StatusNotFound, "unknown_version", fmt.Sprintf("page %s has no correction %d", pg.ID, n))
			return
		}
		key, version = batch.CorrectionKey(rq.batch, pg.ID, n), v
	}
	w.Header().Set("Sohoa-Text-Version", version)
	s.serveKey(w, r, rq, key, "text/plain; charset=utf-8", rq.batch+"-"+pg.ID+".txt", "inline")
}

// correctText stores the request body as a new version of a page's text.
func (s *Server) correctText(w http.ResponseWriter, r *http.Request, rq *request) {
	_, pg, ok := s.page(w, r, rq)
	if !ok {
		return
	}
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/plain" ||
		params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
		s.refuse(w, rq, http.StatusUnsupportedMediaType, "unsupported_media_type", "send the corrected text as text/plain; charset=utf-8")
		return
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxTextBytes))
	if s.slowBody(w, rq, err) {
		return
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.refuse(w, rq, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the text is over the %d-byte limit", s.cfg.MaxTextBytes))
			return
		}
		s.refuse(w, rq, http.StatusBadRequest, "bad_request", "read the text: "+err.Error())
		return
	}
	if !utf8.Valid(b) {
		s.refuse(w, rq, http.StatusUnprocessableEntity, "not_utf8", "the text is not valid UTF-8")
		return
	}
	c, err := s.admin.CorrectText(r.Context(), rq.batch, pg.ID, string(b), farm.Person{Name: rq.id.Name, Role: rq.id.Role})
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	rq.version, rq.bytes = c.Version, int64(len(b))
	writeJSON(w, http.StatusOK, c)
}

// retryResponse is the body of a 202 to a retry.
type retryResponse struct {
	Batch string   `json:"batch"`
	Pages []string `json:"pages"`
}

func (s *Server) retryPage(w http.ResponseWriter, r *http.Request, rq *request) {
	_, pg, ok := s.page(w, r, rq)
	if !ok || !s.notCancelled(w, r, rq) {
		return
	}
	if err := s.admin.RetryPage(r.Context(), rq.batch, pg.ID); err != nil {
		s.fail(w, rq, err)
		return
	}
	writeJSON(w, http.StatusAccepted, retryResponse{Batch: rq.batch, Pages: []string{pg.ID}})
}

// retryFailed queues every failed page of the batch again.
func (s *Server) retryFailed(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	m, err := s.reader.LiveManifest(r.Context(), id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	if !s.notCancelled(w, r, rq) {
		return
	}
	out := retryResponse{Batch: id, Pages: []string{}}
	for _, p := range m.Pages {
		if p.Status != batch.StateFailed {
			continue
		}
		if err := s.admin.RetryPage(r.Context(), id, p.ID); err != nil {
			s.fail(w, rq, err)
			return
		}
		out.Pages = append(out.Pages, p.ID)
	}
	if len(out.Pages) == 0 {
		s.refuse(w, rq, http.StatusConflict, "not_retryable", fmt.Sprintf("batch %s has no failed pages", id))
		return
	}
	writeJSON(w, http.StatusAccepted, out)
}

// notCancelled refuses (409) to change a batch that is cancelled or cancelling.
func (s *Server) notCancelled(w http.ResponseWriter, r *http.Request, rq *request) bool {
	c, err := s.reader.Progress(r.Context(), rq.batch)
	if err != nil {
		s.fail(w, rq, err)
		return false
	}
	if c.Status.Cancelled() {
		s.refuse(w, rq, http.StatusConflict, "batch_cancelled", fmt.Sprintf("batch %s is %s", rq.batch, c.Status))
		return false
	}
	return true
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	if err := s.admin.Cancel(r.Context(), id); err != nil {
		s.fail(w, rq, err)
		return
	}
	c, err := s.reader.Progress(r.Context(), id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	writeJSON(w, http.StatusAccepted, progressEvent(id, c))
}

// metadataBody is what an archivist sends to correct a document's
// metadata: the fields of docs/metadata.md.
type metadataBody struct {
	Issuer  string `json:"issuer"`
	Number  string `json:"number"`
	Date    string `json:"date"`
	Place   string `json:"place"`
	Type    string `json:"type"`
	Subject string `json:"subject"`
	Secrecy string `json:"secrecy"`
	Urgency string `json:"urgency"`
	// ReceivedNumber and ReceivedDate are a received stamp's entries;
	// absent, they are kept as they are.
	ReceivedNumber *string `json:"received_number"`
	ReceivedDate   *string `json:"received_date"`
	// Confirm lists fields the person checked and found right as they
	// are: they leave metadata.review (a field whose value changes
	// leaves it anyway).
	Confirm []string `json:"confirm"`
}

// correctMetadata stores an archivist's corrected metadata for document n
// as a new version.
func (s *Server) correctMetadata(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	n, ok := s.indexParam(w, r, rq)
	if !ok {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.refuse(w, rq, http.StatusUnsupportedMediaType, "unsupported_media_type", "send the metadata as application/json")
		return
	}
	var body metadataBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		if s.slowBody(w, rq, err) {
			return
		}
		s.refuse(w, rq, http.StatusBadRequest, "bad_request", "read the metadata: "+err.Error())
		return
	}
	m, err := s.manifest(r.Context(), id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	if n >= len(m.Documents) {
		s.refuse(w, rq, http.StatusNotFound, "unknown_document", fmt.Sprintf("batch %s has %d documents; there is no document %d", id, len(m.Documents), n))
		return
	}
	d := m.Documents[n]
	rq.page = d.SourceID
	var cur docmeta.Metadata
	if raw := d.CurrentMetadata(); len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			s.fail(w, rq, fmt.Errorf("document %d metadata: %w", n, err))
			return
		}
	}
	md := docmeta.Metadata{Issuer: body.Issuer, Number: body.Number, Date: body.Date, Place: body.Place, Type: body.Type,
		Subject: body.Subject, Secrecy: body.Secrecy, Urgency: body.Urgency,
		ReceivedNumber: cur.ReceivedNumber, ReceivedDate: cur.ReceivedDate}
	if body.ReceivedNumber != nil {
		md.ReceivedNumber = *body.ReceivedNumber
	}
	if body.ReceivedDate != nil {
		md.ReceivedDate = *body.ReceivedDate
	}
	c, err := s.admin.CorrectMetadata(r.Context(), id, d.SourceID, md, farm.Person{Name: rq.id.Name, Role: rq.id.Role}, body.Confirm...)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	rq.version = c.Version
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) documentPDF(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	n, ok := s.indexParam(w, r, rq)
	if !ok {
		return
	}
	m, err := s.manifest(r.Context(), id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	if n >= len(m.Documents) {
		msg := fmt.Sprintf("batch %s has %d documents; there is no document %d", id, len(m.Documents), n)
		if len(m.Documents) == 0 && m.Finished == nil {
			s.refuse(w, rq, http.StatusConflict, "not_finished", fmt.Sprintf("batch %s is %s: its PDFs are made when it finishes", id, m.Status))
			return
		}
		s.refuse(w, rq, http.StatusNotFound, "unknown_document", msg)
		return
	}
	d := m.Documents[n]
	rq.page = d.SourceID
	if d.PDF == "" {
		s.refuse(w, rq, http.StatusNotFound, "not_available", fmt.Sprintf("document %s has no PDF: %s", d.Source, d.Error))
		return
	}
	name := d.Source
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSuffix(name, pathExt(name)) + ".pdf"
	s.serveKey(w, r, rq, d.PDF, "application/pdf", name, "inline")
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// bag streams a finished batch as a BagIt bag in a zip.
func (s *Server) bag(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	ctx := r.Context()
	m, err := s.storedManifest(ctx, id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	if m.Finished == nil {
		s.refuse(w, rq, http.StatusConflict, "not_finished", fmt.Sprintf("batch %s is %s: it can be exported when it has finished", id, m.Status))
		return
	}
	sources := r.URL.Query().Get("sources")
	if sources != "" && sources != "true" && sources != "false" && sources != "1" && sources != "0" {
		s.refuse(w, rq, http.StatusBadRequest, "bad_request", "sources: want true or false")
		return
	}
	opt := bagit.Options{IncludeSources: sources == "true" || sources == "1", SourceOrganization: s.cfg.Organization, Version: s.cfg.Version}
	if s.cfg.BagInfo != nil {
		opt.Info = s.cfg.BagInfo(m)
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": id + ".zip"}))
	zw, err := bagit.NewZipWriter(w, id)
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	if _, err = bagit.Export(ctx, s.store, id, zw, opt); err == nil {
		err = zw.Close()
	}
	if err != nil {
		// The status line is gone: cut the connection, so the client sees
		// a failed transfer instead of a zip that looks whole.
		rq.err = err.Error()
		if !ctxErr(ctx, err) {
			s.log.Error("bag export failed", "batch", id, "error", err)
		}
		rq.abort = true
	}
}

// refuse answers a request the API will not serve, with a reason.
func (s *Server) refuse(w http.ResponseWriter, rq *request, status int, code, msg string) {
	rq.err = msg
	writeError(w, status, code, msg)
}

// fail answers a failed call, mapping the farm's errors to statuses.
func (s *Server) fail(w http.ResponseWriter, rq *request, err error) {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, farm.ErrUnknownBatch):
		s.refuse(w, rq, http.StatusNotFound, "unknown_batch", "no such batch")
	case errors.Is(err, farm.ErrUnknownPage):
		s.refuse(w, rq, http.StatusNotFound, "unknown_page", err.Error())
	case errors.Is(err, farm.ErrNotRetryable):
		s.refuse(w, rq, http.StatusConflict, "not_retryable", err.Error())
	case errors.Is(err, farm.ErrFinished):
		s.refuse(w, rq, http.StatusConflict, "batch_finished", err.Error())
	case errors.Is(err, farm.ErrNotDone):
		s.refuse(w, rq, http.StatusConflict, "page_not_done", err.Error())
	case errors.Is(err, bagit.ErrNotFinished):
		s.refuse(w, rq, http.StatusConflict, "not_finished", err.Error())
	case errors.Is(err, farm.ErrUnknownDocument):
		s.refuse(w, rq, http.StatusNotFound, "unknown_document", err.Error())
	case errors.Is(err, farm.ErrBadMetadata):
		s.refuse(w, rq, http.StatusUnprocessableEntity, "bad_metadata", err.Error())
	case errors.Is(err, farm.ErrEmptyBatch):
		s.refuse(w, rq, http.StatusBadRequest, "no_files", err.Error())
	case errors.Is(err, source.ErrLimit), errors.As(err, &mbe):
		s.refuse(w, rq, http.StatusRequestEntityTooLarge, "too_large", err.Error())
	case errors.Is(err, storage.ErrNotFound):
		s.refuse(w, rq, http.StatusNotFound, "not_found", "the file is not in the store")
	case errors.Is(err, context.Canceled):
		rq.err = "client went away"
		writeError(w, 499, "cancelled", "the request was cancelled")
	default:
		rq.err = err.Error()
		s.log.Error("request failed", "batch", rq.batch, "page", rq.page, "error", err)
		writeError(w, http.StatusInternalServerError, "internal", "the server could not do this; the error is in its log")
	}
}
