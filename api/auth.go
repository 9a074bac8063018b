package api

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Roles a token can have.
const (
	// RoleArchivist uploads batches and manages them: retry, cancel, correct texts.
	RoleArchivist = "archivist"
	// RoleOperator can do everything an archivist can, and read the queues and workers.
	RoleOperator = "operator"
	// RoleIngest only reads results (a downstream archive system).
	RoleIngest = "ingest"
)

// perm is what an endpoint needs of the caller's role.
type perm int

const (
	permRead  perm = iota // every role
	permWrite             // archivist, operator
	permOps               // operator
)

func (p perm) allows(role string) bool {
	switch p {
	case permRead:
		return role == RoleIngest || role == RoleArchivist || role == RoleOperator
	case permWrite:
		return role == RoleArchivist || role == RoleOperator
	case permOps:
		return role == RoleOperator
	}
	return false
}

func (p perm) String() string {
	return [...]string{"read", "write", "operate"}[p]
}

// permissions lists what a role may do, for GET /api/v1/me.
func permissions(role string) []string {
	var out []string
	for _, p := range []perm{permRead, permWrite, permOps} {
		if p.allows(role) {
			out = append(out, p.String())
		}
	}
	return out
}

// Identity is who a token belongs to.
type Identity struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// Tokens is a set of API tokens. Only their SHA-256 is kept.
type Tokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	sum   [sha256.Size]byte
	id    Identity
	short bool // under MinTokenLength characters
}

// MinTokenLength is the length under which a token is loaded with a
// warning (Short): it could be guessed.
const MinTokenLength = 20

// Short names the owners of tokens shorter than MinTokenLength, in the
// file's order, for a warning.
func (t *Tokens) Short() []string {
	var out []string
	for _, e := range t.entries {
		if e.short {
			out = append(out, e.id.Name)
		}
	}
	return out
}

// MaxTokenLength is the longest token accepted.
const MaxTokenLength = 256

// validTokenByte reports whether c may appear in a token: the characters of
// base64 (standard and URL-safe) and of hex, so a token is always a valid
// cookie value and never needs quoting.
func validTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '='
}

// ParseTokens reads a tokens file: one "TOKEN ROLE NAME" per line, NAME
// being the rest of the line (it may contain spaces); blank lines and lines
// starting with # are ignored. ROLE is archivist, operator or ingest.
func ParseTokens(r io.Reader) (*Tokens, error) {
	t := &Tokens{}
	seen := map[[sha256.Size]byte]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("line %d: not UTF-8", n)
		}
		tok, rest := cutSpace(line)
		role, name := cutSpace(rest)
		if tok == "" || role == "" || name == "" {
			return nil, fmt.Errorf("line %d: want TOKEN ROLE NAME", n)
		}
		if len(tok) > MaxTokenLength {
			return nil, fmt.Errorf("line %d: the token is longer than %d characters", n, MaxTokenLength)
		}
		for i := 0; i < len(tok); i++ {
			if !validTokenByte(tok[i]) {
				return nil, fmt.Errorf("line %d: the token may only use A-Z a-z 0-9 - _ . ~ + / =", n)
			}
		}
		switch role {
		case RoleArchivist, RoleOperator, RoleIngest:
		default:
			return nil, fmt.Errorf("line %d: unknown role %q (want archivist, operator or ingest)", n, role)
		}
		if strings.IndexFunc(name, unicode.IsControl) >= 0 {
			return nil, fmt.Errorf("line %d: the name has a control character", n)
		}
		sum := sha256.Sum256([]byte(tok))
		if prev, dup := seen[sum]; dup {
			return nil, fmt.Errorf("line %d: the same token as line %d", n, prev)
		}
		seen[sum] = n
		t.entries = append(t.entries, tokenEntry{sum: sum, id: Identity{Name: name, Role: role}, short: len(tok) < MinTokenLength})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.entries) == 0 {
		return nil, errors.New("no tokens")
	}
	return t, nil
}

// cutSpace splits s at its first run of white space.
func cutSpace(s string) (first, rest string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// LoadTokens reads a tokens file (ParseTokens).
func LoadTokens(path string) (*Tokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	defer f.Close()
	t, err := ParseTokens(f)
	if err != nil {
		return nil, fmt.Errorf("tokens file %s: %w", path, err)
	}
	return t, nil
}

// Len is the number of tokens.
func (t *Tokens) Len() int { return len(t.entries) }

// lookup finds the identity a token belongs to. It compares the token's
// SHA-256 with every entry's in constant time, and always looks at every
// entry, so the time taken says nothing about the tokens.
func (t *Tokens) lookup(token string) (Identity, bool) {
	if token == "" || len(token) > MaxTokenLength {
		return Identity{}, false
	}
	sum := sha256.Sum256([]byte(token))
	var id Identity
	found := 0
	for i := range t.entries {
		if subtle.ConstantTimeCompare(sum[:], t.entries[i].sum[:]) == 1 {
			id = t.entries[i].id
			found = 1
		}
	}
	return id, found == 1
}

// failures counts failed authentication attempts per client address in a
// sliding window; once an address has max failures in the window, its
// further bad tokens are refused (429) until the oldest failure leaves the
// window. Valid tokens from it are never refused: one guesser behind a
// province's NAT must not lock out everyone behind it.
type failures struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	byIP   map[string][]time.Time
}

// maxTrackedIPs bounds the memory the failure counter takes.
const maxTrackedIPs = 100_000

func newFailures(max int, window time.Duration, now func() time.Time) *failures {
	return &failures{max: max, window: window, now: now, byIP: map[string][]time.Time{}}
}

// blocked reports whether ip is refused now, and for how long.
func (f *failures) blocked(ip string) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	ts := f.recent(ip, now)
	if len(ts) < f.max {
		return 0, false
	}
	return ts[len(ts)-f.max].Add(f.window).Sub(now), true
}

// fail records a failed attempt by ip.
func (f *failures) fail(ip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if len(f.byIP) >= maxTrackedIPs {
		for k := range f.byIP {
			f.recent(k, now)
		}
		if len(f.byIP) >= maxTrackedIPs {
			return
		}
	}
	ts := append(f.recent(ip, now), now)
	if len(ts) > f.max {
		ts = ts[len(ts)-f.max:]
	}
	f.byIP[ip] = ts
}

// recent drops ip's failures older than the window and returns the rest.
func (f *failures) recent(ip string, now time.Time) []time.Time {
	ts := f.byIP[ip]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= f.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(f.byIP, ip)
		return nil
	}
	f.byIP[ip] = ts
	return ts
}
