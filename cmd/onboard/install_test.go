package main

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoInstallNamesItsVersion is README's install line for real: `go
// install github.com/onboard-dev/onboard/cmd/onboard@VERSION` from a module
// proxy, then `onboard version`. The proxy is a directory serving this
// checkout as the module at a tag and at a pseudo-version, and every
// dependency from the local module cache (so it runs offline); the
// install gets a module cache of its own, so the made-up versions never
// reach the real one. A test binary cannot show this: go test records no
// module version.
func TestGoInstallNamesItsVersion(t *testing.T) {
	pathGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go install is what this tests, and there is no go on PATH: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The toolchain that `go` on PATH selects (CI's GOTOOLCHAIN), run as
	// itself: with a module cache of its own, the go command would fetch
	// that toolchain again.
	goenv := strings.Split(string(output(t, root, nil, pathGo, "env", "GOROOT", "GOMODCACHE", "GOEXE")), "\n")
	if len(goenv) < 3 {
		t.Fatalf("go env GOROOT GOMODCACHE GOEXE: %q", goenv)
	}
	exe := goenv[2]
	goBin := filepath.Join(goenv[0], "bin", "go"+exe)
	realCache := goenv[1]
	tmp := t.TempDir()
	versions := []string{"v1.99.0", "v0.0.0-20261203102259-13e7735abcde"}
	proxy := filepath.Join(tmp, "proxy")
	serveModule(t, root, filepath.Join(proxy, "github.com", "onboard-dev", "onboard", "@v"), versions)

	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(realCache, "cache", "download")),
		"GOMODCACHE="+filepath.Join(tmp, "modcache"),
		"GOFLAGS=-modcacherw -trimpath", // a removable cache; -trimpath as .ci/cross, so its builds are reused
		"GOSUMDB=off",                   // the made-up versions are in no checksum database
		"GOTOOLCHAIN=local",
		"GOWORK=off",
		"CGO_ENABLED=0",
	)
	tests := []struct {
		version string
		want    string // the first three lines of `onboard version`
	}{
		// A tag: the module zip has no VCS data, so no commit.
		{"v1.99.0", "onboard v1.99.0\ncommit unknown\ndate unknown\n"},
		// A commit (@main, or @latest before any tag): the pseudo-version
		// names it and its time.
		{"v0.0.0-20261203102259-13e7735abcde", "onboard v0.0.0-20261203102259-13e7735abcde\ncommit 13e7735abcde\ndate 2026-12-03T10:22:59Z\n"},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			bin := filepath.Join(tmp, "bin-"+tt.version)
			output(t, tmp, append(env, "GOBIN="+bin), goBin, "install", "github.com/onboard-dev/onboard/cmd/onboard@"+tt.version)
			got := string(output(t, tmp, nil, filepath.Join(bin, "onboard"+exe), "version"))
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("onboard version of the installed binary:\n%s\nwant it to start with:\n%s", got, tt.want)
			}
		})
	}
}

// output runs name args in dir and returns its stdout, failing the test
// with its stderr when it fails.
func output(t *testing.T, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// serveModule writes, into a GOPROXY directory's @v of this module, each
// version as the go command fetches it: .info, .mod and a .zip of the
// files git tracks in root (as the working tree has them), without nested
// modules.
func serveModule(t *testing.T, root, dir string, versions []string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := strings.Split(strings.TrimRight(string(output(t, root, nil, "git", "ls-files", "-z")), "\x00"), "\x00")
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// As a module zip is made (golang.org/x/mod/zip): a directory with a
	// go.mod of its own is another module, left out with all below it —
	// init's fixture repositories have one.
	var nested []string
	for _, f := range files {
		if d, ok := strings.CutSuffix(f, "/go.mod"); ok {
			nested = append(nested, d+"/")
		}
	}
	inNested := func(f string) bool {
		for _, d := range nested {
			if strings.HasPrefix(f, d) {
				return true
			}
		}
		return false
	}
	for _, v := range versions {
		write := func(name string, b []byte) {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(v+".info", []byte(`{"Version":"`+v+`","Time":"2026-12-03T10:22:59Z"}`))
		write(v+".mod", gomod)
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		for _, f := range files {
			if inNested(f) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(root, f))
			if os.IsNotExist(err) {
				continue // deleted in the working tree, not yet in git
			}
			if err != nil {
				t.Fatal(err)
			}
			w, err := zw.Create("github.com/onboard-dev/onboard@" + v + "/" + f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(b); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		write(v+".zip", zb.Bytes())
	}
	if err := os.WriteFile(filepath.Join(dir, "list"), []byte(strings.Join(versions, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
