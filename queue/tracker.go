package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Page states kept by the Tracker.
const (
	StatePending   = "pending"
	StateDone      = "done"
	StateFailed    = "failed"
	StateCancelled = "cancelled"
)

// Batch statuses kept by the Tracker (and written to batch.json).
const (
	BatchQueued     = "queued"     // created, nothing split yet
	BatchRunning    = "running"    // pages being processed
	BatchDone       = "done"       // finished, every page done
	BatchPartial    = "partial"    // finished, some pages failed
	BatchFailed     = "failed"     // finished, no page done
	BatchCancelling = "cancelling" // cancel requested; pages in flight finish, then "cancelled"
	BatchCancelled  = "cancelled"  // cancelled by a user
)

// ErrUnknownBatch is returned for a batch the Tracker has no record of.
var ErrUnknownBatch = errors.New("unknown batch")

// Tracker keeps each batch's progress in Redis: how many sources were
// split, how many pages exist, and each page's state and manifest entry.
// Every update is one Lua script, so counts never drift, and repeating an
// update (a task that ran twice) changes nothing.
//
// All of a batch's keys share the hash tag {<batch id>}, so the scripts
// work on Redis Cluster too.
type Tracker struct {
	rdb redis.UniversalClient
}

// NewTracker returns a Tracker on rdb.
func NewTracker(rdb redis.UniversalClient) *Tracker { return &Tracker{rdb: rdb} }

// Redis returns the client the tracker uses.
func (t *Tracker) Redis() redis.UniversalClient { return t.rdb }

const batchesKey = "sohoa:batches"

func keyMeta(b string) string    { return "sohoa:{" + b + "}:meta" }
func keyState(b string) string   { return "sohoa:{" + b + "}:state" }
func keyPages(b string) string   { return "sohoa:{" + b + "}:pages" }
func keySplits(b string) string  { return "sohoa:{" + b + "}:splits" }
func keySources(b string) string { return "sohoa:{" + b + "}:sources" }
func keyLock(b string) string    { return "sohoa:{" + b + "}:manifest-lock" }
func keyDirty(b string) string   { return "sohoa:{" + b + "}:manifest-dirty" }
func keyEvents(b string) string  { return "sohoa:{" + b + "}:events" }
func keyAttrs(b string) string   { return "sohoa:{" + b + "}:attrs" }
func keySrcInfo(b string) string { return "sohoa:{" + b + "}:srcinfo" }
func keyActive() string          { return "sohoa:batches:active" }
func batchKeys(b string) []string {
	return []string{keyMeta(b), keyState(b), keyPages(b), keySplits(b), keySources(b)}
}

// Counts is where a batch stands.
type Counts struct {
	Sources   int `json:"sources"`   // source files known (zip entries add to it)
	Split     int `json:"split"`     // sources already split into pages
	Pages     int `json:"pages"`     // pages known so far
	Done      int `json:"done"`      // pages done
	Failed    int `json:"failed"`    // pages failed
	Cancelled int `json:"cancelled"` // pages cancelled
	// Status is the batch status (queued, running, done, partial, failed, cancelled).
	Status string `json:"status"`
	// Version increases with every change.
	Version int64 `json:"version"`
}

// Pending is the number of pages not finished yet.
func (c Counts) Pending() int { return c.Pages - c.Done - c.Failed - c.Cancelled }

// Complete reports whether every source is split and every page finished.
func (c Counts) Complete() bool {
	return c.Sources > 0 && c.Split >= c.Sources && c.Pending() == 0
}

// Finished reports whether the batch has reached a final status.
func (c Counts) Finished() bool {
	switch c.Status {
	case BatchDone, BatchPartial, BatchFailed, BatchCancelled:
		return true
	}
	return false
}

// BatchInfo is what the Tracker records when a batch is created.
type BatchInfo struct {
	ID      string
	Created time.Time
	Sources []SourceRef
	// Attrs are free batch attributes (title, fonds, priority, webhook ...)
	// that workers need later; values are strings.
	Attrs map[string]string
}

// countsLua returns the counts array every script ends with:
// sources, split, pages, done, failed, cancelled, version, status.
const countsLua = `
local function counts(meta)
  local v = redis.call('HMGET', meta, 'sources', 'split', 'pages', 'done', 'failed', 'cancelled', 'version', 'status')
  for i = 1, 7 do v[i] = tonumber(v[i]) or 0 end
  v[8] = v[8] or ''
  return v
end
local function changed(meta, events)
  redis.call('HINCRBY', meta, 'version', 1)
  redis.call('HSET', meta, 'updated', ARGV[1])
  local c = counts(meta)
  redis.call('PUBLISH', events, table.concat(c, ' '))
  return c
end
`

func parseCounts(v any) (Counts, error) {
	a, ok := v.([]any)
	if !ok || len(a) != 8 {
		return Counts{}, fmt.Errorf("tracker: unexpected script result %v", v)
	}
	n := func(i int) int64 {
		switch x := a[i].(type) {
		case int64:
			return x
		case string:
			v, _ := strconv.ParseInt(x, 10, 64)
			return v
		}
		return 0
	}
	st, _ := a[7].(string)
	return Counts{Sources: int(n(0)), Split: int(n(1)), Pages: int(n(2)), Done: int(n(3)), Failed: int(n(4)),
		Cancelled: int(n(5)), Version: n(6), Status: st}, nil
}

func nowArg() string { return strconv.FormatInt(time.Now().UnixMilli(), 10) }

// CreateBatch records a new batch. Creating a batch that exists is an error.
func (t *Tracker) CreateBatch(ctx context.Context, b BatchInfo) error {
	if len(b.Sources) == 0 {
		return fmt.Errorf("create batch %s: no sources", b.ID)
	}
	ok, err := t.rdb.HSetNX(ctx, keyMeta(b.ID), "created", b.Created.UnixMilli()).Result()
	if err != nil {
		return fmt.Errorf("create batch %s: %w", b.ID, err)
	}
	if !ok {
		return fmt.Errorf("create batch %s: already exists", b.ID)
	}
	srcs := make([]any, 0, 2*len(b.Sources))
	for _, s := range b.Sources {
		j, _ := json.Marshal(s)
		srcs = append(srcs, s.ID, j)
	}
	_, err = t.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, keyMeta(b.ID), "sources", len(b.Sources), "split", 0, "pages", 0, "done", 0, "failed", 0,
			"cancelled", 0, "version", 1, "status", BatchQueued, "updated", b.Created.UnixMilli())
		p.HSet(ctx, keySources(b.ID), srcs...)
		if len(b.Attrs) > 0 {
			p.HSet(ctx, keyAttrs(b.ID), b.Attrs)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create batch %s: %w", b.ID, err)
	}
	if err := t.rdb.ZAdd(ctx, batchesKey, redis.Z{Score: float64(b.Created.UnixMilli()), Member: b.ID}).Err(); err != nil {
		return fmt.Errorf("create batch %s: %w", b.ID, err)
	}
	if err := t.rdb.SAdd(ctx, keyActive(), b.ID).Err(); err != nil {
		return fmt.Errorf("create batch %s: %w", b.ID, err)
	}
	return nil
}

var registerSplitScript = redis.NewScript(countsLua + `
-- KEYS: meta state pages splits sources events
-- ARGV: now sourceID nChildren child1ID child1JSON ... pageID...
local meta, state, splits, sources, events = KEYS[1], KEYS[2], KEYS[4], KEYS[5], KEYS[6]
if redis.call('EXISTS', meta) == 0 then return redis.error_reply('unknown batch') end
if redis.call('SADD', splits, ARGV[2]) == 0 then return counts(meta) end
redis.call('HINCRBY', meta, 'split', 1)
local n = tonumber(ARGV[3])
local i = 4
for _ = 1, n do
  if redis.call('HSETNX', sources, ARGV[i], ARGV[i+1]) == 1 then
    redis.call('HINCRBY', meta, 'sources', 1)
  end
  i = i + 2
end
for j = i, #ARGV do
  if redis.call('HSETNX', state, ARGV[j], 'pending') == 1 then
    redis.call('HINCRBY', meta, 'pages', 1)
  end
end
local st = redis.call('HGET', meta, 'status')
if st == 'queued' then redis.call('HSET', meta, 'status', 'running') end
return changed(meta, events)
`)

// RegisterSplit records that source sourceID was split into pageIDs (all
// pending) and, for an archive, into child sources to be split in turn.
// Registering the same source twice changes nothing.
func (t *Tracker) RegisterSplit(ctx context.Context, batch, sourceID string, pageIDs []string, children []SourceRef) (Counts, error) {
	args := []any{nowArg(), sourceID, len(children)}
	for _, c := range children {
		j, _ := json.Marshal(c)
		args = append(args, c.ID, j)
	}
	for _, p := range pageIDs {
		args = append(args, p)
	}
	keys := append(batchKeys(batch), keyEvents(batch))
	v, err := registerSplitScript.Run(ctx, t.rdb, keys, args...).Result()
	if err != nil {
		return Counts{}, fmt.Errorf("register split of %s/%s: %w", batch, sourceID, mapScriptErr(err))
	}
	return parseCounts(v)
}

var setPageScript = redis.NewScript(countsLua + `
-- KEYS: meta state pages splits sources events
-- ARGV: now pageID newState summary
local meta, state, pages, events = KEYS[1], KEYS[2], KEYS[3], KEYS[6]
local page, new = ARGV[2], ARGV[3]
if redis.call('EXISTS', meta) == 0 then return redis.error_reply('unknown batch') end
local old = redis.call('HGET', state, page)
if not old then
  redis.call('HINCRBY', meta, 'pages', 1)
  old = 'pending'
end
if ARGV[4] ~= '' then redis.call('HSET', pages, page, ARGV[4]) end
if old == new then return counts(meta) end
redis.call('HSET', state, page, new)
if old ~= 'pending' then redis.call('HINCRBY', meta, old, -1) end
if new ~= 'pending' then redis.call('HINCRBY', meta, new, 1) end
return changed(meta, events)
`)

// SetPage moves a page to state (pending, done, failed, cancelled) and
// stores its manifest entry (summary, opaque JSON; nil keeps the old one).
// It returns the batch counts after the change.
func (t *Tracker) SetPage(ctx context.Context, batch, pageID, state string, summary []byte) (Counts, error) {
	switch state {
	case StatePending, StateDone, StateFailed, StateCancelled:
	default:
		return Counts{}, fmt.Errorf("set page %s/%s: unknown state %q", batch, pageID, state)
	}
	keys := append(batchKeys(batch), keyEvents(batch))
	v, err := setPageScript.Run(ctx, t.rdb, keys, nowArg(), pageID, state, string(summary)).Result()
	if err != nil {
		return Counts{}, fmt.Errorf("set page %s/%s: %w", batch, pageID, mapScriptErr(err))
	}
	return parseCounts(v)
}

var setStatusScript = redis.NewScript(countsLua + `
-- KEYS: meta state pages splits sources events; ARGV: now status
local meta, events = KEYS[1], KEYS[6]
if redis.call('EXISTS', meta) == 0 then return redis.error_reply('unknown batch') end
if redis.call('HGET', meta, 'status') == ARGV[2] then return counts(meta) end
local cur = redis.call('HGET', meta, 'status')
if cur == 'cancelled' then return counts(meta) end
if cur == 'cancelling' and ARGV[2] ~= 'cancelled' then return counts(meta) end
redis.call('HSET', meta, 'status', ARGV[2])
local final = {done=true, partial=true, failed=true, cancelled=true}
if final[ARGV[2]] then redis.call('HSET', meta, 'finished', ARGV[1]) else redis.call('HDEL', meta, 'finished') end
return changed(meta, events)
`)

// SetStatus sets the batch status. A cancelled batch stays cancelled; a
// cancelling one can only become cancelled.
func (t *Tracker) SetStatus(ctx context.Context, batch, status string) (Counts, error) {
	keys := append(batchKeys(batch), keyEvents(batch))
	v, err := setStatusScript.Run(ctx, t.rdb, keys, nowArg(), status).Result()
	if err != nil {
		return Counts{}, fmt.Errorf("set status of %s: %w", batch, mapScriptErr(err))
	}
	c, err := parseCounts(v)
	if err != nil {
		return c, err
	}
	if c.Finished() {
		t.rdb.SRem(ctx, keyActive(), batch)
	} else {
		t.rdb.SAdd(ctx, keyActive(), batch)
	}
	return c, nil
}

func mapScriptErr(err error) error {
	if err != nil && err.Error() == "unknown batch" {
		return ErrUnknownBatch
	}
	return err
}

// Counts returns where the batch stands.
func (t *Tracker) Counts(ctx context.Context, batch string) (Counts, error) {
	v, err := t.rdb.HMGet(ctx, keyMeta(batch), "sources", "split", "pages", "done", "failed", "cancelled", "version", "status").Result()
	if err != nil {
		return Counts{}, fmt.Errorf("counts of %s: %w", batch, err)
	}
	if v[0] == nil {
		return Counts{}, fmt.Errorf("counts of %s: %w", batch, ErrUnknownBatch)
	}
	n := func(i int) int64 {
		s, _ := v[i].(string)
		x, _ := strconv.ParseInt(s, 10, 64)
		return x
	}
	st, _ := v[7].(string)
	return Counts{Sources: int(n(0)), Split: int(n(1)), Pages: int(n(2)), Done: int(n(3)), Failed: int(n(4)),
		Cancelled: int(n(5)), Version: n(6), Status: st}, nil
}

// Times are a batch's timestamps (UTC); Finished is zero until it finishes.
type Times struct {
	Created, Updated, Finished time.Time
}

// Times returns when the batch was created, last changed and finished.
func (t *Tracker) Times(ctx context.Context, batch string) (Times, error) {
	v, err := t.rdb.HMGet(ctx, keyMeta(batch), "created", "updated", "finished").Result()
	if err != nil {
		return Times{}, fmt.Errorf("batch %s: %w", batch, err)
	}
	if v[0] == nil {
		return Times{}, fmt.Errorf("batch %s: %w", batch, ErrUnknownBatch)
	}
	ts := func(x any) time.Time {
		s, _ := x.(string)
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil || ms == 0 {
			return time.Time{}
		}
		return time.UnixMilli(ms).UTC()
	}
	return Times{Created: ts(v[0]), Updated: ts(v[1]), Finished: ts(v[2])}, nil
}

// SetSourceInfo stores what is known about a source (opaque JSON: size,
// checksum, type, pages, error) for the manifest.
func (t *Tracker) SetSourceInfo(ctx context.Context, batch, sourceID string, info []byte) error {
	if err := t.rdb.HSet(ctx, keySrcInfo(batch), sourceID, info).Err(); err != nil {
		return fmt.Errorf("source info %s/%s: %w", batch, sourceID, err)
	}
	return nil
}

// SourceInfo returns the stored info of every source, by source ID.
func (t *Tracker) SourceInfo(ctx context.Context, batch string) (map[string][]byte, error) {
	m, err := t.rdb.HGetAll(ctx, keySrcInfo(batch)).Result()
	if err != nil {
		return nil, fmt.Errorf("source info of %s: %w", batch, err)
	}
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out, nil
}

// Attrs returns the batch attributes given at creation.
func (t *Tracker) Attrs(ctx context.Context, batch string) (map[string]string, error) {
	m, err := t.rdb.HGetAll(ctx, keyAttrs(batch)).Result()
	if err != nil {
		return nil, fmt.Errorf("attributes of %s: %w", batch, err)
	}
	return m, nil
}

// SetAttr sets one batch attribute.
func (t *Tracker) SetAttr(ctx context.Context, batch, name, value string) error {
	if err := t.rdb.HSet(ctx, keyAttrs(batch), name, value).Err(); err != nil {
		return fmt.Errorf("set attribute %s of %s: %w", name, batch, err)
	}
	return nil
}

// Sources returns every source of the batch (zip entries included), ordered by ID.
func (t *Tracker) Sources(ctx context.Context, batch string) ([]SourceRef, error) {
	m, err := t.rdb.HGetAll(ctx, keySources(batch)).Result()
	if err != nil {
		return nil, fmt.Errorf("sources of %s: %w", batch, err)
	}
	out := make([]SourceRef, 0, len(m))
	for id, j := range m {
		var s SourceRef
		if err := json.Unmarshal([]byte(j), &s); err != nil {
			return nil, fmt.Errorf("sources of %s: source %s: %w", batch, id, err)
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b SourceRef) int { return CompareIDs(a.ID, b.ID) })
	return out, nil
}

// Pages returns every page's state and manifest entry (nil if none yet).
func (t *Tracker) Pages(ctx context.Context, batch string) (states map[string]string, summaries map[string][]byte, err error) {
	var sc, pc *redis.MapStringStringCmd
	_, err = t.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		sc = p.HGetAll(ctx, keyState(batch))
		pc = p.HGetAll(ctx, keyPages(batch))
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("pages of %s: %w", batch, err)
	}
	summaries = map[string][]byte{}
	for k, v := range pc.Val() {
		summaries[k] = []byte(v)
	}
	return sc.Val(), summaries, nil
}

// SplitDone reports whether source sourceID of the batch was split already.
func (t *Tracker) SplitDone(ctx context.Context, batch, sourceID string) (bool, error) {
	ok, err := t.rdb.SIsMember(ctx, keySplits(batch), sourceID).Result()
	if err != nil {
		return false, fmt.Errorf("split of %s/%s: %w", batch, sourceID, err)
	}
	return ok, nil
}

// Batches lists batch IDs, newest first.
func (t *Tracker) Batches(ctx context.Context, offset, limit int) ([]string, int, error) {
	total, err := t.rdb.ZCard(ctx, batchesKey).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("list batches: %w", err)
	}
	ids, err := t.rdb.ZRevRange(ctx, batchesKey, int64(offset), int64(offset+limit-1)).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("list batches: %w", err)
	}
	return ids, int(total), nil
}

// ActiveBatches lists the batches that have not reached a final status.
func (t *Tracker) ActiveBatches(ctx context.Context) ([]string, error) {
	ids, err := t.rdb.SMembers(ctx, keyActive()).Result()
	if err != nil {
		return nil, fmt.Errorf("active batches: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// Watch calls fn with the batch counts now and after every change, until
// fn returns false or ctx ends. It listens to the batch's Redis channel
// and also polls every poll interval, so a missed message only delays it.
func (t *Tracker) Watch(ctx context.Context, batch string, poll time.Duration, fn func(Counts) bool) error {
	sub := t.rdb.Subscribe(ctx, keyEvents(batch))
	defer sub.Close()
	ch := sub.Channel()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var last int64 = -1
	for {
		c, err := t.Counts(ctx, batch)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if c.Version != last {
			last = c.Version
			if !fn(c) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		case <-tick.C:
		}
	}
}

// Manifest writing is serialised per batch: one writer at a time holds a
// lease; others mark the manifest dirty and leave, and the holder writes
// again until it is clean. Nothing is missed and writes never interleave.

// AcquireManifest marks the batch's manifest dirty and tries to take the
// writer lease. If it returns false another writer holds it and will write.
func (t *Tracker) AcquireManifest(ctx context.Context, batch, owner string, ttl time.Duration) (bool, error) {
	if err := t.rdb.Set(ctx, keyDirty(batch), 1, 0).Err(); err != nil {
		return false, fmt.Errorf("manifest of %s: %w", batch, err)
	}
	ok, err := t.rdb.SetNX(ctx, keyLock(batch), owner, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("manifest of %s: %w", batch, err)
	}
	return ok, nil
}

// ClaimDirty clears the dirty mark before a write; the writer writes the
// state it reads after this call.
func (t *Tracker) ClaimDirty(ctx context.Context, batch, owner string, ttl time.Duration) error {
	if err := t.rdb.Set(ctx, keyDirty(batch), 0, 0).Err(); err != nil {
		return fmt.Errorf("manifest of %s: %w", batch, err)
	}
	// Extend the lease while we hold it.
	t.rdb.Expire(ctx, keyLock(batch), ttl)
	return nil
}

var releaseScript = redis.NewScript(`
-- KEYS: lock dirty; ARGV: owner. Returns 1 when released, 0 when dirty again (write once more).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 1 end
if redis.call('GET', KEYS[2]) == '1' then return 0 end
redis.call('DEL', KEYS[1])
return 1
`)

// ReleaseManifest gives the lease up unless the manifest became dirty
// since ClaimDirty; then it returns false and the caller writes again.
func (t *Tracker) ReleaseManifest(ctx context.Context, batch, owner string) (bool, error) {
	n, err := releaseScript.Run(ctx, t.rdb, []string{keyLock(batch), keyDirty(batch)}, owner).Int()
	if err != nil {
		return false, fmt.Errorf("manifest of %s: %w", batch, err)
	}
	return n == 1, nil
}

// CompareIDs orders source or page IDs ("0003", "0003.0001", "0003-0012")
// numerically, part by part.
func CompareIDs(a, b string) int {
	pa, pb := splitID(a), splitID(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return len(pa) - len(pb)
}

// splitID turns "0003.0001-0012" into [3 1 -1 12]: -1 separates the source
// part from the page part so "0003-0000" sorts before "0003.0001-0000".
func splitID(id string) []int {
	var out []int
	n, in := 0, false
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
			in = true
			continue
		}
		if in {
			out = append(out, n)
		}
		n, in = 0, false
		if c == '-' {
			out = append(out, -1)
		}
	}
	if in {
		out = append(out, n)
	}
	return out
}

var forceReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`)

// ReleaseManifestForce gives the lease up whatever the dirty mark says
// (after a failed write, so the next writer is not locked out).
func (t *Tracker) ReleaseManifestForce(ctx context.Context, batch, owner string) error {
	return forceReleaseScript.Run(ctx, t.rdb, []string{keyLock(batch)}, owner).Err()
}

// MarkManifestDirty notes that the manifest needs writing again.
func (t *Tracker) MarkManifestDirty(ctx context.Context, batch string) error {
	return t.rdb.Set(ctx, keyDirty(batch), 1, 0).Err()
}

var resetSourceScript = redis.NewScript(countsLua + `
-- KEYS: meta state pages splits sources events; ARGV: now sourceID
-- Forgets that the source was split and drops its pages, so it can be split again.
local meta, state, pages, splits, events = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6]
if redis.call('EXISTS', meta) == 0 then return redis.error_reply('unknown batch') end
if redis.call('SREM', splits, ARGV[2]) == 1 then redis.call('HINCRBY', meta, 'split', -1) end
local prefix = ARGV[2] .. '-'
local all = redis.call('HGETALL', state)
for i = 1, #all, 2 do
  local id, st = all[i], all[i+1]
  if string.sub(id, 1, #prefix) == prefix and not string.find(string.sub(id, #prefix + 1), '[^0-9]') then
    redis.call('HDEL', state, id)
    redis.call('HDEL', pages, id)
    redis.call('HINCRBY', meta, 'pages', -1)
    if st ~= 'pending' then redis.call('HINCRBY', meta, st, -1) end
  end
end
return changed(meta, events)
`)

// ResetSource forgets a source's split and its pages, so splitting it
// again starts afresh (retrying a file that could not be read at all).
func (t *Tracker) ResetSource(ctx context.Context, batch, sourceID string) (Counts, error) {
	keys := append(batchKeys(batch), keyEvents(batch))
	v, err := resetSourceScript.Run(ctx, t.rdb, keys, nowArg(), sourceID).Result()
	if err != nil {
		return Counts{}, fmt.Errorf("reset source %s/%s: %w", batch, sourceID, mapScriptErr(err))
	}
	return parseCounts(v)
}

// NextVersion returns the next version number (1, 2, ...) of a batch's
// named item (a page's corrected text, a document's metadata), so people
// correcting at the same time never get the same number.
func (t *Tracker) NextVersion(ctx context.Context, batch, item string) (int, error) {
	n, err := t.rdb.HIncrBy(ctx, "sohoa:{"+batch+"}:versions", item, 1).Result()
	if err != nil {
		return 0, fmt.Errorf("version of %s/%s: %w", batch, item, err)
	}
	return int(n), nil
}

// SetVersion sets the last version number of an item (when rebuilding a
// batch's state from the store).
func (t *Tracker) SetVersion(ctx context.Context, batch, item string, n int) error {
	return t.rdb.HSet(ctx, "sohoa:{"+batch+"}:versions", item, n).Err()
}
