package queue

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Client queues the farm's tasks, each with its stage's options (retries,
// timeout) on the queue the batch's priority and the page's size choose.
// Queueing a task whose ID is already taken is not an error: that is how
// queueing the same work twice stays harmless.
type Client struct {
	c      *asynq.Client
	stages map[string]Options
}

// NewClient returns a Client on rdb. stages overrides DefaultOptions for
// the stages it names: their MaxRetry as given (0: no retries), and their
// Timeout and Queue when not zero. Close it when done (the Redis client
// stays open: the caller owns it).
func NewClient(rdb redis.UniversalClient, stages map[string]Options) *Client {
	all := maps.Clone(DefaultOptions)
	for k, v := range stages {
		d := all[k]
		d.MaxRetry = max(v.MaxRetry, 0)
		if v.Timeout != 0 {
			d.Timeout = v.Timeout
		}
		if v.Queue != "" {
			d.Queue = v.Queue
		}
		all[k] = d
	}
	return &Client{c: asynq.NewClientFromRedisClient(rdb), stages: all}
}

// Close releases the client.
func (c *Client) Close() error { return c.c.Close() }

// Options returns the options of stage q's tasks at a priority.
func (c *Client) Options(q, priority string) Options {
	o := c.stages[q]
	if o.Queue == "" {
		o.Queue = QueueName(q, priority)
	}
	return o
}

// pageOptions are a page task's options: large pages go to QueueLarge.
func (c *Client) pageOptions(q string, p PagePayload) Options {
	o := c.Options(q, p.Priority)
	if p.Large {
		o.Queue = QueueLarge
	}
	return o
}

// Split queues the split of a source.
func (c *Client) Split(ctx context.Context, p SplitPayload) error {
	t, err := NewSplitTask(p, c.Options(QueueSplit, p.Priority))
	return c.enqueue(ctx, t, err)
}

// Cleanup queues the cleanup of a page.
func (c *Client) Cleanup(ctx context.Context, p PagePayload) error {
	t, err := NewCleanupTask(p, c.pageOptions(QueueCleanup, p))
	return c.enqueue(ctx, t, err)
}

// OCR queues the OCR of a cleaned page.
func (c *Client) OCR(ctx context.Context, p PagePayload) error {
	t, err := NewOCRTask(p, c.pageOptions(QueueOCR, p))
	return c.enqueue(ctx, t, err)
}

// Finalize queues the finalize task of a batch of the given priority.
func (c *Client) Finalize(ctx context.Context, batchID, priority string) error {
	t, err := NewFinalizeTask(FinalizePayload{BatchID: batchID}, c.Options(QueueFinalize, priority))
	return c.enqueue(ctx, t, err)
}

// Webhook queues the delivery of a completion event to one receiver,
// retried maxRetry times.
func (c *Client) Webhook(ctx context.Context, p WebhookPayload, maxRetry int) error {
	t, err := NewWebhookTask(p, maxRetry)
	return c.enqueue(ctx, t, err)
}

// Finished publishes the batch:finished event on the ingest queue.
func (c *Client) Finished(ctx context.Context, eventID string, body []byte) error {
	if _, err := c.c.EnqueueContext(ctx, NewFinishedTask(eventID, body)); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("publish %s: %w", TypeFinished, err)
	}
	return nil
}

func (c *Client) enqueue(ctx context.Context, t *asynq.Task, err error) error {
	if err != nil {
		return err
	}
	_, err = c.c.EnqueueContext(ctx, t)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("enqueue %s: %w", t.Type(), err)
	}
	return nil
}
