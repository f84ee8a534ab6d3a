//go:build unix

package main

import (
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdGitServer serves the bare repositories under DIR over smart HTTP
// (`git http-backend` behind net/http/cgi) on a free 127.0.0.1 port for
// the rest of the script, and sets $GITSERVER to its base URL.
//
// With -stall FILE, while FILE exists every pack request hangs (until the
// client goes away) after writing FILE.hit: a clone can be interrupted in
// the middle. With -token T, every request needs basic auth with password
// T (any user name), as a private repository would.
//
//	gitserver [-stall FILE] [-token T] DIR
func cmdGitServer(ts *testscript.TestScript, neg bool, args []string) {
	stall, token := "", ""
	for len(args) == 3 || len(args) == 5 {
		switch args[0] {
		case "-stall":
			stall = ts.MkAbs(args[1])
		case "-token":
			token = args[1]
		default:
			ts.Fatalf("usage: gitserver [-stall FILE] [-token T] DIR")
		}
		args = args[2:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gitserver [-stall FILE] [-token T] DIR")
	}
	backend := gitBackend(ts, ts.MkAbs(args[0]))
	serveGit(ts, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			if _, pass, ok := r.BasicAuth(); !ok || pass != token {
				w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		if stall != "" && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			if _, err := os.Stat(stall); err == nil {
				_, _ = io.Copy(io.Discard, r.Body)
				_ = os.WriteFile(stall+".hit", []byte("stalled\n"), 0o644)
				select {
				case <-r.Context().Done():
				case <-time.After(30 * time.Second):
				}
				return
			}
		}
		backend.ServeHTTP(w, r)
	}))
}

// gitBackend is `git http-backend` serving the bare repositories under root.
func gitBackend(ts *testscript.TestScript, root string) *cgi.Handler {
	out, err := exec.Command("git", "--exec-path").Output()
	ts.Check(err)
	return &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(out)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"},
	}
}

// serveGit serves h on a free 127.0.0.1 port until the script ends and
// sets $GITSERVER to its base URL.
func serveGit(ts *testscript.TestScript, h http.Handler) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	ts.Defer(func() { _ = srv.Close() })
	ts.Setenv("GITSERVER", "http://"+ln.Addr().String())
}
