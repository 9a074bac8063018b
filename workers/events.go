package workers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// announce publishes a finished batch's completion event: on the ingest
// queue for Go consumers, and to every webhook (the batch's own and the
// worker's configured ones) through retried batch:webhook tasks, so a
// receiver that is down gets it when it is back and OCR never waits.
func (f *Stages) announce(ctx context.Context, m *batch.Manifest) error {
	ev := webhook.NewEvent(m, f.store.String(), f.cfg.Producer, time.Now().UTC())
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if err := f.client.Finished(ctx, ev.ID, body); err != nil {
		return err
	}
	own, err := f.tracker.BatchWebhook(ctx, m.ID)
	if err != nil {
		return err
	}
	type target struct{ url, secret string }
	var targets []target
	if own.URL != "" {
		targets = append(targets, target{own.URL, "batch"})
	}
	for _, w := range f.cfg.Webhooks {
		targets = append(targets, target{w.URL, "config"})
	}
	for _, t := range targets {
		p := queue.WebhookPayload{BatchID: m.ID, URL: t.url, Secret: t.secret, EventID: ev.ID, Body: body}
		if err := f.client.Webhook(ctx, p, webhook.Retries); err != nil {
			return err
		}
	}
	return nil
}

// handleWebhook makes one delivery attempt; Asynq retries it with the
// webhook backoff (retryDelay) for about a day.
func (f *Stages) handleWebhook(ctx context.Context, t *asynq.Task) error {
	var p queue.WebhookPayload
	if err := queue.Decode(t, &p); err != nil {
		return permanent(err)
	}
	secret := ""
	switch p.Secret {
	case "batch":
		own, err := f.tracker.BatchWebhook(ctx, p.BatchID)
		if err != nil {
			return err
		}
		secret = own.Secret
	case "config":
		for _, w := range f.cfg.Webhooks {
			if w.URL == p.URL {
				secret = w.Secret
			}
		}
	}
	client := f.cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: webhook.Timeout}
	}
	err := webhook.Deliver(ctx, client, p.URL, secret, p.Body)
	if err == nil {
		f.log.Info("webhook delivered", "batch", p.BatchID, "event", p.EventID)
		return nil
	}
	retried, _ := asynq.GetRetryCount(ctx)
	f.log.Warn("webhook not delivered", "batch", p.BatchID, "event", p.EventID, "attempt", retried+1, "error", err)
	if errors.Is(err, webhook.ErrPermanent) {
		return permanent(err)
	}
	return err
}
