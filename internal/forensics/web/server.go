package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/crucible-sandbox/crucible/internal/forensics"
)

// DefaultAddr is loopback: the page shows evidence to the reviewer at this machine only.
const DefaultAddr = "127.0.0.1:8080"

// ContentSecurityPolicy allows the embedded script and stylesheet and nothing else: no inline
// script or style, no network fetches, no framing, no forms, no <base>, and Trusted Types
// enforced so that even a script bug cannot turn evidence into markup.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'none'; require-trusted-types-for 'script'"

//go:embed assets templates
var files embed.FS

// Handler serves one timeline.
type Handler struct {
	timeline *forensics.Timeline
	pages    *template.Template
	assets   http.Handler
	hosts    map[string]bool
	sessions map[string]int
}

// NewHandler serves tl to requests whose Host header is one of hosts (host:port as the browser
// sends it); nil hosts accepts any Host, which Listen never asks for.
func NewHandler(tl *forensics.Timeline, hosts []string) (*Handler, error) {
	pages, err := template.New("pages").Funcs(template.FuncMap{
		"show":  forensics.Sanitize,
		"when":  formatTime,
		"lower": strings.ToLower,
	}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	assets, err := fs.Sub(files, "assets")
	if err != nil {
		return nil, fmt.Errorf("web: assets: %w", err)
	}

	h := &Handler{
		timeline: tl,
		pages:    pages,
		assets:   http.StripPrefix("/static/", http.FileServerFS(assets)),
		sessions: map[string]int{},
	}
	if hosts != nil {
		h.hosts = map[string]bool{}
	}
	for _, host := range hosts {
		h.hosts[strings.ToLower(host)] = true
	}
	for i, s := range tl.Sessions {
		h.sessions[s.ID] = i
	}
	return h, nil
}

// ServeHTTP answers GET and HEAD for the page, the transcript views and the embedded assets.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	header := w.Header()
	header.Set("Content-Security-Policy", ContentSecurityPolicy)
	header.Set("X-Content-Type-Options", "nosniff")
	header.Set("X-Frame-Options", "DENY")
	header.Set("Referrer-Policy", "no-referrer")
	header.Set("Cross-Origin-Opener-Policy", "same-origin")
	header.Set("Cross-Origin-Resource-Policy", "same-origin")
	header.Set("Cache-Control", "no-store")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		header.Set("Allow", "GET, HEAD")
		http.Error(w, "read-only: only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	if h.hosts != nil && !h.hosts[strings.ToLower(r.Host)] {
		http.Error(w, "unexpected Host header", http.StatusMisdirectedRequest)
		return
	}

	switch {
	case r.URL.Path == "/":
		h.render(w, "index.html", h.indexData())
	case strings.HasPrefix(r.URL.Path, "/sessions/"):
		h.serveSession(w, strings.TrimPrefix(r.URL.Path, "/sessions/"))
	case strings.HasPrefix(r.URL.Path, "/static/"):
		h.assets.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (h *Handler) serveSession(w http.ResponseWriter, index string) {
	n, err := strconv.Atoi(index)
	if err != nil || n < 0 || n >= len(h.timeline.Sessions) || strconv.Itoa(n) != index {
		http.Error(w, "no such session", http.StatusNotFound)
		return
	}
	h.render(w, "session.html", sessionData{
		Locations: h.timeline.Locations,
		Session:   h.timeline.Sessions[n],
	})
}

func (h *Handler) render(w http.ResponseWriter, name string, data any) {
	var page strings.Builder
	if err := h.pages.ExecuteTemplate(&page, name, data); err != nil {
		http.Error(w, "rendering failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// A client that went away is no error of the server's.
	_, _ = io.WriteString(w, page.String())
}

type indexData struct {
	Locations forensics.Locations
	Counts    []forensics.Counts
	Total     int
	Malformed int64
	Sources   []forensics.SourceReport
	Rows      []row
	Sessions  []sessionLink
}

type row struct {
	forensics.Event
	SessionHref string
}

type sessionLink struct {
	Href    string
	Session *forensics.Session
}

type sessionData struct {
	Locations forensics.Locations
	Session   *forensics.Session
}

func (h *Handler) indexData() indexData {
	tl := h.timeline
	d := indexData{
		Locations: tl.Locations,
		Counts:    tl.Counts(),
		Total:     len(tl.Events),
		Malformed: tl.MalformedTotal(),
		Sources:   tl.Sources,
		Rows:      make([]row, len(tl.Events)),
	}
	for i, e := range tl.Events {
		d.Rows[i] = row{Event: e}
		if n, ok := h.sessions[e.SessionID]; ok && e.SessionID != "" {
			d.Rows[i].SessionHref = "/sessions/" + strconv.Itoa(n)
		}
	}
	for i, s := range tl.Sessions {
		d.Sessions = append(d.Sessions, sessionLink{Href: "/sessions/" + strconv.Itoa(i), Session: s})
	}
	return d
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// Listen binds addr, defaulting to loopback. The caller names another address explicitly to
// share the page; Listen then warns on w.
func Listen(addr string, w io.Writer) (net.Listener, []string, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--addr %q: want host:port such as %s: %w", addr, DefaultAddr, err)
	}
	if host == "" {
		return nil, nil, fmt.Errorf("--addr %q names no host; write it out: %s for this "+
			"machine only, 0.0.0.0:%s for every interface", addr, DefaultAddr, port)
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)

	ip := net.ParseIP(host)
	if host == "localhost" || (ip != nil && ip.IsLoopback()) {
		hosts := []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port}
		return ln, append(hosts, net.JoinHostPort(host, port)), nil
	}

	fmt.Fprintf(w, "warning: serving evidence on %s, which is not loopback: anyone who can "+
		"reach it can read the evaluation's evidence\n", addr)
	if ip == nil || !ip.IsUnspecified() {
		return ln, hostHeaders([]string{host}, port), nil
	}
	names, err := machineNames()
	if err != nil {
		_ = ln.Close()
		return nil, nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	return ln, hostHeaders(names, port), nil
}

// machineNames are the names a browser may use for this machine when the page is served on
// every interface: loopback, the host name and each interface's address. Any other Host is a
// page of another site reaching the server through DNS rebinding, and is refused.
func machineNames() ([]string, error) {
	names := []string{"localhost", "127.0.0.1", "::1"}
	if hostname, err := os.Hostname(); err == nil && hostname != "" {
		names = append(names, hostname)
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("list the interface addresses to check Host headers against: %w",
			err)
	}
	for _, a := range addrs {
		if prefix, ok := a.(*net.IPNet); ok {
			names = append(names, prefix.IP.String())
		}
	}
	return names, nil
}

// hostHeaders turns names into the Host headers a browser sends for them: host:port, and the
// bare name as well on port 80, which browsers leave out.
func hostHeaders(names []string, port string) []string {
	var out []string
	for _, name := range names {
		out = append(out, net.JoinHostPort(name, port))
		if port != "80" {
			continue
		}
		if strings.Contains(name, ":") {
			name = "[" + name + "]"
		}
		out = append(out, name)
	}
	return out
}

// Serve serves tl on ln until ctx ends.
func Serve(ctx context.Context, ln net.Listener, hosts []string, tl *forensics.Timeline) error {
	h, err := NewHandler(tl, hosts)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			return err
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
