// Package storagetest is the conformance suite every storage.Store must
// pass. Each backend's tests call Run with a function that makes a fresh,
// empty store.
package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/storage"
)

// Run runs the conformance suite. newStore must return a new empty store
// each time it is called (tests run in parallel).
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	t.Helper()
	ctx := context.Background()

	t.Run("PutGetRoundTrip", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		for _, tc := range []struct {
			name, key string
			data      []byte
		}{
			{"Empty", "a/empty.txt", nil},
			{"Small", "a/b/small.txt", []byte("Quyết định số 57")},
			{"Unicode key", "batches/x/sources/Hồ sơ đất đai/trang 1.png", []byte{0, 1, 2, 255}},
			{"Spaces and plus", "k/with space+plus=eq&amp.bin", []byte("x")},
			{"Large", "big/blob.bin", randomBytes(t, 9<<20)},
		} {
			if err := s.Put(ctx, tc.key, bytes.NewReader(tc.data), storage.PutOptions{Size: int64(len(tc.data))}); err != nil {
				t.Fatalf("%s: Put: %v", tc.name, err)
			}
			got, err := storage.ReadAll(ctx, s, tc.key)
			if err != nil {
				t.Fatalf("%s: Get: %v", tc.name, err)
			}
			if !bytes.Equal(got, tc.data) {
				t.Errorf("%s: got %d bytes, want %d", tc.name, len(got), len(tc.data))
			}
			info, err := s.Stat(ctx, tc.key)
			if err != nil {
				t.Fatalf("%s: Stat: %v", tc.name, err)
			}
			if info.Size != int64(len(tc.data)) || info.Key != tc.key {
				t.Errorf("%s: Stat = %+v, want key %q size %d", tc.name, info, tc.key, len(tc.data))
			}
		}
	})

	t.Run("UnknownSize", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		data := randomBytes(t, 6<<20)
		// io.MultiReader hides the length, as a network upload does.
		if err := s.Put(ctx, "u/stream.bin", io.MultiReader(bytes.NewReader(data)), storage.PutOptions{Size: -1}); err != nil {
			t.Fatal(err)
		}
		got, err := storage.ReadAll(ctx, s, "u/stream.bin")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("got %d bytes, want %d", len(got), len(data))
		}
	})

	t.Run("Overwrite", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		for _, v := range []string{"first version, longer", "second"} {
			if err := storage.PutBytes(ctx, s, "o/batch.json", []byte(v), "application/json"); err != nil {
				t.Fatal(err)
			}
		}
		got, err := storage.ReadAll(ctx, s, "o/batch.json")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "second" {
			t.Errorf("got %q, want %q", got, "second")
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		if err := storage.PutBytes(ctx, s, "nf/file", []byte("x"), ""); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"nf/missing", "nf/file/below-a-file", "nf"} {
			if _, err := s.Get(ctx, key); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("Get(%q) error = %v, want ErrNotFound", key, err)
			}
			if _, err := s.Stat(ctx, key); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("Stat(%q) error = %v, want ErrNotFound", key, err)
			}
		}
		if err := s.Delete(ctx, "nf/missing"); err != nil {
			t.Errorf("Delete(missing) = %v, want nil", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		if err := storage.PutBytes(ctx, s, "d/x/y", []byte("x"), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "d/x/y"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, "d/x/y"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("after Delete, Get error = %v, want ErrNotFound", err)
		}
		if got := listKeys(t, s, "d/"); len(got) != 0 {
			t.Errorf("after Delete, List = %v, want none", got)
		}
	})

	t.Run("List", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		keys := []string{
			"batches/b1/batch.json",
			"batches/b1/pages/0000-0000/text.txt",
			"batches/b1/pages/0000-0001/text.txt",
			"batches/b1/sources/a.png",
			"batches/b10/batch.json",
			"batches/b2/batch.json",
			"other/x",
		}
		for _, k := range keys {
			if err := storage.PutBytes(ctx, s, k, []byte(k), ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			prefix string
			want   []string
		}{
			{"batches/b1/", keys[:4]},
			{"batches/b1", keys[:5]},
			{"batches/b1/pages/", keys[1:3]},
			{"batches/b1/pages/0000-0001/text.txt", keys[2:3]},
			{"", keys},
			{"nothing/", nil},
		} {
			got := listKeys(t, s, tc.prefix)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("List(%q) mismatch (-want +got):\n%s", tc.prefix, diff)
			}
		}
		// Stopping early must not fail.
		for _, err := range s.List(ctx, "batches/") {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
	})

	t.Run("ListOrder", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		// Lexical order is by UTF-8 bytes, as S3 defines it, not by path
		// segments: "-" (0x2D) and "." (0x2E) sort before "/" (0x2F), "0"
		// after it, and multi-byte letters after every ASCII byte.
		want := []string{
			"o/a-b",
			"o/a.b",
			"o/a/b",
			"o/a/c",
			"o/a0",
			"o/z",
			"o/ă",         // U+0103: C4 83
			"o/Đà Nẵng/x", // U+0110: C4 90
		}
		for _, i := range []int{6, 2, 0, 5, 3, 7, 1, 4} { // not in order
			if err := storage.PutBytes(ctx, s, want[i], []byte(want[i]), ""); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(want, listKeys(t, s, "o/")); diff != "" {
			t.Errorf("List order mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want[2:4], listKeys(t, s, "o/a/")); diff != "" {
			t.Errorf("List(%q) mismatch (-want +got):\n%s", "o/a/", diff)
		}
	})

	t.Run("SpecialCharacters", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		// Characters that URL encoding, request signing or a shell can trip on.
		keys := []string{
			"s/100% done?.txt",
			"s/a#b;c,d:e@f$g!h'i(j)k*l~m.txt",
			"s/ngoặc [1] {2} <3> |4| ^5^ `6`.txt",
			"s/percent %2F not a slash",
			"s/quote \"double\" and ampersand &.txt",
			"s/trang  hai  dấu cách",
		}
		for _, k := range keys {
			if err := storage.PutBytes(ctx, s, k, []byte(k), "text/plain"); err != nil {
				t.Fatalf("Put(%q): %v", k, err)
			}
		}
		for _, k := range keys {
			got, err := storage.ReadAll(ctx, s, k)
			if err != nil {
				t.Errorf("Get(%q): %v", k, err)
				continue
			}
			if string(got) != k {
				t.Errorf("Get(%q) = %q", k, got)
			}
		}
		want := append([]string(nil), keys...)
		slices.Sort(want)
		if diff := cmp.Diff(want, listKeys(t, s, "s/")); diff != "" {
			t.Errorf("List mismatch (-want +got):\n%s", diff)
		}
		for _, k := range keys {
			if err := s.Delete(ctx, k); err != nil {
				t.Errorf("Delete(%q): %v", k, err)
			}
		}
		if got := listKeys(t, s, "s/"); len(got) != 0 {
			t.Errorf("after Delete, List = %q, want none", got)
		}
	})

	t.Run("InfoSizesAndTimes", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		before := time.Now().Add(-time.Minute) // allow for clock skew with a server
		sizes := map[string]int{"i/empty": 0, "i/one": 1, "i/kib": 1 << 10, "i/mib": 1 << 20}
		for k, n := range sizes {
			if err := storage.PutBytes(ctx, s, k, make([]byte, n), ""); err != nil {
				t.Fatal(err)
			}
		}
		after := time.Now().Add(time.Minute)
		check := func(how string, info storage.ObjectInfo) {
			t.Helper()
			if n, ok := sizes[info.Key]; !ok || info.Size != int64(n) {
				t.Errorf("%s: %q size %d, want %d", how, info.Key, info.Size, n)
			}
			if info.ModTime.Before(before) || info.ModTime.After(after) {
				t.Errorf("%s: %q ModTime %v, want about now", how, info.Key, info.ModTime)
			}
		}
		n := 0
		for info, err := range s.List(ctx, "i/") {
			if err != nil {
				t.Fatal(err)
			}
			check("List", info)
			n++
		}
		if n != len(sizes) {
			t.Errorf("List gave %d objects, want %d", n, len(sizes))
		}
		for k := range sizes {
			info, err := s.Stat(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			check("Stat", info)
		}
		// Overwriting with a shorter object leaves no tail of the longer one.
		if err := storage.PutBytes(ctx, s, "i/mib", []byte("short"), ""); err != nil {
			t.Fatal(err)
		}
		if got, err := storage.ReadAll(ctx, s, "i/mib"); err != nil || string(got) != "short" {
			t.Errorf("after a shorter overwrite got %d bytes (%v), want %q", len(got), err, "short")
		}
	})

	t.Run("InvalidKeys", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		for _, key := range []string{"", "/abs", "../escape", "a/../../b", "a//b", "a/./b", `a\b`, "a/\x00b"} {
			if err := storage.PutBytes(ctx, s, key, []byte("x"), ""); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Put(%q) error = %v, want ErrInvalidKey", key, err)
			}
			if _, err := s.Get(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Get(%q) error = %v, want ErrInvalidKey", key, err)
			}
		}
	})

	t.Run("FailedPutKeepsOld", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		if err := storage.PutBytes(ctx, s, "f/x", []byte("old"), ""); err != nil {
			t.Fatal(err)
		}
		bad := io.MultiReader(strings.NewReader("partial new data"), errReader{})
		if err := s.Put(ctx, "f/x", bad, storage.PutOptions{Size: -1}); err == nil {
			t.Fatal("Put from a failing reader succeeded")
		}
		got, err := storage.ReadAll(ctx, s, "f/x")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "old" {
			t.Errorf("after failed Put, got %q, want the old %q", got, "old")
		}
		if keys := listKeys(t, s, "f/"); !cmp.Equal(keys, []string{"f/x"}) {
			t.Errorf("after failed Put, List = %v, want only f/x", keys)
		}
	})

	t.Run("ConcurrentPuts", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		var wg sync.WaitGroup
		versions := make([][]byte, 8)
		for i := range versions {
			versions[i] = bytes.Repeat([]byte{byte('a' + i)}, 256<<10)
		}
		for _, v := range versions {
			wg.Go(func() {
				if err := storage.PutBytes(ctx, s, "c/same", v, ""); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := storage.ReadAll(ctx, s, "c/same")
		if err != nil {
			t.Fatal(err)
		}
		whole := false
		for _, v := range versions {
			whole = whole || bytes.Equal(got, v)
		}
		if !whole {
			t.Errorf("after concurrent Puts the object is a mix of versions (%d bytes)", len(got))
		}
	})

	t.Run("CanceledContext", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, "x/canceled", bytes.NewReader([]byte("x")), storage.PutOptions{}); err == nil {
			t.Error("Put with a canceled context succeeded")
		}
		if _, err := s.Stat(ctx, "x/canceled"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("a canceled Put left an object: Stat error = %v", err)
		}
	})
}

func listKeys(t *testing.T, s storage.Store, prefix string) []string {
	t.Helper()
	var keys []string
	for info, err := range s.List(context.Background(), prefix) {
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("connection reset by peer") }
