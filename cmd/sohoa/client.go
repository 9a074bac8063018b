package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/storage/batch"
)

// clientFlags send `sohoa submit` through the HTTP API (sohoa serve)
// instead of Redis and the store.
type clientFlags struct {
	server, token string
}

func (c *clientFlags) register(fset interface {
	StringVar(*string, string, string, string)
}) {
	fset.StringVar(&c.server, "server", "", "submit through the HTTP API of 'sohoa serve' at this URL (then --redis and --store are not used)")
	fset.StringVar(&c.token, "token", "", "API token for --server, an archivist's or operator's (env SOHOA_TOKEN)")
}

// submitFields are the batch's form fields.
type submitFields struct {
	title, fonds, priority string
	webhook                string // not possible through the API
}

// submit uploads the inputs as one streamed multipart request, prints the
// batch id and, with wait, follows the batch's event stream until it
// finishes, exiting like the Redis path (0, 3, 4).
func (c clientFlags) submit(ctx context.Context, e *env, paths []string, f submitFields, wait, quiet bool) error {
	if c.token == "" {
		c.token = os.Getenv("SOHOA_TOKEN")
	}
	if c.token == "" {
		return usageErrorf("submit: --server needs a token: --token T or SOHOA_TOKEN")
	}
	if f.webhook != "" {
		return usageErrorf("submit: --webhook is not available with --server (give the workers a --webhook instead)")
	}
	base, err := apiBase(c.server)
	if err != nil {
		return usageErrorf("submit: --server %q: %v", c.server, err)
	}
	if u, _ := url.Parse(base); u.Scheme == "http" && !isLoopback(u.Hostname()) {
		fmt.Fprintf(e.stderr, "sohoa: warning: %s is plain HTTP: the token and the files cross the network unencrypted\n", u.Host)
	}
	inputs, err := farm.CollectInputs(paths)
	if err != nil {
		return usageErrorf("submit: %v", err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cl := &apiClient{base: base, token: c.token, http: &http.Client{}}
	start := time.Now()
	id, err := cl.upload(ctx, inputs, f, e.stderr, quiet)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	if !wait {
		return nil
	}
	if err := cl.follow(ctx, id, e.stderr, quiet); err != nil {
		if errors.Is(err, context.Canceled) {
			return &codeError{exitError, fmt.Errorf("stopped waiting; batch %s goes on", id)}
		}
		return err
	}
	m, err := cl.manifest(context.WithoutCancel(ctx), id)
	if err != nil {
		return err
	}
	return summarize(e.stderr, m, base+"/api/v1/batches/"+id, time.Since(start))
}

// apiBase checks the server URL and returns it without a trailing slash.
func apiBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("want an http:// or https:// URL")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("want a URL without credentials, query or fragment")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// apiClient talks to one sohoa serve.
type apiClient struct {
	base, token string
	http        *http.Client
}

func (c *apiClient) request(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("User-Agent", "sohoa/"+version)
	return req, nil
}

// apiError turns an error response into an error with the server's message.
func apiError(resp *http.Response) error {
	var ae struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &ae) != nil || ae.Error == "" {
		ae.Error = strings.TrimSpace(string(b))
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Errorf("the server refused the token (%d): %s", resp.StatusCode, ae.Error)
	case http.StatusForbidden:
		return fmt.Errorf("the token may not do this (%d): %s", resp.StatusCode, ae.Error)
	case http.StatusRequestEntityTooLarge:
		return fmt.Errorf("over the server's size limit (%d): %s", resp.StatusCode, ae.Error)
	}
	return fmt.Errorf("server: %s (%d %s)", ae.Error, resp.StatusCode, ae.Code)
}

// upload streams the inputs as multipart/form-data through a pipe: no
// file is ever held in memory. Progress goes to w.
func (c *apiClient) upload(ctx context.Context, inputs []farm.Input, f submitFields, w io.Writer, quiet bool) (string, error) {
	var total int64
	for _, in := range inputs {
		total += max(in.Size, 0)
	}
	prog := &uploadProgress{w: w, tty: isTerminal(w), total: total, files: len(inputs), quiet: quiet}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := writeForm(mw, inputs, f, prog)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := c.request(ctx, http.MethodPost, "/api/v1/batches", pr)
	if err != nil {
		pr.Close()
		return "", err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	stopTicker := prog.start()
	resp, err := c.http.Do(req)
	stopTicker()
	pr.Close()
	if err != nil {
		return "", fmt.Errorf("upload to %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", apiError(resp)
	}
	prog.finish()
	var out struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || !batch.ValidID(out.ID) {
		return "", fmt.Errorf("upload to %s: unexpected answer (%v)", c.base, err)
	}
	return out.ID, nil
}

// writeForm writes the fields, then one "file" part per input.
func writeForm(mw *multipart.Writer, inputs []farm.Input, f submitFields, prog *uploadProgress) error {
	for _, kv := range [][2]string{{"title", f.title}, {"fonds", f.fonds}, {"priority", f.priority}} {
		if kv[1] != "" {
			if err := mw.WriteField(kv[0], kv[1]); err != nil {
				return err
			}
		}
	}
	for i, in := range inputs {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(in.Name)))
		h.Set("Content-Type", "application/octet-stream")
		part, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		rc, err := in.Open()
		if err != nil {
			return err
		}
		prog.file(i+1, in.Name)
		_, err = io.Copy(part, &countReader{r: rc, n: &prog.sent})
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
	}
	return nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// uploadProgress shows the bytes sent: redrawn in place on a terminal, a
// line every 5 seconds otherwise.
type uploadProgress struct {
	w          io.Writer
	tty, quiet bool
	total      int64
	files      int
	sent       atomic.Int64
	current    atomic.Value // string: the file being sent
	n          atomic.Int64 // its position
}

func (p *uploadProgress) file(n int, name string) {
	p.n.Store(int64(n))
	p.current.Store(name)
}

func (p *uploadProgress) line() string {
	sent := p.sent.Load()
	pct := 100.0
	if p.total > 0 {
		pct = min(100, 100*float64(sent)/float64(p.total))
	}
	name, _ := p.current.Load().(string)
	return fmt.Sprintf("uploading %3.0f%%  %s of %s  file %d/%d %s", pct, humanBytes(sent), humanBytes(p.total), p.n.Load(), p.files, name)
}

// start prints the progress until the returned function is called.
func (p *uploadProgress) start() func() {
	if p.quiet {
		return func() {}
	}
	every := 5 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if p.tty {
					fmt.Fprintf(p.w, "\r\033[K%s", p.line())
				} else {
					fmt.Fprintln(p.w, p.line())
				}
			}
		}
	}()
	return func() { close(done); <-stopped }
}

func (p *uploadProgress) finish() {
	if p.quiet {
		return
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "uploaded %d files, %s\n", p.files, humanBytes(p.sent.Load()))
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// follow reads the batch's event stream until its final event, showing
// progress like waitBatch; a dropped stream is reopened.
func (c *apiClient) follow(ctx context.Context, id string, w io.Writer, quiet bool) error {
	var prog *progressPrinter
	if !quiet {
		prog = newProgress(w)
		defer prog.finish()
	}
	retry := time.Duration(api.RetryMillis) * time.Millisecond
	failures := 0
	for {
		final, err := c.stream(ctx, id, func(ev api.ProgressEvent) {
			failures = 0
			if prog != nil {
				prog.update(ev.Progress())
			}
		}, &retry)
		if final || ctx.Err() != nil {
			return ctx.Err()
		}
		var perm permanentError
		if errors.As(err, &perm) {
			return perm.error
		}
		if failures++; failures > 20 {
			return fmt.Errorf("batch %s: lost the event stream: %w", id, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(retry):
		}
	}
}

// permanentError is a refusal that retrying cannot cure (401, 403, 404).
type permanentError struct{ error }

// stream reads one connection of the event stream; it reports whether
// the final event came.
func (c *apiClient) stream(ctx context.Context, id string, fn func(api.ProgressEvent), retry *time.Duration) (bool, error) {
	req, err := c.request(ctx, http.MethodGet, "/api/v1/batches/"+id+"/events", nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.http.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err := apiError(resp)
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			return false, permanentError{err}
		}
		return false, err
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() == 0 {
				continue
			}
			var ev api.ProgressEvent
			if err := json.Unmarshal([]byte(data.String()), &ev); err != nil {
				return false, fmt.Errorf("event stream: %w", err)
			}
			data.Reset()
			fn(ev)
			if ev.Final {
				return true, nil
			}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "data:"):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		case strings.HasPrefix(line, "retry:"):
			var ms int
			if _, err := fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "retry:")), "%d", &ms); err == nil && ms > 0 {
				*retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
	if err := sc.Err(); err != nil {
		return false, err
	}
	return false, io.ErrUnexpectedEOF
}

// manifest fetches the batch's live manifest.
func (c *apiClient) manifest(ctx context.Context, id string) (*batch.Manifest, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := c.request(ctx, http.MethodGet, "/api/v1/batches/"+id, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, apiError(resp)
	}
	var m batch.Manifest
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, fmt.Errorf("batch %s: %w", id, err)
	}
	return &m, nil
}
