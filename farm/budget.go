package farm

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// keyExpanded holds, per zip source of a batch, the bytes its entries
// expanded to, and their total ("_total"): what zips add to the batch
// against its byte limit.
func keyExpanded(b string) string { return "sohoa:{" + b + "}:expanded" }

var reserveExpandedScript = redis.NewScript(`
-- KEYS: expanded; ARGV: sourceID n room
local total = tonumber(redis.call('HGET', KEYS[1], '_total') or '0')
local n, room = tonumber(ARGV[2]), tonumber(ARGV[3])
if total + n > room then return 0 end
redis.call('HINCRBY', KEYS[1], '_total', n)
redis.call('HINCRBY', KEYS[1], ARGV[1], n)
return 1
`)

var resetExpandedScript = redis.NewScript(`
-- KEYS: expanded; ARGV: sourceID
local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if n ~= 0 then
  redis.call('HINCRBY', KEYS[1], '_total', -n)
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return n
`)

// ReserveExpanded counts n more bytes expanded from the zip sourceID of
// batch, unless the zips of the batch would then have expanded to more
// than room bytes: then it counts nothing and returns false. Zips of one
// batch split at the same time share the count.
func (t *Tracker) ReserveExpanded(ctx context.Context, batch, sourceID string, n, room int64) (bool, error) {
	ok, err := reserveExpandedScript.Run(ctx, t.rdb, []string{keyExpanded(batch)}, sourceID, n, room).Int()
	if err != nil {
		return false, fmt.Errorf("count the bytes expanded from %s/%s: %w", batch, sourceID, err)
	}
	return ok == 1, nil
}

// ResetExpanded forgets the bytes counted for the zip sourceID (it is
// expanded again: a retried task).
func (t *Tracker) ResetExpanded(ctx context.Context, batch, sourceID string) error {
	if err := resetExpandedScript.Run(ctx, t.rdb, []string{keyExpanded(batch)}, sourceID).Err(); err != nil {
		return fmt.Errorf("reset the bytes expanded from %s/%s: %w", batch, sourceID, err)
	}
	return nil
}
