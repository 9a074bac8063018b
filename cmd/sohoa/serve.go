package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/ocr/source"
)

func cmdServe(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("serve", "--redis URL --store S --tokens FILE --audit-log FILE [--addr HOST:PORT] [flags]", e)
	var cf commonFlags
	cf.register(fset, "info")
	d := source.Limits{}.WithDefaults()
	var (
		addr       = fset.String("addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (\":8080\" for every interface)")
		tokensFile = fset.String("tokens", "", "API tokens file: one \"TOKEN ROLE NAME\" per line (roles archivist, operator, ingest); reloaded on SIGHUP")
		auditLog   = fset.String("audit-log", "", "append the audit log (JSON lines) to this file; \"-\" for standard output")
		strict     = fset.Bool("strict-perms", os.Getenv("SOHOA_STRICT_PERMS") == "true", "refuse a tokens file that group or others may read or write, instead of warning (env SOHOA_STRICT_PERMS=true)")
		proxies    = fset.String("trusted-proxy", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed")
		org        = fset.String("org", os.Getenv("SOHOA_ORGANIZATION"), "Source-Organization of the bags served (env SOHOA_ORGANIZATION)")
		maxFile    = fset.Int64("max-file-bytes", envInt64("SOHOA_MAX_FILE_BYTES", d.MaxFileBytes), "largest uploaded file, in bytes (env SOHOA_MAX_FILE_BYTES)")
		maxBatch   = fset.Int64("max-batch-bytes", envInt64("SOHOA_MAX_BATCH_BYTES", d.MaxBatchBytes), "largest upload, all files together, in bytes (env SOHOA_MAX_BATCH_BYTES)")
		sessionTTL = fset.Duration("session-ttl", envDuration("SOHOA_SESSION_TTL", api.DefaultSessionTTL), "how long a console login lasts (env SOHOA_SESSION_TTL)")
		maxConns   = fset.Int("max-connections", envInt("SOHOA_MAX_CONNECTIONS", api.DefaultMaxConnections), "most client connections open at once; more wait to be accepted (env SOHOA_MAX_CONNECTIONS)")
		maxFiles   = fset.Int("max-upload-files", envInt("SOHOA_MAX_UPLOAD_FILES", api.DefaultMaxUploadFiles), "most files in one upload; more are refused (413) as soon as the count passes it (env SOHOA_MAX_UPLOAD_FILES)")
		shutdown   = fset.Duration("shutdown-timeout", 20*time.Second, "on SIGTERM, how long uploads and downloads in flight may take to finish")
	)
	var sf stageFlags
	sf.register(fset)
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return usageErrorf("serve: unexpected arguments %q", fset.Args())
	}
	if *tokensFile == "" {
		return usageErrorf("serve: --tokens is required")
	}
	if *auditLog == "" {
		return usageErrorf("serve: --audit-log is required (\"-\" for standard output)")
	}
	if *maxFile <= 0 || *maxBatch <= 0 || *maxFiles <= 0 || *maxConns <= 0 || *sessionTTL <= 0 {
		return usageErrorf("serve: the --max-* limits must be positive")
	}
	trusted, err := parsePrefixes(*proxies)
	if err != nil {
		return usageErrorf("serve: --trusted-proxy: %v", err)
	}
	log, err := cf.logger(e.stderr)
	if err != nil {
		return err
	}
	stages, err := sf.options()
	if err != nil {
		return err
	}
	if err := checkTokensPerms(log, *tokensFile, *strict); err != nil {
		return usageErrorf("serve: %v", err)
	}
	tokens, err := api.LoadTokens(*tokensFile)
	if err != nil {
		return usageErrorf("serve: %v", err) // exit 2: systemd does not restart a broken configuration
	}
	warnShortTokens(log, tokens)
	var audit *api.AuditLog
	if *auditLog == "-" {
		audit = api.NewAuditLog(e.stdout)
	} else if audit, err = api.OpenAuditLog(*auditLog); err != nil {
		return err
	}
	defer audit.Close()
	store, err := cf.openStore()
	if err != nil {
		return err
	}
	rdb, err := cf.openRedis(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()
	limits := source.Limits{MaxFileBytes: *maxFile, MaxBatchBytes: *maxBatch}.WithDefaults()
	// Serve reads no pages: it uploads, steers and reads batches.
	fc := farmConfig(store, rdb, log, stages)
	fc.Limits = limits
	uploader, err := farm.NewUploader(fc)
	if err != nil {
		return err
	}
	defer uploader.Close()
	admin, err := farm.NewAdmin(fc)
	if err != nil {
		return err
	}
	defer admin.Close()
	reader, err := farm.NewReader(fc)
	if err != nil {
		return err
	}
	insp := asynq.NewInspectorFromRedisClient(rdb)
	defer insp.Close()
	srv, err := api.New(api.Config{Uploader: uploader, Admin: admin, Reader: reader, Store: store, Inspector: insp, Redis: rdb,
		Tokens: tokens, Audit: audit, Limits: limits, TrustedProxies: trusted,
		Organization: *org, Version: version, BagInfo: documentInfo, Logger: log,
		MaxUploadFiles: *maxFiles, MaxConnections: *maxConns, SessionTTL: *sessionTTL})
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln = srv.Listener(ln)  // at most --max-connections at once
	hs := srv.HTTPServer() // header and body deadlines (docs/api.md, Limits)
	hs.RegisterOnShutdown(func() { srv.Close() })

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			t, err := api.LoadTokens(*tokensFile)
			if err == nil {
				err = checkTokensPerms(log, *tokensFile, *strict)
			}
			if err != nil {
				log.Error("tokens not reloaded; the previous ones stay in force", "error", err)
			} else {
				srv.SetTokens(t)
				log.Info("tokens reloaded", "tokens", t.Len())
				warnShortTokens(log, t)
			}
			if err := audit.Reopen(); err != nil {
				log.Error("audit log not reopened", "error", err)
			}
		}
	}()

	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	log.Info("serving the API and the console", "url", "http://"+ln.Addr().String()+"/", "tokens", tokens.Len(), "store", store.String())
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", *shutdown)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), *shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("serve: shutdown: %w", err)
		}
		log.Warn("requests still running at the end of the shutdown timeout were cut")
	}
	return nil
}

// checkTokensPerms warns when others may read or write the tokens file,
// or a group other than the server's own may read it, or its group may
// write it; when strict, it refuses such a file. (Kubernetes mounts a
// Secret 0440 for the pod's group, systemd's credentials 0400: both pass.)
func checkTokensPerms(log *slog.Logger, path string, strict bool) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("tokens file: %w", err)
	}
	mode := st.Mode().Perm()
	bad := mode&0o027 != 0 // group write, others anything
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && mode&0o040 != 0 && int(sys.Gid) != os.Getgid() {
		bad = true // read by a group the server is not
	}
	if !bad {
		return nil
	}
	if strict {
		return fmt.Errorf("the tokens file %s is readable by group or others (mode %04o): chmod 600 it, owned by the user sohoa serve runs as (--strict-perms)", path, mode)
	}
	log.Warn("the tokens file can be read by group or others: chmod 600 it (--strict-perms refuses such a file)", "file", path, "mode", fmt.Sprintf("%04o", mode))
	return nil
}

// warnShortTokens logs the owners of tokens short enough to be guessed.
func warnShortTokens(log *slog.Logger, t *api.Tokens) {
	for _, name := range t.Short() {
		log.Warn("a token is short enough to be guessed: give it at least 20 random characters (openssl rand -base64 32)",
			"owner", name, "min_length", api.MinTokenLength)
	}
}

// parsePrefixes reads "10.0.0.1, 192.168.0.0/16, ::1" into prefixes.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.Contains(part, "/") {
			p, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
