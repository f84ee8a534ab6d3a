package main

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// goEnv is the Go build cache and path of the test process, so that a
// script that builds a small Go program (the app a checklist builds and a
// service runs) reuses the compiled standard library instead of building
// it again in a fresh HOME. Empty when go is not installed.
var goEnv = sync.OnceValues(func() (cache, gopath string) {
	out, err := exec.Command("go", "env", "GOCACHE", "GOPATH").Output()
	if err != nil {
		return "", ""
	}
	f := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(f) != 2 {
		return "", ""
	}
	return f[0], f[1]
})

// setGoEnv gives a script the test process's Go cache and path.
func setGoEnv(env *testscript.Env) {
	cache, gopath := goEnv()
	if cache == "" {
		return
	}
	env.Setenv("GOCACHE", cache)
	env.Setenv("GOPATH", gopath)
	env.Setenv("GOTOOLCHAIN", "local")
}

// cmdHTTPGet fetches URL and writes the body to the script's stdout; it
// fails on a connection error or a status other than 200.
//
//	httpget URL
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: httpget URL")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(args[0])
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("GET %s: %s\n%s", args[0], resp.Status, body)
	}
	_, _ = ts.Stdout().Write(body)
}
