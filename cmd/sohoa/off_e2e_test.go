package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/queue"
)

// 0 turns a setting off in the environment as on the command line
// (docs/cli.md): SOHOA_COLOR_QUALITY=0 keeps no colour version of a colour
// original. (It used to be taken for "unset" and gave quality 85.)
func TestColourQualityZeroInTheEnvironment(t *testing.T) {
	t.Parallel()
	// The top of a colour page: a header and a red stamp ring, on cream
	// paper (small, and read in English only, to keep the test short).
	page := colourPage(t, "cong-van-clean", 300).SubImage(image.Rect(0, 0, 2480, 500))
	var j bytes.Buffer
	if err := jpeg.Encode(&j, page, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "mau.jpg")
	if err := os.WriteFile(in, j.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		env       []string
		wantColor bool
	}{
		{"EnvZeroKeepsNone", []string{"SOHOA_COLOR_QUALITY=0"}, false},
		{"EnvQualityKeepsOne", []string{"SOHOA_COLOR_QUALITY=60"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			stdout, stderr, code := sohoaEnv(t, tc.env, "run", "--quiet", "--no-orientation", "--lang", "eng",
				"--second-pass-below", "0", "--out", out, in)
			if code != 0 {
				t.Fatalf("run exit %d\n%s\n%s", code, stdout, stderr)
			}
			p := mustManifest(t, out, stdout).Pages[0]
			_, statErr := os.Stat(filepath.Join(out, filepath.FromSlash(path.Dir(p.Image)), "color.jpg"))
			if got := p.Color != "" && p.SHA256["color"] != "" && statErr == nil; got != tc.wantColor {
				t.Errorf("colour version %q (sha256 %q, file: %v), want one: %v", p.Color, p.SHA256["color"], statErr, tc.wantColor)
			}
		})
	}
}

// SOHOA_MAX_RETRY=0 means no retries: the tasks a process queues carry
// MaxRetry 0, so a failing task fails its page at once. (It used to be
// taken for "unset" and gave 5.)
func TestMaxRetryZeroInTheEnvironment(t *testing.T) {
	t.Parallel()
	src := filepath.Join(samplesDir, "cong-van-clean.png")
	for _, tc := range []struct {
		name string
		env  []string
		want int
	}{
		{"EnvZeroRetriesNever", []string{"SOHOA_MAX_RETRY=0"}, 0},
		{"EnvThree", []string{"SOHOA_MAX_RETRY=3"}, 3},
		{"Unset", []string{"SOHOA_MAX_RETRY="}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := redistest.Start(t)
			// No worker runs: the split task stays queued for inspection.
			stdout, stderr, code := sohoaEnv(t, tc.env, "submit", "--redis", r.URL(), "--store", t.TempDir(), src)
			if code != 0 {
				t.Fatalf("submit exit %d\n%s\n%s", code, stdout, stderr)
			}
			id := string(bytes.TrimSpace([]byte(stdout)))
			insp := asynq.NewInspectorFromRedisClient(r.Client())
			defer insp.Close()
			info, err := insp.GetTaskInfo(queue.QueueSplit, queue.SplitTaskID(id, "0000"))
			if err != nil {
				t.Fatal(err)
			}
			if info.MaxRetry != tc.want || info.Timeout != 30*time.Minute {
				t.Errorf("split task: max retry %d, timeout %s; want %d, 30m", info.MaxRetry, info.Timeout, tc.want)
			}
		})
	}
}
