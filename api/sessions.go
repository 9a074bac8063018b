package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// SessionCookie is the console's session cookie: a random session id,
// never the token. The __Host- prefix makes browsers take it only when
// Secure, with Path=/ and no Domain, so no other host or path can set or
// shadow it.
const SessionCookie = "__Host-sohoa_session"

// legacyCookie is the cookie of consoles before sessions, which held the
// token itself: it is no longer read, and cleared at login and logout.
const legacyCookie = "sohoa_token"

// sessions are the console's logins, kept in Redis under the SHA-256 of
// their id (a copy of Redis holds no usable cookie), each with the
// SHA-256 of the token that opened it and its end. The key expires with
// the session; the end is also checked on every request.
type sessions struct {
	rdb redis.UniversalClient
	ttl time.Duration
	now func() time.Time
}

// sessionRecord is what Redis keeps of a session.
type sessionRecord struct {
	TokenSHA256 string    `json:"token_sha256"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
}

// sessionIDLen is the length of a session id: 32 random bytes, base64url.
const sessionIDLen = 43

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "sohoa:session:" + hex.EncodeToString(sum[:])
}

// errNoSession is a session cookie that names no live session.
var errNoSession = errors.New("the session has ended or expired; log in again")

// create opens a session for the token whose SHA-256 is sum.
func (ss *sessions) create(ctx context.Context, sum [sha256.Size]byte) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b[:])
	now := ss.now().UTC()
	rec, _ := json.Marshal(sessionRecord{TokenSHA256: hex.EncodeToString(sum[:]), Created: now, Expires: now.Add(ss.ttl)})
	if err := ss.rdb.Set(ctx, sessionKey(id), rec, ss.ttl).Err(); err != nil {
		return "", fmt.Errorf("open a session: %w", err)
	}
	return id, nil
}

// lookup returns the token SHA-256 of a live session, errNoSession if
// there is none (ended, expired, or never made).
func (ss *sessions) lookup(ctx context.Context, id string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	if len(id) != sessionIDLen || strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return sum, errNoSession
	}
	b, err := ss.rdb.Get(ctx, sessionKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return sum, errNoSession
	}
	if err != nil {
		return sum, fmt.Errorf("read the session: %w", err)
	}
	var rec sessionRecord
	if json.Unmarshal(b, &rec) != nil || !ss.now().Before(rec.Expires) {
		return sum, errNoSession
	}
	if s, err := hex.DecodeString(rec.TokenSHA256); err != nil || len(s) != sha256.Size {
		return sum, errNoSession
	} else {
		copy(sum[:], s)
	}
	return sum, nil
}

// end deletes a session.
func (ss *sessions) end(ctx context.Context, id string) error {
	if len(id) != sessionIDLen {
		return nil
	}
	if err := ss.rdb.Del(ctx, sessionKey(id)).Err(); err != nil {
		return fmt.Errorf("end the session: %w", err)
	}
	return nil
}

// lookupSum finds the identity of the token whose SHA-256 is sum, in
// constant time like lookup.
func (t *Tokens) lookupSum(sum [sha256.Size]byte) (Identity, bool) {
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

// sessionID is the request's session cookie, or "".
func sessionID(r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// setSessionCookie sets (or, with id "", clears) the session cookie, and
// clears the old console's token cookie.
func (s *Server) setSessionCookie(w http.ResponseWriter, id string) {
	maxAge := int(s.cfg.SessionTTL / time.Second)
	if id == "" {
		maxAge = -1
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: maxAge})
	http.SetCookie(w, &http.Cookie{Name: legacyCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// cookieWorks reports whether a browser will keep a Secure cookie from
// this request: it came over HTTPS (directly or through a trusted proxy),
// or to a loopback host (http://localhost, 127.0.0.1, [::1]), which
// browsers count as secure.
func (s *Server) cookieWorks(r *http.Request) bool {
	if s.secure(r) {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
