package queue

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Inspector finds and removes the farm's tasks by their IDs, in any state
// (pending, active, scheduled, retry, archived) and on any of the queues
// a task of its type can be on (with their "-high" variants). Repair uses
// it to find lost work, retry to free a page's task IDs.
type Inspector struct {
	insp *asynq.Inspector
}

// NewInspector returns an Inspector on rdb. Close it when done (the Redis
// client stays open).
func NewInspector(rdb redis.UniversalClient) *Inspector {
	return &Inspector{insp: asynq.NewInspectorFromRedisClient(rdb)}
}

// Close releases the inspector.
func (i *Inspector) Close() error { return i.insp.Close() }

// HasSplit reports whether the split task of a source exists.
func (i *Inspector) HasSplit(batchID, sourceID string) bool {
	return i.has(SplitTaskID(batchID, sourceID), QueueSplit)
}

// HasPage reports whether a cleanup or OCR task of a page exists.
func (i *Inspector) HasPage(batchID, pageID string) bool {
	return i.has(CleanupTaskID(batchID, pageID), QueueCleanup, QueueLarge) ||
		i.has(OCRTaskID(batchID, pageID), QueueOCR, QueueLarge)
}

// HasFinalize reports whether a batch's finalize task exists.
func (i *Inspector) HasFinalize(batchID string) bool {
	return i.has(FinalizeTaskID(batchID), QueueFinalize)
}

func (i *Inspector) has(id string, queues ...string) bool {
	for _, q := range queues {
		for _, name := range []string{q, q + "-high"} {
			if _, err := i.insp.GetTaskInfo(name, id); err == nil {
				return true
			}
		}
	}
	return false
}

// DeletePageTasks removes the tasks of a page (its cleanup and OCR), of
// its source's split and of the batch's finalize, so fresh ones can be
// queued under the same IDs. Tasks running now cannot be deleted and are
// left alone; other failures are returned, joined, for the log.
func (i *Inspector) DeletePageTasks(batchID, pageID, sourceID string) error {
	ids := map[string][]string{
		SplitTaskID(batchID, sourceID): {QueueSplit},
		CleanupTaskID(batchID, pageID): {QueueCleanup, QueueLarge},
		OCRTaskID(batchID, pageID):     {QueueOCR, QueueLarge},
		FinalizeTaskID(batchID):        {QueueFinalize},
	}
	var errs []error
	for id, qs := range ids {
		for _, q := range qs {
			for _, name := range []string{q, q + "-high"} {
				if err := i.insp.DeleteTask(name, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) &&
					!errors.Is(err, asynq.ErrQueueNotFound) && !strings.Contains(err.Error(), "active") {
					errs = append(errs, fmt.Errorf("delete task %s from queue %s: %w", id, name, err))
				}
			}
		}
	}
	return errors.Join(errs...)
}
