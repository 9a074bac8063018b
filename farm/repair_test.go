package farm_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/farmtest"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// lose deletes every pending task of a queue, as a Redis that lost data would.
func lose(t *testing.T, insp *asynq.Inspector, q string) int {
	t.Helper()
	n, err := insp.DeleteAllPendingTasks(q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRepairRequeuesLostTasks(t *testing.T) {
	t.Parallel()
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("ok")})
	insp := asynq.NewInspectorFromRedisClient(h.Redis)
	img := farmtest.PNG(t, farmtest.Image(t, 400, 200), 300)
	in := []farm.Input{h.File("a.png", img), h.File("b.png", img), h.File("c.png", img)}

	// Lost splits: hold the split queue, drop its tasks.
	if err := insp.PauseQueue(queue.QueueSplit); err != nil {
		t.Fatal(err)
	}
	id, err := h.Uploader.Submit(context.Background(), in, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := lose(t, insp, queue.QueueSplit); n != 3 {
		t.Fatalf("dropped %d split tasks, want 3", n)
	}
	// Lost cleanups: hold the cleanup queue before the splits run again.
	insp.PauseQueue(queue.QueueCleanup)
	rep, err := h.Admin.Repair(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Split) != 3 {
		t.Errorf("repair queued %d splits, want 3: %+v", len(rep.Split), rep)
	}
	insp.UnpauseQueue(queue.QueueSplit)
	h.WaitFor(id, func(c farm.Progress) bool { return c.Split == 3 })
	for deadline := time.Now().Add(10 * time.Second); ; {
		qi, err := insp.GetQueueInfo(queue.QueueSplit)
		if err == nil && qi.Active == 0 && qi.Pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := lose(t, insp, queue.QueueCleanup); n != 3 {
		t.Fatalf("dropped %d cleanup tasks, want 3", n)
	}
	rep, err = h.Admin.Repair(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Requeued) != 3 {
		t.Errorf("repair requeued %v, want the 3 pages", rep.Requeued)
	}
	// A second repair finds nothing more to do: the tasks exist now.
	if rep, _ := h.Admin.Repair(context.Background(), id); len(rep.Requeued)+len(rep.Split) != 0 {
		t.Errorf("second repair requeued again: %+v", rep)
	}
	insp.UnpauseQueue(queue.QueueCleanup)
	if m := h.Wait(id); m.Status != batch.StatusDone || len(m.Pages) != 3 {
		t.Errorf("after repair: status %s, %d pages", m.Status, len(m.Pages))
	}
}

func TestRepairRebuildsFromTheStore(t *testing.T) {
	t.Parallel()
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("ok")})
	rdb := h.Redis
	insp := asynq.NewInspectorFromRedisClient(rdb)
	img := farmtest.PNG(t, farmtest.Image(t, 400, 200), 300)
	in := []farm.Input{h.File("a.png", img), h.File("b.png", img)}
	insp.PauseQueue(queue.QueueOCR)
	id, err := h.Uploader.Submit(context.Background(), in, farm.SubmitOptions{Attrs: map[string]string{"title": "T"}})
	if err != nil {
		t.Fatal(err)
	}
	h.WaitFor(id, func(c farm.Progress) bool { return c.Pages == 2 })
	// Let one page finish, then lose Redis entirely.
	time.Sleep(300 * time.Millisecond)
	insp.UnpauseQueue(queue.QueueOCR)
	h.WaitFor(id, func(c farm.Progress) bool { return c.Done >= 1 })
	insp.PauseQueue(queue.QueueOCR)
	time.Sleep(200 * time.Millisecond)
	if err := rdb.FlushAll(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	rep, err := h.Admin.Repair(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Rebuilt {
		t.Errorf("repair did not rebuild: %+v", rep)
	}
	m := h.Wait(id)
	if m.Status != batch.StatusDone || m.Counts.Done != 2 || m.Attrs["title"] != "T" {
		t.Errorf("after rebuild: status %s counts %+v attrs %v", m.Status, m.Counts, m.Attrs)
	}
}
