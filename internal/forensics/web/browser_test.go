package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// browser starts headless chromium with the flags this machine needs: no sandbox (root), no GPU,
// no QUIC and no background networking (the network is closed), a fresh profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	exec := ft.Chromium(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exec),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// serve runs the page on a free loopback port for the test.
func serve(t *testing.T) (string, *Handler) {
	t.Helper()
	tl := hostileTimeline(t)
	ln, hosts, err := Listen("127.0.0.1:0", os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, hosts, tl) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})

	h, err := NewHandler(tl, hosts)
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + ln.Addr().String(), h
}

func TestBrowserShowsFiltersAndNeverRunsTheEvidence(t *testing.T) {
	ctx := browser(t)
	base, h := serve(t)
	tl := h.timeline

	// Any dialog would mean the evidence ran as script: record it and dismiss it so the test
	// goes on to fail with its message.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	var mu sync.Mutex
	var dialogs []string
	opened := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range opened {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog,
				page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()

	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	visible := func() string {
		t.Helper()
		return eval(`String(Array.from(document.querySelectorAll("#timeline tbody tr"))` +
			`.filter(r => !r.hidden).length)`)
	}

	do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	all := fmt.Sprint(len(tl.Events))
	rows := eval(`String(document.querySelectorAll("#timeline tbody tr").length)`)
	count := eval(`document.getElementById("visible-count").textContent`)
	if rows != all || count != all || visible() != all {
		t.Fatalf("page shows %s rows (%s counted, %s visible), want all %s events", rows, count,
			visible(), all)
	}
	if title := eval(`document.title`); title != "Evaluation "+ft.InstanceID+": timeline" {
		t.Fatalf("title = %q", title)
	}

	// Kind filter: uncheck every kind but dns.
	others := []string{"session", "command", "flow", "api"}
	for _, kind := range others {
		do(chromedp.Click(chromedp.CSS(`input[data-kind-filter="` + kind + `"]`)))
	}
	wantDNS := 0
	for _, c := range tl.Counts() {
		if c.Kind == "dns" {
			wantDNS = c.Total
		}
	}
	if got := visible(); got != fmt.Sprint(wantDNS) {
		t.Fatalf("with only dns checked %s rows visible, want %d", got, wantDNS)
	}
	for _, kind := range others {
		do(chromedp.Click(chromedp.CSS(`input[data-kind-filter="` + kind + `"]`)))
	}

	// Blocked-only toggle keeps exactly what the sandbox stopped, in time order.
	do(chromedp.Click(chromedp.ID("blocked-only")))
	verdicts := eval(`Array.from(document.querySelectorAll("#timeline tbody tr"))` +
		`.filter(r => !r.hidden).map(r => r.cells[2].textContent).join(",")`)
	if verdicts != "BLOCK,REJECT,DENIED,BLOCK" {
		t.Fatalf("blocked-only rows' verdicts = %q, want BLOCK,REJECT,DENIED,BLOCK", verdicts)
	}
	do(chromedp.Click(chromedp.ID("blocked-only")))

	// Text filter finds the tunnelling attempt by a fragment of its name.
	do(chromedp.SendKeys(chromedp.ID("filter-text"), "exfil"))
	if got := visible(); got != "2" {
		t.Fatalf("text filter 'exfil' shows %s rows, want 2 (the dig command and its query)", got)
	}
	eval(`const f = document.getElementById("filter-text"); f.value = "";` +
		`f.dispatchEvent(new Event("input")); "cleared"`)
	if got := visible(); got != all {
		t.Fatalf("after clearing the text filter %s rows visible, want %s", got, all)
	}

	shot := screenshot(t, ctx)
	assertNotInjected(t, eval, "timeline")

	subjects := eval(`Array.from(document.querySelectorAll("#timeline td.subject"))` +
		`.map(c => c.textContent).join("\n")`)
	if !strings.Contains(subjects, ft.HostileQueryName) {
		t.Fatalf("hostile query name not shown as text; subjects:\n%s", subjects)
	}

	// The hostile transcript: payloads are text, control characters are visible escapes.
	hostile := -1
	for i, s := range tl.Sessions {
		if s.ID == ft.HostileSessionID {
			hostile = i
		}
	}
	do(chromedp.Navigate(fmt.Sprintf("%s/sessions/%d", base, hostile)),
		chromedp.WaitVisible(chromedp.ID("transcript")))
	transcript := eval(`document.getElementById("transcript").textContent`)
	for _, want := range []string{ft.ScriptPayload, ft.AttributeBreak, `\x1b]52;c;`, `sh\rls -la`} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript view does not show %q as text", want)
		}
	}
	assertNotInjected(t, eval, "transcript")

	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Fatalf("the page opened dialogs %q: evidence ran as script", dialogs)
	}
	t.Logf("screenshot: %s", shot)
}

func assertNotInjected(t *testing.T, eval func(string) string, where string) {
	t.Helper()
	injected := eval(`typeof window.crucibleInjected`)
	images := eval(`String(document.images.length)`)
	if injected != "undefined" || images != "0" {
		t.Fatalf("%s page: window.crucibleInjected is %s and %s <img> elements exist; the "+
			"evidence's markup ran", where, injected, images)
	}
}

// screenshot saves the full page under the test's artifact directory, and also to
// CRUCIBLE_SCREENSHOT when set (how docs/images/forensics-page.png is made).
func screenshot(t *testing.T, ctx context.Context) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 10_000 {
		t.Fatalf("screenshot is %d bytes: the page did not render", len(png))
	}

	path := filepath.Join(t.ArtifactDir(), "forensics-page.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if extra := os.Getenv("CRUCIBLE_SCREENSHOT"); extra != "" {
		if err := os.WriteFile(extra, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}
