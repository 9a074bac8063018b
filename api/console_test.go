package api_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sohoa/sohoa/api"
)

// chromium finds the browser; a missing one fails the test (never a skip).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("SOHOA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run `make deps` (or apt-get install chromium), or set SOHOA_CHROMIUM")
	return ""
}

// The console in a real headless Chromium: Vietnamese first, log in with
// a token, upload a page through the file input, follow it live to the
// end, review it (image, text, low-confidence words), save a correction,
// switch to English. No script error and no CSP violation on the way.
func TestConsoleInChromium(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := newFarm(t, farmOptions{})
	dir := t.TempDir()
	page := filepath.Join(dir, "trang 1.png")
	if err := os.WriteFile(page, pageImage(t, 800, 600), 0o644); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("SOHOA_SCREENSHOTS") // a folder: keep screenshots of each view

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	// Every script exception and console error (CSP violations are console errors).
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(browser, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text+" "+exceptionDesc(ev.ExceptionDetails))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console.error")
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	wait := func(name, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('main').innerText`))
			t.Fatalf("%s: %v (waiting for %s)\npage text:\n%s", name, err, js, body)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	text := func(sel string) string {
		return strings.TrimSpace(eval(fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ''`, sel)))
	}
	shot := func(name string) {
		if shots == "" {
			return
		}
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
		if err == nil {
			os.WriteFile(filepath.Join(shots, name+".jpg"), b, 0o644)
		}
	}

	// The login page, in Vietnamese.
	step("open the console", chromedp.Navigate(f.http.URL+"/"), chromedp.WaitVisible(chromedp.ID("token")))
	if lang := eval(`document.documentElement.lang`); lang != "vi" {
		t.Errorf("document language %q, want vi", lang)
	}
	if got := text("label[for=token]"); got != "Mã truy cập" {
		t.Errorf("token label %q, want Mã truy cập", got)
	}
	if got := text("#login-submit"); got != "Đăng nhập" {
		t.Errorf("login button %q, want Đăng nhập", got)
	}
	shot("1-login")

	// A wrong token is refused with a message; the right one logs in.
	step("wrong token", chromedp.SendKeys(chromedp.ID("token"), "not-a-token"), chromedp.Click(chromedp.ID("login-submit")))
	wait("the refusal", `document.getElementById('login-error').textContent === 'Mã truy cập không hợp lệ.'`)
	eval(`document.getElementById('token').value = ''`)
	step("log in", chromedp.SendKeys(chromedp.ID("token"), tokArchivist),
		chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("batches-table")))
	if got := text("#whoami"); !strings.Contains(got, nameArch) || !strings.Contains(got, "Lưu trữ viên") {
		t.Errorf("who am I %q", got)
	}
	if got := text("#nav-upload"); got != "Tải lên" {
		t.Errorf("upload link %q, want Tải lên", got)
	}
	// Chromium keeps the __Host- session cookie over http://127.0.0.1 (a
	// loopback address is a secure context), and scripts cannot read it.
	session := sessionCookie(t, ctx, f.http.URL)
	if !session.Secure || !session.HTTPOnly || session.Path != "/" || session.Value == tokArchivist {
		t.Errorf("session cookie in Chromium: %+v", session)
	}
	if got := eval(`document.cookie`); strings.Contains(got, "sohoa") {
		t.Errorf("a script can read the cookie: %q", got)
	}

	// Upload one page through the file input, while the engine holds it.
	f.gate.hold()
	step("open the upload view", chromedp.Click(chromedp.ID("nav-upload")), chromedp.WaitVisible(chromedp.ID("dropzone")))
	if got := text(".drop-title"); got != "Kéo và thả tệp, thư mục hoặc tệp zip vào đây" {
		t.Errorf("drop zone says %q", got)
	}
	step("choose the file", chromedp.SetUploadFiles(chromedp.ID("file-input"), []string{page}))
	wait("the file is listed", `!document.getElementById('upload-submit').disabled && document.getElementById('upload-files').textContent.includes('trang 1.png')`)
	step("fill the title", chromedp.SendKeys(chromedp.ID("batch-title-input"), "Hồ sơ đất đai xã Quảng La"),
		chromedp.SendKeys(chromedp.ID("batch-fonds"), "UBND-HL"))
	shot("2-upload")
	step("upload", chromedp.Click(chromedp.ID("upload-submit")), chromedp.WaitVisible(chromedp.ID("batch-status")))
	wait("processing", `['Đang chờ', 'Đang xử lý'].includes(document.getElementById('batch-status').textContent)`)
	if got := text("#batch-title"); got != "Hồ sơ đất đai xã Quảng La" {
		t.Errorf("batch title %q", got)
	}
	shot("3-batch-running")
	f.gate.open()
	wait("the live status reaches done", `document.getElementById('batch-status').textContent === 'Hoàn thành'`)
	wait("the progress bar is full", `document.getElementById('batch-progress').getAttribute('aria-valuenow') === '100'`)
	wait("the review link", `!!document.getElementById('review-0')`)
	if got := text("#batch-counts"); !strings.HasPrefix(got, "1/1 trang") {
		t.Errorf("counts %q", got)
	}
	if got := text("#failed-title"); got != "Trang lỗi" {
		t.Errorf("failed pages heading %q", got)
	}
	shot("4-batch-done")

	// The review view: image, text, low-confidence words marked on the image.
	step("open the review", chromedp.Click(chromedp.ID("review-0")), chromedp.WaitVisible(chromedp.ID("review-text")))
	wait("the image", `document.getElementById('review-image').complete && document.getElementById('review-image').naturalWidth > 0`)
	wait("the text", `document.getElementById('review-text').value.includes('2145/QĐ-UBND')`)
	wait("the low-confidence list", `document.querySelectorAll('#lowconf-list .word-chip').length === 2`)
	if got := text("#lowconf-title"); got != "Độ tin cậy thấp" {
		t.Errorf("low-confidence heading %q", got)
	}
	if got := eval(`[...document.querySelectorAll('#lowconf-list .word')].map(e => e.textContent).join(' ')`); got != "số 2145/QĐ-UBND" {
		t.Errorf("low-confidence words %q, want the two under 70", got)
	}
	// The boxes lie on the image, scaled to its displayed size.
	inside := eval(`(() => {
		const img = document.getElementById('review-image').getBoundingClientRect();
		const boxes = [...document.querySelectorAll('#word-boxes .word-box')];
		if (boxes.length !== 2) return 'boxes: ' + boxes.length;
		for (const b of boxes) {
			const r = b.getBoundingClientRect();
			if (r.width < 2 || r.left < img.left || r.right > img.right || r.top < img.top || r.bottom > img.bottom) return 'outside: ' + JSON.stringify(r);
		}
		return 'ok';
	})()`)
	if inside != "ok" {
		t.Errorf("word boxes: %s", inside)
	}
	step("pick a word", chromedp.Click(chromedp.CSS("#lowconf-list .word-chip")))
	wait("the word is selected in the text", `(() => { const ta = document.getElementById('review-text'); return ta.value.slice(ta.selectionStart, ta.selectionEnd) === 'số'; })()`)
	if got := text("#review-version"); got != "Văn bản OCR gốc, chưa có bản sửa" {
		t.Errorf("version line %q", got)
	}
	shot("5-review")

	// Save a correction: version 1, by the archivist.
	eval(`(() => { const ta = document.getElementById('review-text'); ta.value += 'đã soát lỗi\n'; ta.dispatchEvent(new Event('input')); return ''; })()`)
	step("save", chromedp.Click(chromedp.ID("review-save")))
	wait("saved", `document.getElementById('review-msg').textContent === 'Đã lưu phiên bản 1.'`)
	if got := text("#review-version"); !strings.HasPrefix(got, "Phiên bản 1 · "+nameArch+" (Lưu trữ viên)") {
		t.Errorf("version line after saving %q", got)
	}
	f.waitAudit("the console's correction", func(e api.AuditEvent) bool {
		return e.Action == "correct_text" && e.Actor == nameArch && e.Version == 1
	})

	// Switch to English: the page is translated in place and the choice kept.
	step("switch to English", chromedp.Click(chromedp.ID("lang-switch")))
	wait("English", `document.documentElement.lang === 'en'`)
	for sel, want := range map[string]string{
		"#review-save":    "Save correction",
		"#lowconf-title":  "Low confidence",
		"#nav-batches":    "Batches",
		"#lang-switch":    "Tiếng Việt",
		"#review-version": "Version 1 · " + nameArch + " (Archivist) · ",
		"#review-msg":     "Saved version 1.",
	} {
		if got := text(sel); !strings.HasPrefix(got, want) {
			t.Errorf("%s in English: %q, want %q", sel, got, want)
		}
	}
	if got := eval(`localStorage.getItem('sohoa.lang')`); got != "en" {
		t.Errorf("language kept as %q", got)
	}
	shot("6-review-en")
	step("reload", chromedp.Navigate(f.http.URL+"/#/batches"), chromedp.WaitVisible(chromedp.ID("batches-table")))
	wait("still English after a reload", `document.documentElement.lang === 'en' && document.querySelector('#batches-table th').textContent === 'Batch'`)
	shot("7-batches-en")

	// Log out: the console goes to its login page, and the session the
	// cookie named is over on the server, not only in the browser.
	step("log out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("token")))
	expect(t, f.do("GET", "/api/v1/me", "", nil, "", "Cookie", session.Name+"="+session.Value), http.StatusUnauthorized)

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		// The refused login is a 401 the browser logs on its own.
		if strings.Contains(p, "401") {
			continue
		}
		t.Errorf("browser: %s", p)
	}
}

// sessionCookie is the session cookie Chromium keeps for url.
func sessionCookie(t *testing.T, ctx context.Context, url string) *network.Cookie {
	t.Helper()
	cookies, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
		return res.Cookies, err
	})
	if err != nil {
		t.Fatalf("cookies: %v", err)
	}
	for _, c := range cookies {
		if c.Name == api.SessionCookie {
			return c
		}
	}
	t.Fatalf("Chromium has no %s cookie (it has %d others)", api.SessionCookie, len(cookies))
	return nil
}

func exceptionDesc(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}
