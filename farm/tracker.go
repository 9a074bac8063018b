package farm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// ErrUnknownBatch is returned for a batch the Tracker has no record of.
var ErrUnknownBatch = errors.New("unknown batch")

// Tracker is the farm's state in Redis, typed: each batch's progress (how
// many sources were split, how many pages exist, each page's state and
// manifest entry), its sources, user attributes, webhook, documents and
// corrections. Every value is marshalled here, with errors checked, so no
// other code reads or writes the farm's Redis keys.
//
// Progress changes are Lua scripts, so counts never drift, and repeating
// an update (a task that ran twice) changes nothing. All of a batch's keys
// share the hash tag {<batch id>}, so the scripts work on Redis Cluster
// too.
type Tracker struct {
	rdb redis.UniversalClient
}

// NewTracker returns a Tracker on rdb.
func NewTracker(rdb redis.UniversalClient) *Tracker { return &Tracker{rdb: rdb} }

const batchesKey = "sohoa:batches"

// A batch's keys (docs/operations.md lists them).
func keyMeta(b string) string     { return "sohoa:{" + b + "}:meta" }
func keyState(b string) string    { return "sohoa:{" + b + "}:state" }
func keyPages(b string) string    { return "sohoa:{" + b + "}:pages" }
func keySplits(b string) string   { return "sohoa:{" + b + "}:splits" }
func keySources(b string) string  { return "sohoa:{" + b + "}:sources" }
func keyLock(b string) string     { return "sohoa:{" + b + "}:manifest-lock" }
func keyDirty(b string) string    { return "sohoa:{" + b + "}:manifest-dirty" }
func keyEvents(b string) string   { return "sohoa:{" + b + "}:events" }
func keyAttrs(b string) string    { return "sohoa:{" + b + "}:attrs" }
func keySrcInfo(b string) string  { return "sohoa:{" + b + "}:srcinfo" }
func keyVersions(b string) string { return "sohoa:{" + b + "}:versions" }
func keyWebhook(b string) string  { return "sohoa:{" + b + "}:webhook" }
func keyDocs(b string) string     { return "sohoa:{" + b + "}:documents" }
func keyPrebuilt(b string) string { return "sohoa:{" + b + "}:prebuilt" }
func keyMetaCorr(b string) string { return "sohoa:{" + b + "}:metadata-corrections" }
func keyActive() string           { return "sohoa:batches:active" }
func batchKeys(b string) []string {
	return []string{keyMeta(b), keyState(b), keyPages(b), keySplits(b), keySources(b)}
}

// Progress is where a batch stands, live: its page counts, how many of
// its sources were split, its status, and a version that increases with
// every change.
type Progress struct {
	// Counts are the page counts; Blank is not tracked live (0).
	batch.Counts
	// Split counts the sources already split into pages.
	Split   int
	Status  batch.Status
	Version int64
}

// Complete reports whether every source is split and every page finished.
func (p Progress) Complete() bool {
	return p.Sources > 0 && p.Split >= p.Sources && p.Pending == 0
}

// Finished reports whether the batch has reached a final status.
func (p Progress) Finished() bool { return p.Status.Final() }

// BatchInfo is what the Tracker records when a batch is created.
type BatchInfo struct {
	ID      string
	Created time.Time
	Sources []queue.SourceRef
	// Attrs are the user's batch attributes (title, fonds, priority),
	// shown in batch.json; values are strings.
	Attrs map[string]string
	// Webhook is the batch's own receiver of its completion event, if
	// any. It is kept apart from the attributes and never shown.
	Webhook webhook.Target
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

func parseProgress(v any) (Progress, error) {
	a, ok := v.([]any)
	if !ok || len(a) != 8 {
		return Progress{}, fmt.Errorf("tracker: unexpected script result %v", v)
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
	return newProgress(n(0), n(1), n(2), n(3), n(4), n(5), n(6), st), nil
}

// newProgress assembles the progress from the meta hash's fields.
func newProgress(sources, split, pages, done, failed, cancelled, version int64, status string) Progress {
	p := Progress{Split: int(split), Status: batch.Status(status), Version: version}
	p.Sources, p.Pages, p.Done, p.Failed, p.Cancelled = int(sources), int(pages), int(done), int(failed), int(cancelled)
	p.Pending = p.Pages - p.Done - p.Failed - p.Cancelled
	return p
}

func nowArg() string { return strconv.FormatInt(time.Now().UnixMilli(), 10) }

// marshalField is json.Marshal for a value stored in a Redis field,
// naming what failed.
func marshalField(what string, v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", what, err)
	}
	return j, nil
}

// CreateBatch records a new batch. Creating a batch that exists is an error.
func (t *Tracker) CreateBatch(ctx context.Context, b BatchInfo) error {
	if len(b.Sources) == 0 {
		return fmt.Errorf("create batch %s: no sources", b.ID)
	}
	srcs := make([]any, 0, 2*len(b.Sources))
	for _, s := range b.Sources {
		j, err := marshalField("source "+s.ID, s)
		if err != nil {
			return fmt.Errorf("create batch %s: %w", b.ID, err)
		}
		srcs = append(srcs, s.ID, j)
	}
	ok, err := t.rdb.HSetNX(ctx, keyMeta(b.ID), "created", b.Created.UnixMilli()).Result()
	if err != nil {
		return fmt.Errorf("create batch %s: %w", b.ID, err)
	}
	if !ok {
		return fmt.Errorf("create batch %s: already exists", b.ID)
	}
	_, err = t.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, keyMeta(b.ID), "sources", len(b.Sources), "split", 0, "pages", 0, "done", 0, "failed", 0,
			"cancelled", 0, "version", 1, "status", string(batch.StatusQueued), "updated", b.Created.UnixMilli())
		p.HSet(ctx, keySources(b.ID), srcs...)
		if len(b.Attrs) > 0 {
			p.HSet(ctx, keyAttrs(b.ID), b.Attrs)
		}
		if b.Webhook.URL != "" {
			p.HSet(ctx, keyWebhook(b.ID), "url", b.Webhook.URL, "secret", b.Webhook.Secret)
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
func (t *Tracker) RegisterSplit(ctx context.Context, id, sourceID string, pageIDs []string, children []queue.SourceRef) (Progress, error) {
	args := []any{nowArg(), sourceID, len(children)}
	for _, c := range children {
		j, err := marshalField("source "+c.ID, c)
		if err != nil {
			return Progress{}, fmt.Errorf("register split of %s/%s: %w", id, sourceID, err)
		}
		args = append(args, c.ID, j)
	}
	for _, p := range pageIDs {
		args = append(args, p)
	}
	keys := append(batchKeys(id), keyEvents(id))
	v, err := registerSplitScript.Run(ctx, t.rdb, keys, args...).Result()
	if err != nil {
		return Progress{}, fmt.Errorf("register split of %s/%s: %w", id, sourceID, mapScriptErr(err))
	}
	return parseProgress(v)
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

// SetPage moves a page to state and, when entry is not nil, stores it as
// the page's manifest entry (nil keeps the one stored). It returns the
// batch's progress after the change.
func (t *Tracker) SetPage(ctx context.Context, id, pageID string, state batch.PageState, entry *batch.Page) (Progress, error) {
	if !state.Valid() {
		return Progress{}, fmt.Errorf("set page %s/%s: unknown state %q", id, pageID, state)
	}
	var summary []byte
	if entry != nil {
		var err error
		if summary, err = marshalField("page "+pageID, entry); err != nil {
			return Progress{}, fmt.Errorf("set page %s/%s: %w", id, pageID, err)
		}
	}
	keys := append(batchKeys(id), keyEvents(id))
	v, err := setPageScript.Run(ctx, t.rdb, keys, nowArg(), pageID, string(state), string(summary)).Result()
	if err != nil {
		return Progress{}, fmt.Errorf("set page %s/%s: %w", id, pageID, mapScriptErr(err))
	}
	return parseProgress(v)
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
func (t *Tracker) SetStatus(ctx context.Context, id string, status batch.Status) (Progress, error) {
	keys := append(batchKeys(id), keyEvents(id))
	v, err := setStatusScript.Run(ctx, t.rdb, keys, nowArg(), string(status)).Result()
	if err != nil {
		return Progress{}, fmt.Errorf("set status of %s: %w", id, mapScriptErr(err))
	}
	p, err := parseProgress(v)
	if err != nil {
		return p, err
	}
	if p.Finished() {
		t.rdb.SRem(ctx, keyActive(), id)
	} else {
		t.rdb.SAdd(ctx, keyActive(), id)
	}
	return p, nil
}

func mapScriptErr(err error) error {
	if err != nil && err.Error() == "unknown batch" {
		return ErrUnknownBatch
	}
	return err
}

// Progress returns where the batch stands.
func (t *Tracker) Progress(ctx context.Context, id string) (Progress, error) {
	v, err := t.rdb.HMGet(ctx, keyMeta(id), "sources", "split", "pages", "done", "failed", "cancelled", "version", "status").Result()
	if err != nil {
		return Progress{}, fmt.Errorf("progress of %s: %w", id, err)
	}
	if v[0] == nil {
		return Progress{}, fmt.Errorf("progress of %s: %w", id, ErrUnknownBatch)
	}
	n := func(i int) int64 {
		s, _ := v[i].(string)
		x, _ := strconv.ParseInt(s, 10, 64)
		return x
	}
	st, _ := v[7].(string)
	return newProgress(n(0), n(1), n(2), n(3), n(4), n(5), n(6), st), nil
}

// Times are a batch's timestamps (UTC); Finished is zero until it finishes.
type Times struct {
	Created, Updated, Finished time.Time
}

// Times returns when the batch was created, last changed and finished.
func (t *Tracker) Times(ctx context.Context, id string) (Times, error) {
	v, err := t.rdb.HMGet(ctx, keyMeta(id), "created", "updated", "finished").Result()
	if err != nil {
		return Times{}, fmt.Errorf("batch %s: %w", id, err)
	}
	if v[0] == nil {
		return Times{}, fmt.Errorf("batch %s: %w", id, ErrUnknownBatch)
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

// SetSourceInfo stores a source's manifest entry (size, checksum, type,
// pages, error).
func (t *Tracker) SetSourceInfo(ctx context.Context, id string, s batch.Source) error {
	j, err := marshalField("source "+s.ID, s)
	if err == nil {
		err = t.rdb.HSet(ctx, keySrcInfo(id), s.ID, j).Err()
	}
	if err != nil {
		return fmt.Errorf("source info %s/%s: %w", id, s.ID, err)
	}
	return nil
}

// UpdateSourceInfo changes the manifest entry of source sourceID (a new
// one if it has none).
func (t *Tracker) UpdateSourceInfo(ctx context.Context, id, sourceID string, change func(*batch.Source)) error {
	s := batch.Source{ID: sourceID}
	j, err := t.rdb.HGet(ctx, keySrcInfo(id), sourceID).Result()
	switch {
	case errors.Is(err, redis.Nil):
	case err != nil:
		return fmt.Errorf("source info %s/%s: %w", id, sourceID, err)
	default:
		if err := json.Unmarshal([]byte(j), &s); err != nil {
			return fmt.Errorf("source info %s/%s: %w", id, sourceID, err)
		}
	}
	change(&s)
	s.ID = sourceID
	return t.SetSourceInfo(ctx, id, s)
}

// SourceInfo returns the manifest entry of every source that has one, by
// source ID.
func (t *Tracker) SourceInfo(ctx context.Context, id string) (map[string]batch.Source, error) {
	m, err := t.rdb.HGetAll(ctx, keySrcInfo(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("source info of %s: %w", id, err)
	}
	out := make(map[string]batch.Source, len(m))
	for k, v := range m {
		var s batch.Source
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return nil, fmt.Errorf("source info %s/%s: %w", id, k, err)
		}
		out[k] = s
	}
	return out, nil
}

// Attrs returns the user's batch attributes given at creation (title,
// fonds, priority).
func (t *Tracker) Attrs(ctx context.Context, id string) (map[string]string, error) {
	m, err := t.rdb.HGetAll(ctx, keyAttrs(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("attributes of %s: %w", id, err)
	}
	maps.DeleteFunc(m, func(k, _ string) bool { return legacyField(k) })
	return m, nil
}

// BatchWebhook returns the batch's own webhook (a zero Target if it has none).
func (t *Tracker) BatchWebhook(ctx context.Context, id string) (webhook.Target, error) {
	m, err := t.rdb.HGetAll(ctx, keyWebhook(id)).Result()
	if err != nil {
		return webhook.Target{}, fmt.Errorf("webhook of %s: %w", id, err)
	}
	if len(m) == 0 {
		// A batch created by an older version kept it among its attributes.
		if m, err = t.legacy(ctx, id); err != nil {
			return webhook.Target{}, err
		}
		return webhook.Target{URL: m[legacyWebhookURL], Secret: m[legacyWebhookSecret]}, nil
	}
	return webhook.Target{URL: m["url"], Secret: m["secret"]}, nil
}

// Sources returns every source of the batch (zip entries included), ordered by ID.
func (t *Tracker) Sources(ctx context.Context, id string) ([]queue.SourceRef, error) {
	m, err := t.rdb.HGetAll(ctx, keySources(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("sources of %s: %w", id, err)
	}
	out := make([]queue.SourceRef, 0, len(m))
	for sid, j := range m {
		var s queue.SourceRef
		if err := json.Unmarshal([]byte(j), &s); err != nil {
			return nil, fmt.Errorf("sources of %s: source %s: %w", id, sid, err)
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b queue.SourceRef) int { return batch.CompareIDs(a.ID, b.ID) })
	return out, nil
}

// PageStates returns every page's state, by page ID.
func (t *Tracker) PageStates(ctx context.Context, id string) (map[string]batch.PageState, error) {
	m, err := t.rdb.HGetAll(ctx, keyState(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("pages of %s: %w", id, err)
	}
	out := make(map[string]batch.PageState, len(m))
	for k, v := range m {
		out[k] = batch.PageState(v)
	}
	return out, nil
}

// Pages returns every page's state and the manifest entries stored so far
// (a page still waiting for its first stage has none).
func (t *Tracker) Pages(ctx context.Context, id string) (states map[string]batch.PageState, entries map[string]batch.Page, err error) {
	var sc, pc *redis.MapStringStringCmd
	_, err = t.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		sc = p.HGetAll(ctx, keyState(id))
		pc = p.HGetAll(ctx, keyPages(id))
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("pages of %s: %w", id, err)
	}
	states = make(map[string]batch.PageState, len(sc.Val()))
	for k, v := range sc.Val() {
		states[k] = batch.PageState(v)
	}
	entries = make(map[string]batch.Page, len(pc.Val()))
	for k, v := range pc.Val() {
		if v == "" {
			continue
		}
		var pg batch.Page
		if err := json.Unmarshal([]byte(v), &pg); err != nil {
			return nil, nil, fmt.Errorf("page %s/%s: %w", id, k, err)
		}
		entries[k] = pg
	}
	return states, entries, nil
}

// Page returns one page's state and manifest entry (nil if it has none yet).
func (t *Tracker) Page(ctx context.Context, id, pageID string) (batch.PageState, *batch.Page, error) {
	var sc, pc *redis.StringCmd
	_, err := t.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		sc = p.HGet(ctx, keyState(id), pageID)
		pc = p.HGet(ctx, keyPages(id), pageID)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", nil, fmt.Errorf("page %s/%s: %w", id, pageID, err)
	}
	if errors.Is(sc.Err(), redis.Nil) {
		return "", nil, nil
	}
	state := batch.PageState(sc.Val())
	if pc.Val() == "" {
		return state, nil, nil
	}
	var pg batch.Page
	if err := json.Unmarshal([]byte(pc.Val()), &pg); err != nil {
		return "", nil, fmt.Errorf("page %s/%s: %w", id, pageID, err)
	}
	return state, &pg, nil
}

// SplitDone reports whether source sourceID of the batch was split already.
func (t *Tracker) SplitDone(ctx context.Context, id, sourceID string) (bool, error) {
	ok, err := t.rdb.SIsMember(ctx, keySplits(id), sourceID).Result()
	if err != nil {
		return false, fmt.Errorf("split of %s/%s: %w", id, sourceID, err)
	}
	return ok, nil
}

// Documents returns the batch's documents as finalize made them (nil
// before it ran).
func (t *Tracker) Documents(ctx context.Context, id string) ([]batch.Document, error) {
	j, err := t.rdb.Get(ctx, keyDocs(id)).Result()
	if errors.Is(err, redis.Nil) {
		// A batch finalized by an older version kept them among its attributes.
		m, lerr := t.legacy(ctx, id)
		j, err = m[legacyDocuments], lerr
	}
	if err != nil {
		return nil, fmt.Errorf("documents of %s: %w", id, err)
	}
	if j == "" {
		return nil, nil
	}
	var docs []batch.Document
	if err := json.Unmarshal([]byte(j), &docs); err != nil {
		return nil, fmt.Errorf("documents of %s: %w", id, err)
	}
	return docs, nil
}

// SetDocuments stores the batch's documents.
func (t *Tracker) SetDocuments(ctx context.Context, id string, docs []batch.Document) error {
	j, err := marshalField("documents", docs)
	if err == nil {
		err = t.rdb.Set(ctx, keyDocs(id), j, 0).Err()
	}
	if err != nil {
		return fmt.Errorf("documents of %s: %w", id, err)
	}
	return nil
}

// Prebuilt is a document made before finalize (the document of a one-page
// source, made when its page was read), and the page outputs it was made from.
type Prebuilt struct {
	Doc batch.Document `json:"doc"`
	// Basis is the page's SHA-256 of each output when the document was
	// made: finalize uses the document only if the page is still the same.
	Basis map[string]string `json:"basis"`
}

// Usable reports whether a prebuilt document still stands for pages: one
// page, done, with the outputs it was made from.
func (pb Prebuilt) Usable(pages []batch.Page) bool {
	return len(pages) == 1 && pages[0].Status == batch.StateDone && len(pb.Basis) > 0 &&
		maps.Equal(pb.Basis, pages[0].SHA256)
}

// Prebuilt returns the documents made before finalize, by source ID.
func (t *Tracker) Prebuilt(ctx context.Context, id string) (map[string]Prebuilt, error) {
	all, err := t.byPrefix(ctx, id, keyPrebuilt(id), legacyPrebuilt)
	if err != nil {
		return nil, fmt.Errorf("documents made early in %s: %w", id, err)
	}
	out := make(map[string]Prebuilt, len(all))
	for src, j := range all {
		var pb Prebuilt
		if err := json.Unmarshal([]byte(j), &pb); err != nil {
			return nil, fmt.Errorf("document made early %s/%s: %w", id, src, err)
		}
		out[src] = pb
	}
	return out, nil
}

// SetPrebuilt stores the document of source sourceID made before finalize.
func (t *Tracker) SetPrebuilt(ctx context.Context, id, sourceID string, pb Prebuilt) error {
	j, err := marshalField("document "+sourceID, pb)
	if err == nil {
		err = t.rdb.HSet(ctx, keyPrebuilt(id), sourceID, j).Err()
	}
	if err != nil {
		return fmt.Errorf("document made early %s/%s: %w", id, sourceID, err)
	}
	return nil
}

// MetadataCorrections returns each document's latest metadata correction,
// by source ID (kept apart from the documents, which finalize remakes).
func (t *Tracker) MetadataCorrections(ctx context.Context, id string) (map[string]batch.MetadataCorrection, error) {
	all, err := t.byPrefix(ctx, id, keyMetaCorr(id), legacyMetaCorr)
	if err != nil {
		return nil, fmt.Errorf("metadata corrections of %s: %w", id, err)
	}
	out := make(map[string]batch.MetadataCorrection, len(all))
	for src, j := range all {
		var c batch.MetadataCorrection
		if err := json.Unmarshal([]byte(j), &c); err != nil {
			return nil, fmt.Errorf("metadata correction %s/%s: %w", id, src, err)
		}
		out[src] = c
	}
	return out, nil
}

// SetMetadataCorrection makes c the latest metadata correction of source
// sourceID's document.
func (t *Tracker) SetMetadataCorrection(ctx context.Context, id, sourceID string, c batch.MetadataCorrection) error {
	j, err := marshalField("metadata correction "+sourceID, c)
	if err == nil {
		err = t.rdb.HSet(ctx, keyMetaCorr(id), sourceID, j).Err()
	}
	if err != nil {
		return fmt.Errorf("metadata correction %s/%s: %w", id, sourceID, err)
	}
	return nil
}

// Batch state kept by older versions in the attribute hash, beside
// the user's attributes. It is still read, so batches in flight during an
// upgrade finish as they began (docs/operations.md, Upgrading); nothing
// writes it any more.
const (
	legacyDocuments     = "_documents"
	legacyPrebuilt      = "_prebuilt:"
	legacyMetaCorr      = "_metacorr:"
	legacyWebhookURL    = "webhook_url"
	legacyWebhookSecret = "webhook_secret"
)

// legacyField reports whether an attribute-hash field is old internal state.
func legacyField(k string) bool {
	return strings.HasPrefix(k, "_") || k == legacyWebhookURL || k == legacyWebhookSecret
}

// legacy returns the batch's attribute hash as an old version wrote it.
func (t *Tracker) legacy(ctx context.Context, id string) (map[string]string, error) {
	m, err := t.rdb.HGetAll(ctx, keyAttrs(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("attributes of %s: %w", id, err)
	}
	return m, nil
}

// byPrefix reads the hash at key, adding what an old version kept in the
// attribute hash under prefix+<source id> (the hash wins).
func (t *Tracker) byPrefix(ctx context.Context, id, key, prefix string) (map[string]string, error) {
	var hc, ac *redis.MapStringStringCmd
	_, err := t.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		hc = p.HGetAll(ctx, key)
		ac = p.HGetAll(ctx, keyAttrs(id))
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := hc.Val()
	for k, v := range ac.Val() {
		if src, ok := strings.CutPrefix(k, prefix); ok {
			if _, set := out[src]; !set {
				out[src] = v
			}
		}
	}
	return out, nil
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

// Watch calls fn with the batch's progress now and after every change,
// until fn returns false or ctx ends. It listens to the batch's Redis
// channel and also polls every poll interval, so a missed message only
// delays it.
func (t *Tracker) Watch(ctx context.Context, id string, poll time.Duration, fn func(Progress) bool) error {
	sub := t.rdb.Subscribe(ctx, keyEvents(id))
	defer sub.Close()
	ch := sub.Channel()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var last int64 = -1
	for {
		p, err := t.Progress(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if p.Version != last {
			last = p.Version
			if !fn(p) {
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
func (t *Tracker) AcquireManifest(ctx context.Context, id, owner string, ttl time.Duration) (bool, error) {
	if err := t.rdb.Set(ctx, keyDirty(id), 1, 0).Err(); err != nil {
		return false, fmt.Errorf("manifest of %s: %w", id, err)
	}
	ok, err := t.rdb.SetNX(ctx, keyLock(id), owner, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("manifest of %s: %w", id, err)
	}
	return ok, nil
}

// ClaimDirty clears the dirty mark before a write; the writer writes the
// state it reads after this call.
func (t *Tracker) ClaimDirty(ctx context.Context, id, owner string, ttl time.Duration) error {
	if err := t.rdb.Set(ctx, keyDirty(id), 0, 0).Err(); err != nil {
		return fmt.Errorf("manifest of %s: %w", id, err)
	}
	// Extend the lease while we hold it.
	t.rdb.Expire(ctx, keyLock(id), ttl)
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
func (t *Tracker) ReleaseManifest(ctx context.Context, id, owner string) (bool, error) {
	n, err := releaseScript.Run(ctx, t.rdb, []string{keyLock(id), keyDirty(id)}, owner).Int()
	if err != nil {
		return false, fmt.Errorf("manifest of %s: %w", id, err)
	}
	return n == 1, nil
}

var forceReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`)

// ReleaseManifestForce gives the lease up whatever the dirty mark says
// (after a failed write, so the next writer is not locked out).
func (t *Tracker) ReleaseManifestForce(ctx context.Context, id, owner string) error {
	return forceReleaseScript.Run(ctx, t.rdb, []string{keyLock(id)}, owner).Err()
}

// MarkManifestDirty notes that the manifest needs writing again.
func (t *Tracker) MarkManifestDirty(ctx context.Context, id string) error {
	return t.rdb.Set(ctx, keyDirty(id), 1, 0).Err()
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
func (t *Tracker) ResetSource(ctx context.Context, id, sourceID string) (Progress, error) {
	keys := append(batchKeys(id), keyEvents(id))
	v, err := resetSourceScript.Run(ctx, t.rdb, keys, nowArg(), sourceID).Result()
	if err != nil {
		return Progress{}, fmt.Errorf("reset source %s/%s: %w", id, sourceID, mapScriptErr(err))
	}
	return parseProgress(v)
}

// Version numbers of a batch's corrected items.
func textItem(pageID string) string       { return "text:" + pageID }
func metadataItem(sourceID string) string { return "metadata:" + sourceID }

// NextTextVersion returns the next version number (1, 2, ...) of a page's
// corrected text, so people correcting at the same time never get the
// same number.
func (t *Tracker) NextTextVersion(ctx context.Context, id, pageID string) (int, error) {
	return t.nextVersion(ctx, id, textItem(pageID))
}

// NextMetadataVersion is NextTextVersion for a document's metadata.
func (t *Tracker) NextMetadataVersion(ctx context.Context, id, sourceID string) (int, error) {
	return t.nextVersion(ctx, id, metadataItem(sourceID))
}

func (t *Tracker) nextVersion(ctx context.Context, id, item string) (int, error) {
	n, err := t.rdb.HIncrBy(ctx, keyVersions(id), item, 1).Result()
	if err != nil {
		return 0, fmt.Errorf("version of %s/%s: %w", id, item, err)
	}
	return int(n), nil
}

// SetTextVersion sets the last version number of a page's corrected text
// (when rebuilding a batch's state from the store).
func (t *Tracker) SetTextVersion(ctx context.Context, id, pageID string, n int) error {
	return t.rdb.HSet(ctx, keyVersions(id), textItem(pageID), n).Err()
}

// SetMetadataVersion is SetTextVersion for a document's metadata.
func (t *Tracker) SetMetadataVersion(ctx context.Context, id, sourceID string, n int) error {
	return t.rdb.HSet(ctx, keyVersions(id), metadataItem(sourceID), n).Err()
}

// TryReconcile takes the farm-wide reconciler lock for ttl: only the
// process that gets it repairs the batches in flight this round.
func (t *Tracker) TryReconcile(ctx context.Context, owner string, ttl time.Duration) (bool, error) {
	return t.rdb.SetNX(ctx, "sohoa:reconciler", owner, ttl).Result()
}

// Ping checks that Redis answers.
func (t *Tracker) Ping(ctx context.Context) error { return t.rdb.Ping(ctx).Err() }
