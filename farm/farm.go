// Package farm keeps each batch's state and acts on batches from outside
// the workers. It holds the farm's state in Redis, typed (Tracker), the
// manifest built from it and written to the store (Manifests), and one
// type per role, each built only from what it uses:
//
//   - Uploader stores a new batch's files and queues their split (sohoa
//     submit and run, the API's uploads);
//   - Admin steers batches: cancel, retry, repair, and the corrections
//     people make to texts and metadata (sohoa retry, cancel, repair, the
//     API, the workers' reconciler);
//   - Reader reads where batches stand and their live manifests (sohoa
//     status, failed, the API).
//
// None of them runs a stage or needs an OCR engine: the stages are package
// workers', which uses the Tracker and Manifests too. Every role needs
// Redis and the store; docs/architecture.md draws how they fit.
package farm

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
)

// Config is what the roles are built from. Store and Redis are required;
// the zero value of every other field is documented on it. Each role uses
// only the fields it needs.
type Config struct {
	Store storage.Store
	Redis redis.UniversalClient
	// Stages are the retries and timeouts of the tasks an Uploader or an
	// Admin queues, by stage (see queue.NewClient). Nil: queue.DefaultOptions.
	Stages map[string]queue.Options
	// Limits bound what an Uploader accepts (bytes per file and per batch).
	// Zero: source.Limits' defaults.
	Limits source.Limits
	// Producer names the software in manifests. Default "sohoa".
	Producer string
	// Name names this process in logs and manifest leases. Default
	// "host:pid".
	Name string
	// ManifestLease bounds how long one writer may hold a batch's manifest
	// lease. Default 60s.
	ManifestLease time.Duration
	// Logger; default slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.Store == nil {
		return c, errors.New("farm: Config.Store is required")
	}
	if c.Redis == nil {
		return c, errors.New("farm: Config.Redis is required")
	}
	if c.Producer == "" {
		c.Producer = "sohoa"
	}
	if c.Name == "" {
		c.Name = DefaultName()
	}
	if c.ManifestLease == 0 {
		c.ManifestLease = 60 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.Limits = c.Limits.WithDefaults()
	return c, nil
}

// DefaultName is "host:pid".
func DefaultName() string {
	h, err := os.Hostname()
	if err != nil {
		h = "unknown"
	}
	return fmt.Sprintf("%s:%d", h, os.Getpid())
}
