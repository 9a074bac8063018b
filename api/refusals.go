package api

import (
	"sync"
	"time"
)

// refusals keeps the audit log from being flooded by refusals: of the
// refusals with the same address, caller, action and status, the first
// burst in a window are written one by one; the others are counted, and
// written as one line (the last of them, with Repeated and Since) when
// the window ends. Nothing is lost: every refusal is on a line or counted
// on one.
type refusals struct {
	mu     sync.Mutex
	window time.Duration
	burst  int
	byKey  map[refusalKey]*refusalCount
}

type refusalKey struct {
	ip, actor, action string
	status            int
}

type refusalCount struct {
	start      time.Time
	n          int // refusals in the window
	suppressed int // of them, not written one by one
	last       AuditEvent
}

// maxRefusalKeys bounds the memory the counts take; past it, the refusals
// of new keys are counted together under one key whose address is "*".
const maxRefusalKeys = 10_000

func newRefusals(window time.Duration, burst int) *refusals {
	return &refusals{window: window, burst: burst, byKey: map[refusalKey]*refusalCount{}}
}

// note counts refusal e and says whether to write it now; due are the
// lines of windows that ended, to write first.
func (r *refusals) note(e AuditEvent) (write bool, due []AuditEvent) {
	k := refusalKey{ip: e.SourceIP, actor: e.Actor, action: e.Action, status: e.Status}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.byKey[k]
	if c != nil && e.Time.Sub(c.start) >= r.window {
		due = append(due, c.summary(e.Time)...)
		delete(r.byKey, k)
		c = nil
	}
	if c == nil {
		if len(r.byKey) >= maxRefusalKeys {
			due = append(due, r.expire(e.Time, false)...)
		}
		if len(r.byKey) >= maxRefusalKeys {
			k = refusalKey{ip: "*", action: e.Action, status: e.Status}
			e.SourceIP, e.Actor, e.Role = "*", "", ""
			c = r.byKey[k]
		}
		if c == nil {
			c = &refusalCount{start: e.Time}
			r.byKey[k] = c
		}
	}
	c.n++
	if c.n <= r.burst {
		return true, due
	}
	c.suppressed++
	c.last = e
	return false, due
}

// expire ends the windows that are over at now (all of them if all) and
// returns their lines.
func (r *refusals) expire(now time.Time, all bool) []AuditEvent {
	var out []AuditEvent
	for k, c := range r.byKey {
		if all || now.Sub(c.start) >= r.window {
			out = append(out, c.summary(now)...)
			delete(r.byKey, k)
		}
	}
	return out
}

// flush returns the lines of the windows over at now (all if all).
func (r *refusals) flush(now time.Time, all bool) []AuditEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.expire(now, all)
}

// summary is the line standing for the refusals not written one by one.
func (c *refusalCount) summary(now time.Time) []AuditEvent {
	if c.suppressed == 0 {
		return nil
	}
	e := c.last
	e.Time, e.Repeated, e.Since = now, c.suppressed, c.start
	return []AuditEvent{e}
}
