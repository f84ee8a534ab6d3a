package tools

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeTool writes an executable shell script named name into dir. Call it
// before t.Parallel: writing an executable while another test forks can
// make exec fail with "text file busy".
func fakeTool(t *testing.T, dir, name, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("fake tools are /bin/sh scripts")
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// envWithPath is this process's environment with dir first on PATH.
func envWithPath(dir string) []string {
	return append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestProbeFound(t *testing.T) {
	dir := t.TempDir()
	fakeTool(t, dir, "faketool", `echo "faketool version 1.2.3 (built today)"; echo "second line"`)
	// A "java" that, like the real one, answers on stderr. Being first on
	// the Spec's PATH it wins over any java installed on this machine.
	fakeTool(t, dir, "java", `echo 'openjdk version "21.0.2" 2024-01-16' >&2; echo 'OpenJDK Runtime Environment (build 21.0.2+13-58)' >&2`)
	fakeTool(t, dir, "fakeprotoc", `echo "libprotoc 25.1"`)
	fakeTool(t, dir, "noisy", `printf '\033[1mApache Maven 3.9.6\033[m\r\n'`)
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	fakeTool(t, filepath.Join(dir, "bin"), "local", `echo "local 0.4.0"`)
	t.Parallel()
	env := envWithPath(dir)

	tests := []struct {
		name      string
		spec      Spec
		version   string
		path      string
		firstLine string
		line      string
	}{
		{
			name:      "unknown tool: <name> --version and the generic pattern",
			spec:      Spec{Name: "faketool", Env: env},
			version:   "1.2.3",
			path:      filepath.Join(dir, "faketool"),
			firstLine: "faketool version 1.2.3 (built today)",
			line:      "faketool version 1.2.3 (built today)",
		},
		{
			name:      "built-in entry, version on stderr",
			spec:      Spec{Name: "java", Env: env},
			version:   "21.0.2",
			path:      filepath.Join(dir, "java"),
			firstLine: `openjdk version "21.0.2" 2024-01-16`,
			line:      `openjdk version "21.0.2" 2024-01-16`,
		},
		{
			name:      "custom command and pattern from onboard.yaml",
			spec:      Spec{Name: "protoc", Command: []string{"fakeprotoc", "--version"}, Pattern: `libprotoc (\S+)`, Env: env},
			version:   "25.1",
			path:      filepath.Join(dir, "fakeprotoc"),
			firstLine: "libprotoc 25.1",
			line:      "libprotoc 25.1",
		},
		{
			name:      "custom command, pattern of the built-in entry",
			spec:      Spec{Name: "mvn", Command: []string{"noisy"}, Env: env},
			version:   "3.9.6",
			path:      filepath.Join(dir, "noisy"),
			firstLine: "Apache Maven 3.9.6",
			line:      "Apache Maven 3.9.6",
		},
		{
			name:      "relative program path, resolved against Dir",
			spec:      Spec{Name: "local", Command: []string{"./bin/local", "-v"}, Dir: dir},
			version:   "0.4.0",
			path:      filepath.Join(dir, "bin", "local"),
			firstLine: "local 0.4.0",
			line:      "local 0.4.0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			found, err := Probe(context.Background(), tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if found.Version != tt.version || found.Path != tt.path || found.FirstLine != tt.firstLine || found.Line != tt.line {
				t.Errorf("got %+v\nwant Version %q, Path %q, FirstLine %q, Line %q", found, tt.version, tt.path, tt.firstLine, tt.line)
			}
			if found.Tool != tt.spec.Name {
				t.Errorf("Tool = %q, want %q", found.Tool, tt.spec.Name)
			}
		})
	}
}

func TestProbeErrors(t *testing.T) {
	dir := t.TempDir()
	fakeTool(t, dir, "garbage", `echo "Welcome to garbage! Today is a fine day."; echo "no numbers here"`)
	fakeTool(t, dir, "failing", `for i in 1 2 3 4 5 6 7 8; do echo "line $i"; done; echo "fatal: cannot read config" >&2; exit 3`)
	fakeTool(t, dir, "silent-fail", `exit 42`)
	fakeTool(t, dir, "sleepy", `echo "starting"; sleep 10; echo "sleepy 1.0.0"`)
	fakeTool(t, dir, "chatty", `yes "no version on this line" | head -c 100000; echo; echo "chatty 9.9.9"`)
	empty := t.TempDir()
	t.Parallel()
	env := envWithPath(dir)

	t.Run("not found", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "no-such-tool-x7", Env: []string{"PATH=" + empty}})
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("error = %v (%T), want *NotFoundError", err, err)
		}
		if nf.Tool != "no-such-tool-x7" || nf.Program != "no-such-tool-x7" {
			t.Errorf("got %+v", nf)
		}
		wantMsg(t, err, `no-such-tool-x7: the program "no-such-tool-x7" was not found on your PATH`)
	})

	t.Run("not found: the program of a two-word tool", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "docker compose", Env: []string{"PATH=" + empty}})
		var nf *NotFoundError
		if !errors.As(err, &nf) || nf.Program != "docker" {
			t.Fatalf("error = %v, want *NotFoundError for program docker", err)
		}
		wantMsg(t, err, `docker compose: the program "docker" was not found on your PATH`)
	})

	t.Run("not found: a program path", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "local", Command: []string{"./bin/missing", "-v"}, Dir: dir})
		var nf *NotFoundError
		if !errors.As(err, &nf) || nf.Program != "./bin/missing" {
			t.Fatalf("error = %v, want *NotFoundError for ./bin/missing", err)
		}
		wantMsg(t, err, `local: the program "./bin/missing" does not exist or is not executable`)
	})

	t.Run("relative PATH entries are not searched", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "garbage", Env: []string{"PATH=."}, Dir: dir})
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("error = %v, want *NotFoundError", err)
		}
	})

	t.Run("exit code", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "failing", Env: env})
		var ee *ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("error = %v (%T), want *ExitError", err, err)
		}
		if ee.Code != 3 {
			t.Errorf("Code = %d, want 3", ee.Code)
		}
		wantTail := "line 5\nline 6\nline 7\nline 8\nfatal: cannot read config"
		if ee.Tail != wantTail {
			t.Errorf("Tail = %q, want %q", ee.Tail, wantTail)
		}
		wantMsg(t, err, `failing: "failing --version" exited with code 3; the end of its output was:
    line 5
    line 6
    line 7
    line 8
    fatal: cannot read config`)
	})

	t.Run("exit code, no output", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "silent-fail", Env: env})
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != 42 {
			t.Fatalf("error = %v, want *ExitError with code 42", err)
		}
		wantMsg(t, err, `silent-fail: "silent-fail --version" exited with code 42 and printed nothing`)
	})

	t.Run("no match", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "garbage", Env: env})
		var nm *NoMatchError
		if !errors.As(err, &nm) {
			t.Fatalf("error = %v (%T), want *NoMatchError", err, err)
		}
		if nm.Pattern != GenericPattern {
			t.Errorf("Pattern = %q, want %q", nm.Pattern, GenericPattern)
		}
		wantMsg(t, err, "garbage: could not find a version in the output of \"garbage --version\" using the pattern `"+GenericPattern+"`; the output began:\n    Welcome to garbage! Today is a fine day.\n    no numbers here")
	})

	t.Run("no match quotes only the start of long output", func(t *testing.T) {
		t.Parallel()
		_, err := Probe(context.Background(), Spec{Name: "chatty", Pattern: `chatty (\d+\.\d+\.\d+) and more`, Env: env})
		var nm *NoMatchError
		if !errors.As(err, &nm) {
			t.Fatalf("error = %v, want *NoMatchError", err)
		}
		if len(nm.Output) > outputQuote+len("…") || !strings.HasSuffix(nm.Output, "…") {
			t.Errorf("Output is %d bytes (%q…), want at most %d and an ellipsis", len(nm.Output), nm.Output[:40], outputQuote)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		_, err := Probe(context.Background(), Spec{Name: "sleepy", Env: env, Timeout: 200 * time.Millisecond})
		elapsed := time.Since(start)
		var te *TimeoutError
		if !errors.As(err, &te) {
			t.Fatalf("error = %v (%T), want *TimeoutError", err, err)
		}
		if te.Timeout != 200*time.Millisecond {
			t.Errorf("Timeout = %v", te.Timeout)
		}
		// The script's sleep child holds the output pipe; killing the
		// process group is what lets Probe return promptly.
		if elapsed > 3*time.Second {
			t.Errorf("Probe returned after %v, want soon after the 200ms timeout", elapsed)
		}
		wantMsg(t, err, `sleepy: "sleepy --version" did not finish within 200ms and was stopped`)
	})

	t.Run("cancelled context", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := Probe(ctx, Spec{Name: "sleepy", Env: env})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
		var te *TimeoutError
		if errors.As(err, &te) {
			t.Errorf("a cancelled probe is not a timeout: %v", err)
		}
	})

	t.Run("invalid specs", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			spec Spec
			want string
		}{
			{Spec{}, "no tool name and no command"},
			{Spec{Name: "x", Pattern: `(unclosed`}, "x: pattern `(unclosed` is not a valid regular expression"},
			{Spec{Name: "x", Pattern: `\d+`}, "x: pattern `\\d+` needs a capture group"},
			{Spec{Name: "x", Command: []string{""}}, "x: the command's program name is empty"},
		} {
			_, err := Probe(context.Background(), tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Probe(%+v) error = %v, want it to contain %q", tt.spec, err, tt.want)
			}
		}
	})
}

func TestProbeOutputCap(t *testing.T) {
	dir := t.TempDir()
	// 200 KiB after the version: read to the end, kept only in part.
	fakeTool(t, dir, "big-after", `echo "big-after 1.0.0"; yes 0123456789abcdef | head -c 204800`)
	// The version only after 100 KiB: beyond what is kept.
	fakeTool(t, dir, "big-before", `yes 0123456789abcdef | head -c 102400; echo; echo "big-before 2.0.0"`)
	t.Parallel()
	env := envWithPath(dir)

	found, err := Probe(context.Background(), Spec{Name: "big-after", Env: env})
	if err != nil || found.Version != "1.0.0" {
		t.Fatalf("Probe = %+v, %v; want version 1.0.0", found, err)
	}
	_, err = Probe(context.Background(), Spec{Name: "big-before", Pattern: `big-before (\S+)`, Env: env})
	var nm *NoMatchError
	if !errors.As(err, &nm) {
		t.Fatalf("error = %v, want *NoMatchError: output past %d bytes must be dropped", err, MaxOutput)
	}
}

func TestCappedBuffer(t *testing.T) {
	t.Parallel()
	b := &cappedBuffer{max: 10}
	for _, s := range []string{"12345", "67890abc", "def"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := b.String(); got != "1234567890" {
		t.Errorf("kept %q, want the first 10 bytes", got)
	}
}

// TestProbeRealGo probes the go command of this machine, which always
// exists where these tests run.
func TestProbeRealGo(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	found, err := Probe(context.Background(), Spec{Name: "go"})
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(found.Path) {
		t.Errorf("Path = %q, want an absolute path", found.Path)
	}
	if !strings.HasPrefix(found.FirstLine, "go version go"+found.Version+" ") {
		t.Errorf("FirstLine = %q, Version = %q", found.FirstLine, found.Version)
	}
	ok, err := Satisfies(">= 1.22", found.Version)
	if err != nil || !ok {
		t.Errorf("Satisfies(>= 1.22, %q) = %v, %v", found.Version, ok, err)
	}
	t.Logf("go %s at %s", found.Version, found.Path)
}

func wantMsg(t *testing.T, err error, want string) {
	t.Helper()
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message:\n%s\nwant it to contain:\n%s", err, want)
	}
}
