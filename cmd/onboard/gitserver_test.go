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
// the rest of the script, and sets $GITSERVER to its base URL. With
// -stall FILE, while FILE exists every pack request hangs (until the
// client goes away) after writing FILE.hit: a clone can be interrupted
// in the middle.
//
//	gitserver [-stall FILE] DIR
func cmdGitServer(ts *testscript.TestScript, neg bool, args []string) {
	stall := ""
	if len(args) == 3 && args[0] == "-stall" {
		stall, args = ts.MkAbs(args[1]), args[2:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gitserver [-stall FILE] DIR")
	}
	out, err := exec.Command("git", "--exec-path").Output()
	ts.Check(err)
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	cgiHandler := &cgi.Handler{
		Path: backend,
		Env:  []string{"GIT_PROJECT_ROOT=" + ts.MkAbs(args[0]), "GIT_HTTP_EXPORT_ALL=1"},
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		cgiHandler.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	ts.Defer(func() { _ = srv.Close() })
	ts.Setenv("GITSERVER", "http://"+ln.Addr().String())
}
