package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
	"github.com/sohoa/sohoa/ocr/source/poppler"
	"github.com/sohoa/sohoa/queue"
)

// applyConfigFile loads a KEY=VALUE file named by --config (anywhere in
// args) or $SOHOA_CONFIG into the environment, without overriding
// variables already set, so the precedence is: flag > environment >
// config file > default. The format is systemd's EnvironmentFile (and
// docker --env-file): one SOHOA_* or AWS_* variable per line, # comments.
func applyConfigFile(args []string) ([]string, error) {
	path := os.Getenv("SOHOA_CONFIG")
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--config" || a == "-config":
			if i+1 >= len(args) {
				return nil, usageErrorf("--config needs a file")
			}
			path = args[i+1]
			i++
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			path = a[strings.IndexByte(a, '=')+1:]
		default:
			rest = append(rest, a)
		}
	}
	if path == "" {
		return rest, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(strings.TrimPrefix(k, "export "))
		if !ok || k == "" {
			return nil, fmt.Errorf("config file %s line %d: want KEY=VALUE", path, n)
		}
		if !strings.HasPrefix(k, "SOHOA_") && !strings.HasPrefix(k, "AWS_") {
			return nil, fmt.Errorf("config file %s line %d: %s is not a sohoa setting (SOHOA_* or AWS_*)", path, n, k)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		if _, set := os.LookupEnv(k); !set {
			os.Setenv(k, v)
		}
	}
	return rest, sc.Err()
}

// openRedis connects to Redis from a URL:
//
//	redis://[user:password@]host:port[/db]         one server (rediss:// for TLS)
//	unix:///path/to/redis.sock[?db=N]
//	redis-sentinel://[:password@]h1:26379,h2:26379[/db]?master=NAME
//	redis-cluster://[:password@]h1:6379,h2:6379
func openRedis(ctx context.Context, raw string) (redis.UniversalClient, error) {
	rdb, err := redisClient(raw)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, &redactedError{msg: fmt.Sprintf("cannot reach Redis at %s: %s", redactURL(raw), redactSecrets(raw, err.Error())), err: err}
	}
	return rdb, nil
}

func redisClient(raw string) (redis.UniversalClient, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included: keep only its reason.
		return nil, usageErrorf("--redis %q: %s", redactURL(raw), redactSecrets(raw, urlReason(err)))
	}
	switch u.Scheme {
	case "redis", "rediss", "unix":
		opt, err := redis.ParseURL(raw)
		if err != nil {
			return nil, usageErrorf("--redis %q: %s", redactURL(raw), redactSecrets(raw, urlReason(err)))
		}
		return redis.NewClient(opt), nil
	case "redis-sentinel", "redis-cluster":
		addrs := strings.Split(u.Host, ",")
		pass, _ := u.User.Password()
		user := u.User.Username()
		if u.Scheme == "redis-cluster" {
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, Username: user, Password: pass}), nil
		}
		master := u.Query().Get("master")
		if master == "" {
			return nil, usageErrorf("--redis %q: a sentinel URL needs ?master=NAME", redactURL(raw))
		}
		db := 0
		if p := strings.Trim(u.Path, "/"); p != "" {
			if db, err = strconv.Atoi(p); err != nil {
				return nil, usageErrorf("--redis %q: bad database number %q", redactURL(raw), p)
			}
		}
		opt := &redis.FailoverOptions{MasterName: master, SentinelAddrs: addrs, Username: user, Password: pass, DB: db,
			SentinelPassword: u.Query().Get("sentinel_password")}
		if u.Query().Get("tls") == "true" {
			opt.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		return redis.NewFailoverClient(opt), nil
	}
	return nil, usageErrorf("--redis %q: unknown scheme %q (redis, rediss, unix, redis-sentinel, redis-cluster)", redactURL(raw), u.Scheme)
}

// redactedError is an error whose message had its secrets taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// urlReason is err's message without the URL a *url.Error repeats.
func urlReason(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// redactURL hides the secrets of a URL for messages: the password of its
// user information and the values of query parameters named like a
// secret (sentinel_password, password, secret, token...), whether or not
// the URL parses.
func redactURL(raw string) string { return redactSecrets(raw, raw) }

// redactSecrets replaces in s every secret of the URL raw (as written,
// and unescaped) by "xxxxx".
func redactSecrets(raw, s string) string {
	for _, sec := range urlSecrets(raw) {
		s = strings.ReplaceAll(s, sec, "xxxxx")
	}
	return s
}

// urlSecrets finds the secrets of a URL without parsing it (it may not
// parse): the password between "scheme://user:" and the last "@" of the
// authority, and the values of secret-named query parameters; each also
// unescaped. Longest first, so a secret inside another goes too.
func urlSecrets(raw string) []string {
	var out []string
	add := func(v string) {
		if v == "" {
			return
		}
		out = append(out, v)
		if u, err := url.PathUnescape(v); err == nil && u != v {
			out = append(out, u)
		}
		if u, err := url.QueryUnescape(v); err == nil && u != v {
			out = append(out, u)
		}
	}
	rest := raw
	if _, after, ok := strings.Cut(raw, "://"); ok {
		rest = after
	}
	auth := rest
	if i := strings.IndexAny(auth, "?#"); i >= 0 {
		auth = auth[:i]
	}
	if at := strings.LastIndex(auth, "@"); at >= 0 {
		if _, pass, ok := strings.Cut(auth[:at], ":"); ok {
			add(pass)
		}
	}
	if _, query, ok := strings.Cut(rest, "?"); ok {
		query, _, _ = strings.Cut(query, "#")
		for kv := range strings.SplitSeq(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			k = strings.ToLower(k)
			if strings.Contains(k, "pass") || strings.Contains(k, "secret") || strings.Contains(k, "token") || strings.Contains(k, "key") {
				add(v)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// stageFlags are the per-stage retry and timeout settings.
type stageFlags struct {
	maxRetry int
	timeouts string
}

func (s *stageFlags) register(fset interface {
	IntVar(*int, string, int, string)
	StringVar(*string, string, string, string)
}) {
	fset.IntVar(&s.maxRetry, "max-retry", envInt("SOHOA_MAX_RETRY", 5), "retries of a failing task before its page fails, with exponential backoff (env SOHOA_MAX_RETRY)")
	fset.StringVar(&s.timeouts, "timeouts", os.Getenv("SOHOA_TIMEOUTS"), "per-stage task timeouts, e.g. \"ocr=15m,cleanup=10m,split=30m,finalize=60m\" (env SOHOA_TIMEOUTS)")
}

func (s *stageFlags) options() (map[string]queue.Options, error) {
	out := map[string]queue.Options{}
	for _, q := range queue.Stages {
		out[q] = queue.Options{MaxRetry: s.maxRetry}
	}
	if s.maxRetry < 0 {
		return nil, usageErrorf("--max-retry must be 0 or more")
	}
	if strings.TrimSpace(s.timeouts) == "" {
		return out, nil
	}
	for part := range strings.SplitSeq(s.timeouts, ",") {
		stage, d, ok := strings.Cut(strings.TrimSpace(part), "=")
		o, known := out[stage]
		if !ok || !known {
			return nil, usageErrorf("--timeouts %q: want stage=duration with stage one of %s", s.timeouts, strings.Join(queue.Stages, ", "))
		}
		dur, err := time.ParseDuration(d)
		if err != nil || dur <= 0 {
			return nil, usageErrorf("--timeouts %q: bad duration %q", s.timeouts, d)
		}
		o.Timeout = dur
		out[stage] = o
	}
	return out, nil
}

// webhookFlags are --webhook and --webhook-secret: for run and submit the
// batch's own receiver; for worker (and serve) a receiver of every batch.
type webhookFlags struct {
	url, secret string
}

func (w *webhookFlags) register(fset *flag.FlagSet) {
	fset.StringVar(&w.url, "webhook", "", "POST the batch's completion event to this URL (docs/events.md)")
	fset.StringVar(&w.secret, "webhook-secret", "", "sign the event with this secret (X-Sohoa-Timestamped-Signature, docs/events.md); or env SOHOA_WEBHOOK_SECRET")
}

func (w *webhookFlags) registerConfig(fset *flag.FlagSet) {
	fset.StringVar(&w.url, "webhook", os.Getenv("SOHOA_WEBHOOK"), "POST every batch's completion event to this URL (env SOHOA_WEBHOOK)")
	fset.StringVar(&w.secret, "webhook-secret", "", "secret signing those events (env SOHOA_WEBHOOK_SECRET)")
}

func (w *webhookFlags) check() error {
	if w.secret == "" {
		w.secret = os.Getenv("SOHOA_WEBHOOK_SECRET")
	}
	if w.url == "" {
		return nil
	}
	u, err := url.Parse(w.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageErrorf("--webhook %q: want an http:// or https:// URL", redactURL(w.url))
	}
	if w.secret == "" {
		return usageErrorf("--webhook needs --webhook-secret (or SOHOA_WEBHOOK_SECRET): receivers must be able to verify events")
	}
	return nil
}

// target is the webhook the flags name (zero if none).
func (w *webhookFlags) target() webhook.Target {
	if w.url == "" {
		return webhook.Target{}
	}
	return webhook.Target{URL: w.url, Secret: w.secret}
}

func (w *webhookFlags) targets() []webhook.Target {
	if w.url == "" {
		return nil
	}
	return []webhook.Target{w.target()}
}

// sourceFlags are the limits on what a source file may cost, and the
// decoders for the formats that need C libraries or tools.
type sourceFlags struct {
	maxFileBytes, maxBatchBytes, maxZipBytes int64
	maxZipRatio                              int64
	maxPixels                                int64
	maxPages, maxZipEntries                  int
	memoryBudget                             int64
}

func (s *sourceFlags) register(fset *flag.FlagSet) {
	d := source.Limits{}.WithDefaults()
	fset.Int64Var(&s.maxFileBytes, "max-file-bytes", envInt64("SOHOA_MAX_FILE_BYTES", d.MaxFileBytes), "largest source file, in bytes (env SOHOA_MAX_FILE_BYTES)")
	fset.Int64Var(&s.maxBatchBytes, "max-batch-bytes", envInt64("SOHOA_MAX_BATCH_BYTES", d.MaxBatchBytes), "largest batch, all files together, in bytes (env SOHOA_MAX_BATCH_BYTES)")
	fset.Int64Var(&s.maxPixels, "max-pixels", envInt64("SOHOA_MAX_PIXELS", d.MaxPixels), "largest page, width x height, checked before decoding (env SOHOA_MAX_PIXELS)")
	fset.IntVar(&s.maxPages, "max-pages", envInt("SOHOA_MAX_PAGES", d.MaxPages), "most pages in one file (env SOHOA_MAX_PAGES)")
	fset.IntVar(&s.maxZipEntries, "max-zip-entries", envInt("SOHOA_MAX_ZIP_ENTRIES", d.MaxArchiveEntries), "most files in one zip (env SOHOA_MAX_ZIP_ENTRIES)")
	fset.Int64Var(&s.maxZipRatio, "max-zip-ratio", envInt64("SOHOA_MAX_ZIP_RATIO", d.MaxArchiveRatio), "most times its compressed size a zip entry may expand to, past 16 MiB (env SOHOA_MAX_ZIP_RATIO)")
	fset.Int64Var(&s.maxZipBytes, "max-zip-bytes", envInt64("SOHOA_MAX_ZIP_BYTES", d.MaxArchiveBytes), "most bytes one zip may expand to (env SOHOA_MAX_ZIP_BYTES)")
	fset.Int64Var(&s.memoryBudget, "memory-budget", envInt64("SOHOA_MEMORY_BUDGET", 3<<29), "bytes that pages being decoded and cleaned may take at once in this process; a larger page runs alone (env SOHOA_MEMORY_BUDGET)")
}

func (s *sourceFlags) limits() (source.Limits, error) {
	l := source.Limits{MaxFileBytes: s.maxFileBytes, MaxBatchBytes: s.maxBatchBytes, MaxPixels: s.maxPixels,
		MaxPages: s.maxPages, MaxArchiveEntries: s.maxZipEntries, MaxArchiveBytes: s.maxZipBytes, MaxArchiveRatio: s.maxZipRatio}
	if l.MaxFileBytes <= 0 || l.MaxBatchBytes <= 0 || l.MaxPixels <= 0 || l.MaxPages <= 0 || l.MaxArchiveEntries <= 0 || l.MaxArchiveBytes <= 0 ||
		l.MaxArchiveRatio <= 0 {
		return l, usageErrorf("the --max-* limits must be positive")
	}
	return l, nil
}

// opener makes the source opener: Leptonica for TIFF and JPEG 2000 (pages
// come out grey, which is what cleanup works on), Poppler's tools for PDF.
func (s *sourceFlags) opener() (*source.Opener, error) {
	lim, err := s.limits()
	if err != nil {
		return nil, err
	}
	pdf, err := poppler.New(poppler.Config{DPI: envInt("SOHOA_PDF_DPI", 300), Timeout: envDuration("SOHOA_PDF_TIMEOUT", 2*time.Minute),
		MaxMemory: envInt64("SOHOA_PDF_MAX_MEMORY", 2<<30)})
	if err != nil {
		return nil, fmt.Errorf("PDF support: %w (apt-get install poppler-utils)", err)
	}
	return &source.Opener{Limits: lim, Backends: []source.Backend{leptonica.Backend{}, pdf}}, nil
}

func envInt64(k string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(k), 10, 64); err == nil {
		return v
	}
	return def
}

// queueFlags are the flags of every command that queues or runs work:
// per-stage retries and timeouts, the limits and decoders, webhooks.
type queueFlags struct {
	stages  stageFlags
	sources sourceFlags
	hooks   webhookFlags
}

// register adds them; workerHooks makes --webhook a receiver of every
// batch (worker) rather than of the submitted batch (run, submit).
func (q *queueFlags) register(fset *flag.FlagSet, workerHooks bool) {
	q.stages.register(fset)
	q.sources.register(fset)
	if workerHooks {
		q.hooks.registerConfig(fset)
	} else {
		q.hooks.register(fset)
	}
}

// stageOptions checks the flags and turns them into the options of the
// stages a process runs (worker, run).
func (q *queueFlags) stageOptions() (stageOptions, error) {
	stages, err := q.stages.options()
	if err != nil {
		return stageOptions{}, err
	}
	if err := q.hooks.check(); err != nil {
		return stageOptions{}, err
	}
	opener, err := q.sources.opener()
	if err != nil {
		return stageOptions{}, err
	}
	if q.sources.memoryBudget < 0 {
		return stageOptions{}, usageErrorf("--memory-budget must be 0 (the default) or more")
	}
	return stageOptions{stages: stages, sources: opener, memory: q.sources.memoryBudget}, nil
}

// uploadOptions checks the flags a process that only submits needs: the
// options of the tasks it queues, and the limits of what it uploads.
func (q *queueFlags) uploadOptions() (map[string]queue.Options, source.Limits, error) {
	stages, err := q.stages.options()
	if err != nil {
		return nil, source.Limits{}, err
	}
	if err := q.hooks.check(); err != nil {
		return nil, source.Limits{}, err
	}
	lim, err := q.sources.limits()
	return stages, lim, err
}
