package gitx

import (
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gitServer is a smart-HTTP git server (git http-backend behind net/http/cgi)
// on 127.0.0.1, optionally requiring a token as the basic-auth password.
type gitServer struct {
	URL      string
	token    string
	requests atomic.Int64

	mu       sync.Mutex
	stall    bool          // block git-upload-pack POSTs until the client goes away
	stalling chan struct{} // closed when a POST is being stalled
}

func newGitServer(t *testing.T, root, token string) *gitServer {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Fatalf("git-http-backend: %v", err)
	}
	s := &gitServer{token: token, stalling: make(chan struct{})}
	cgiHandler := &cgi.Handler{
		Path: backend,
		Env: []string{
			"GIT_PROJECT_ROOT=" + root,
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1",
			"HOME=" + root,
		},
		Stderr: io.Discard,
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if s.token != "" {
			if _, pass, ok := r.BasicAuth(); !ok || pass != s.token {
				w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			s.mu.Lock()
			stall := s.stall
			if stall {
				s.stall = false
				close(s.stalling)
			}
			s.mu.Unlock()
			if stall {
				// Drain the body so the server notices the client going away.
				_, _ = io.Copy(io.Discard, r.Body)
				select {
				case <-r.Context().Done():
				case <-time.After(15 * time.Second):
				}
				return
			}
		}
		cgiHandler.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(h) // listens on 127.0.0.1, free port
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// stallNext makes the next git-upload-pack POST hang until the client
// disconnects, and returns a channel closed when it started hanging.
func (s *gitServer) stallNext() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stall = true
	s.stalling = make(chan struct{})
	return s.stalling
}

// recordingServer is a smart-HTTP git server on a given address that
// records the Authorization headers it receives.
type recordingServer struct {
	URL      string
	requests atomic.Int64
	mu       sync.Mutex
	auth     []string
}

func newGitServerOn(t *testing.T, addr, root string) *recordingServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	inner := newGitServer(t, root, "")
	target, _ := url.Parse(inner.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	s := &recordingServer{URL: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if a := r.Header.Get("Authorization"); a != "" {
			s.mu.Lock()
			s.auth = append(s.auth, a)
			s.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *recordingServer) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth = nil
	s.requests.Store(0)
}

func (s *recordingServer) authHeaders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}
