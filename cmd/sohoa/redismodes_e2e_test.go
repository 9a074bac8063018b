package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/internal/redistest"
)

// redisProc runs one redis-server (or sentinel) for a test.
func redisProc(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("redis-server", args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
}

func port(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
	}
}

// A farm behind Redis Sentinel and one on a Redis Cluster: a worker and
// submit --wait through the redis-sentinel:// and redis-cluster:// URLs
// finish a batch.
func TestRedisSentinelAndCluster(t *testing.T) {
	t.Parallel()
	page := filepath.Join(samplesDir, "thong-bao-grey.png")
	farm := func(t *testing.T, url string) {
		t.Helper()
		store := t.TempDir()
		start(t, "worker", workerArgs(url, store, "w")...)
		stdout, stderr, code := sohoa(t, "submit", "--redis", url, "--store", store, "--wait", "--quiet", page)
		if code != 0 {
			t.Fatalf("submit --wait via %s: exit %d\n%s\n%s", url, code, stdout, stderr)
		}
		out, _, code := sohoa(t, "queues", "--redis", url, "--interval", "500ms")
		if code != 0 || !strings.Contains(out, "ocr") {
			t.Errorf("queues via %s: exit %d\n%s", url, code, out)
		}
	}

	t.Run("Sentinel", func(t *testing.T) {
		t.Parallel()
		master := redistest.Start(t)
		dir := t.TempDir()
		sp := port(t)
		_, mport, _ := net.SplitHostPort(master.Addr)
		conf := fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor farm 127.0.0.1 %s 1\nsentinel down-after-milliseconds farm 5000\n", sp, mport)
		if err := os.WriteFile(filepath.Join(dir, "sentinel.conf"), []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		redisProc(t, dir, "sentinel.conf", "--sentinel")
		s := redis.NewSentinelClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(sp)})
		defer s.Close()
		waitFor(t, "sentinel knows the master", 10*time.Second, func() bool {
			a, err := s.GetMasterAddrByName(context.Background(), "farm").Result()
			return err == nil && len(a) == 2
		})
		farm(t, fmt.Sprintf("redis-sentinel://127.0.0.1:%d?master=farm", sp))
	})

	t.Run("Cluster", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		var addrs []string
		for i := 0; i < 3; i++ {
			p := port(t)
			addrs = append(addrs, "127.0.0.1:"+strconv.Itoa(p))
			redisProc(t, dir, "--port", strconv.Itoa(p), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
				"--cluster-config-file", fmt.Sprintf("nodes-%d.conf", p), "--save", "", "--appendonly", "no")
		}
		for _, a := range addrs {
			c := redis.NewClient(&redis.Options{Addr: a})
			waitFor(t, "node "+a, 10*time.Second, func() bool { return c.Ping(context.Background()).Err() == nil })
			c.Close()
		}
		create := exec.Command("redis-cli", append([]string{"--cluster", "create"}, append(addrs, "--cluster-replicas", "0", "--cluster-yes")...)...)
		if out, err := create.CombinedOutput(); err != nil {
			t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
		}
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
		defer c.Close()
		waitFor(t, "cluster state ok", 20*time.Second, func() bool {
			info, err := c.ClusterInfo(context.Background()).Result()
			return err == nil && strings.Contains(info, "cluster_state:ok")
		})
		farm(t, "redis-cluster://"+strings.Join(addrs, ","))
	})
}
