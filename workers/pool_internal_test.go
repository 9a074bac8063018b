package workers

import (
	"context"
	"testing"

	"github.com/sohoa/sohoa/ocr"
)

type countedEngine struct{ closed *int }

func (e countedEngine) Recognize(context.Context, []byte) (*ocr.Page, error) { return &ocr.Page{}, nil }
func (e countedEngine) Name() string                                         { return "counted" }
func (e countedEngine) Close() error                                         { *e.closed++; return nil }

// Closing the pool while a task still reads (a worker stopping past its
// shutdown timeout) must not free that task's engine under it: the
// engine is closed when the task gives it back.
func TestEnginePoolCloseLeavesBorrowedEngines(t *testing.T) {
	t.Parallel()
	closed := 0
	p := &enginePool{newEngine: func() (ocr.Engine, error) { return countedEngine{&closed}, nil }}
	idle, _ := p.get()
	busy, _ := p.get()
	p.put(idle)
	p.close()
	if closed != 1 {
		t.Fatalf("close closed %d engines, want the idle one only", closed)
	}
	p.put(busy)
	if closed != 2 {
		t.Errorf("an engine given back after close was not closed (%d closed)", closed)
	}
	if _, err := p.get(); err == nil {
		t.Error("a closed pool lent an engine")
	}
}
