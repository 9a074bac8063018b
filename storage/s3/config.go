package s3

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/sohoa/sohoa/storage"
)

// Defaults for the zero values of Config.
const (
	DefaultPartSize   = 16 << 20
	DefaultTimeout    = time.Minute
	DefaultMaxRetries = 10
	// MinPartSize is S3's smallest part of a multipart upload (all but the last).
	MinPartSize = 5 << 20
)

// Server-side encryption modes (Config.SSE and the URL's sse option).
const (
	SSENone = ""
	SSES3   = "AES256"  // keys managed by the server (SSE-S3)
	SSEKMS  = "aws:kms" // keys in a KMS (SSE-KMS), see Config.SSEKMSKeyID
)

// Addressing says how the bucket is named in requests.
type Addressing int

const (
	// AddressingAuto is path style when Endpoint is set (self-hosted
	// servers: MinIO, Ceph RGW, versitygw) and virtual-host style on AWS.
	AddressingAuto Addressing = iota
	// AddressingPath puts the bucket in the path: http://host/bucket/key.
	AddressingPath
	// AddressingVirtualHost puts the bucket in the host name: http://bucket.host/key.
	AddressingVirtualHost
)

// Config describes an S3 store. It never holds credentials: New reads them
// from the environment (see Getenv).
type Config struct {
	// Bucket must exist; New checks it.
	Bucket string
	// Prefix is the "folder" of the store in the bucket, without leading or
	// trailing slash; "" uses the whole bucket. A store key k is the object
	// Prefix + "/" + k.
	Prefix string
	// Endpoint is the server's base URL, "http://host:port" or
	// "https://host". Empty means AWS S3.
	Endpoint string
	// Region of the bucket. Empty: AWS_REGION from the environment, else
	// found by asking the server (AWS) or "us-east-1" (an Endpoint).
	Region string
	// Addressing: path or virtual-host style. The zero value is AddressingAuto.
	Addressing Addressing
	// SSE asks the server to encrypt new objects: SSENone (the bucket's
	// default), SSES3 or SSEKMS.
	SSE string
	// SSEKMSKeyID is the KMS key for SSEKMS; empty uses the server's default key.
	SSEKMSKeyID string
	// Insecure skips TLS certificate verification (self-signed test
	// servers only; prefer adding the CA to the system's trust store).
	Insecure bool
	// IAM falls back to the instance's IAM role (EC2, ECS, EKS) when the
	// environment holds no access key. Off by default: it contacts the
	// cloud's metadata endpoint.
	IAM bool
	// PartSize is the size of each part of a multipart upload, and the
	// largest object sent in a single request. Zero means DefaultPartSize;
	// at least MinPartSize. A Put of unknown size buffers one part in memory.
	PartSize int64
	// Timeout bounds the time an operation may wait on the server without
	// any progress (no response, no byte sent or received), retries
	// included. Zero means DefaultTimeout. Time spent in the caller's code
	// (reading a Put's source, between reads of a Get, between List items)
	// does not count.
	Timeout time.Duration
	// MaxRetries is how many times a request is tried on transient errors
	// (connection refused or reset, 5xx, throttling). Zero means
	// DefaultMaxRetries; 1 means no retry.
	MaxRetries int
	// ListPageSize is the number of keys asked for per List request. Zero
	// lets the server choose (1000 on AWS).
	ListPageSize int
	// Getenv reads the environment: AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION. Nil means
	// os.Getenv. Tests use it to give a store its own credentials.
	Getenv func(string) string
}

// urlOptions are the query options ParseURL knows.
var urlOptions = []string{"endpoint", "region", "path_style", "sse", "sse_kms_key", "insecure", "iam", "timeout", "max_retries"}

// ParseURL parses a store URL:
//
//	s3://BUCKET[/PREFIX][?endpoint=http://host:port&region=us-east-1&path_style=true&sse=AES256]
//
// Options: endpoint (server base URL; none means AWS), region, path_style
// (true by default with an endpoint), sse (AES256, or aws:kms with
// sse_kms_key), insecure (skip TLS verification), iam (use the instance's
// IAM role when the environment has no keys), timeout (a Go duration such
// as 30s) and max_retries. Credentials are never part of the URL: a URL
// with a user or password, or a credential option, is refused.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, which may hold a secret.
		return Config{}, fmt.Errorf("s3 store URL: %w", errors.Unwrap(err))
	}
	if u.User != nil {
		return Config{}, errors.New("s3 store URL: credentials in the URL are refused (they would end up in logs and shell history): " +
			"set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
	}
	if u.Scheme != "s3" {
		return Config{}, fmt.Errorf("s3 store URL %s: scheme %q, want s3://BUCKET/PREFIX", redact(u), u.Scheme)
	}
	if u.Opaque != "" {
		return Config{}, fmt.Errorf("s3 store URL %s: want s3://BUCKET/PREFIX", redact(u))
	}
	cfg := Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if cfg.Bucket == "" {
		return Config{}, fmt.Errorf("s3 store URL %s: no bucket: want s3://BUCKET/PREFIX", redact(u))
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("s3 store URL: query: %w", err)
	}
	for name, vals := range q {
		if isCredentialOption(name) {
			return Config{}, fmt.Errorf("s3 store URL: option %q refused: credentials come only from the environment "+
				"(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)", name)
		}
		known := false
		for _, o := range urlOptions {
			known = known || o == name
		}
		if !known {
			return Config{}, fmt.Errorf("s3 store URL: unknown option %q (known: %s)", name, strings.Join(urlOptions, ", "))
		}
		if len(vals) > 1 {
			return Config{}, fmt.Errorf("s3 store URL: option %q given %d times", name, len(vals))
		}
	}
	cfg.Endpoint = q.Get("endpoint")
	cfg.Region = q.Get("region")
	cfg.SSE = q.Get("sse")
	cfg.SSEKMSKeyID = q.Get("sse_kms_key")
	if q.Has("path_style") {
		b, err := parseBool("path_style", q.Get("path_style"))
		if err != nil {
			return Config{}, err
		}
		cfg.Addressing = AddressingVirtualHost
		if b {
			cfg.Addressing = AddressingPath
		}
	}
	if cfg.Insecure, err = parseBool("insecure", q.Get("insecure")); err != nil {
		return Config{}, err
	}
	if cfg.IAM, err = parseBool("iam", q.Get("iam")); err != nil {
		return Config{}, err
	}
	if v := q.Get("timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("s3 store URL: timeout=%q: want a positive duration such as 30s or 2m", v)
		}
		cfg.Timeout = d
	}
	if v := q.Get("max_retries"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Config{}, fmt.Errorf("s3 store URL: max_retries=%q: want a whole number of tries, 1 or more", v)
		}
		cfg.MaxRetries = n
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("s3 store URL: %w", err)
	}
	return cfg, nil
}

func parseBool(name, v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("s3 store URL: %s=%q: want true or false", name, v)
	}
	return b, nil
}

func isCredentialOption(name string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
	for _, w := range []string{"secret", "password", "accesskey", "token", "credential"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// validate checks the fields New and ParseURL share, without defaults.
func (c Config) validate() error {
	if err := s3utils.CheckValidBucketNameStrict(c.Bucket); err != nil {
		return fmt.Errorf("bucket %q: %w", c.Bucket, err)
	}
	if c.Prefix != "" {
		if err := storage.ValidateKey(c.Prefix); err != nil {
			return fmt.Errorf("prefix: %w", err)
		}
	}
	if c.Endpoint != "" {
		if _, err := parseEndpoint(c.Endpoint); err != nil {
			return err
		}
	}
	switch c.SSE {
	case SSENone, SSES3:
		if c.SSEKMSKeyID != "" {
			return fmt.Errorf("sse_kms_key needs sse=%s", SSEKMS)
		}
	case SSEKMS:
	default:
		return fmt.Errorf("sse=%q: want %s or %s", c.SSE, SSES3, SSEKMS)
	}
	if c.PartSize != 0 && c.PartSize < MinPartSize {
		return fmt.Errorf("part size %d: S3 needs at least %d bytes (5 MiB)", c.PartSize, MinPartSize)
	}
	if c.Timeout < 0 || c.MaxRetries < 0 || c.ListPageSize < 0 {
		return errors.New("timeout, max retries and list page size must not be negative")
	}
	return nil
}

// parseEndpoint checks an endpoint URL: http or https, a host, no
// credentials, no path.
func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint: %w", errors.Unwrap(err))
	}
	if u.User != nil {
		return nil, errors.New("endpoint: credentials in the URL are refused: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: want http://host:port or https://host", raw)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q: want only a scheme, host and port, such as http://minio.lan:9000", raw)
	}
	return u, nil
}

// String gives the store URL of c (the form ParseURL reads), with the
// options that differ from their defaults. It holds no credentials: Config
// has none.
func (c Config) String() string {
	u := url.URL{Scheme: "s3", Host: c.Bucket}
	if c.Prefix != "" {
		u.Path = "/" + c.Prefix
	}
	var q []string
	set := func(k, v string) {
		if v != "" {
			// ":" and "/" are valid in a query; keep endpoints readable.
			v = strings.NewReplacer("%3A", ":", "%2F", "/").Replace(url.QueryEscape(v))
			q = append(q, k+"="+v)
		}
	}
	set("endpoint", c.Endpoint)
	set("region", c.Region)
	switch c.Addressing {
	case AddressingPath:
		set("path_style", "true")
	case AddressingVirtualHost:
		set("path_style", "false")
	}
	set("sse", c.SSE)
	set("sse_kms_key", c.SSEKMSKeyID)
	if c.Insecure {
		set("insecure", "true")
	}
	if c.IAM {
		set("iam", "true")
	}
	if c.Timeout != 0 {
		set("timeout", c.Timeout.String())
	}
	if c.MaxRetries != 0 {
		set("max_retries", strconv.Itoa(c.MaxRetries))
	}
	u.RawQuery = strings.Join(q, "&")
	return u.String()
}

// redact drops the query (which could hold a secret the user meant to refuse).
func redact(u *url.URL) string {
	v := *u
	v.RawQuery = ""
	v.User = nil
	return v.String()
}
