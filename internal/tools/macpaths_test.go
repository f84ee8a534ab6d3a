package tools

import (
	"errors"
	"strings"
	"testing"
)

func TestOffPath(t *testing.T) {
	t.Parallel()
	installed := map[string]bool{"/opt/homebrew/bin/go": true, "/usr/local/bin/jq": true, "/opt/homebrew/sbin/nginx": true}
	isExec := func(p string) bool { return installed[p] }
	tests := []struct{ program, goos, want string }{
		{"go", "darwin", "/opt/homebrew/bin/go"},
		{"jq", "darwin", "/usr/local/bin/jq"},
		{"nginx", "darwin", "/opt/homebrew/sbin/nginx"},
		{"node", "darwin", ""},
		{"go", "linux", ""}, // Homebrew's folders mean nothing there
		{"./bin/go", "darwin", ""},
		{"/opt/homebrew/bin/go", "darwin", ""}, // a path is used as given
		{"", "darwin", ""},
	}
	for _, tt := range tests {
		if got := offPath(tt.program, tt.goos, isExec); got != tt.want {
			t.Errorf("offPath(%q, %s) = %q, want %q", tt.program, tt.goos, got, tt.want)
		}
	}
}

func TestPathFix(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"/opt/homebrew/bin/go", "run `eval \"$(/opt/homebrew/bin/brew shellenv)\"` and add that line to ~/.zprofile"},
		{"/usr/local/sbin/x", "`eval \"$(/usr/local/bin/brew shellenv)\"`"},
		{"/Users/ann/bin/tool", "add /Users/ann/bin to PATH"},
	}
	for _, tt := range tests {
		if got := pathFix(tt.path); !strings.Contains(got, tt.want) {
			t.Errorf("pathFix(%s) = %q, want it to contain %q", tt.path, got, tt.want)
		}
	}
}

// macOS's /usr/bin/git without the Command Line Tools: the probe's error
// says what to run instead of quoting xcrun alone.
func TestXcodeToolsMissing(t *testing.T) {
	t.Parallel()
	broken := "xcrun: error: invalid active developer path (/Library/Developer/CommandLineTools), missing xcrun at: /Library/Developer/CommandLineTools/usr/bin/xcrun\n"
	never := "xcode-select: note: No developer tools were found, requesting install.\n"
	for _, out := range []string{broken, never} {
		if !xcodeToolsMissing(out) {
			t.Errorf("xcodeToolsMissing(%q) = false", out)
		}
	}
	if xcodeToolsMissing("git version 2.39.3 (Apple Git-146)\n") {
		t.Error("xcodeToolsMissing of a working git = true")
	}

	s := Spec{Name: "git"}
	argv, pat, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.interpret(argv, pat, runResult{path: "/usr/bin/git", output: broken, exitCode: 1})
	var ee *ExitError
	if !errors.As(err, &ee) || !ee.Xcode || !strings.Contains(err.Error(), "xcode-select --install") || ee.Fix() == "" {
		t.Errorf("probe of git without the Command Line Tools: %v (Xcode %v), want an ExitError that says xcode-select --install", err, ee != nil && ee.Xcode)
	}
	_, err = s.interpret(argv, pat, runResult{path: "/usr/bin/git", output: "fatal: bad config\n", exitCode: 128})
	if !errors.As(err, &ee) || ee.Xcode || ee.Fix() != "" || strings.Contains(err.Error(), "xcode") {
		t.Errorf("another failure of git reads as Xcode's: %v", err)
	}
}

// A program not on PATH but in Homebrew's folder: the error names it and
// says how to put Homebrew on PATH, rather than to install it again.
func TestNotFoundElsewhere(t *testing.T) {
	t.Parallel()
	s := Spec{Name: "go"}
	argv, pat, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.interpret(argv, pat, runResult{err: errNotFound, elsewhere: "/opt/homebrew/bin/go"})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Elsewhere != "/opt/homebrew/bin/go" {
		t.Fatalf("err = %v, want a NotFoundError naming /opt/homebrew/bin/go", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "but /opt/homebrew/bin/go exists") || !strings.Contains(msg, "brew shellenv") {
		t.Errorf("message %q", msg)
	}
	_, err = s.interpret(argv, pat, runResult{err: errNotFound})
	if !errors.As(err, &nf) || nf.Fix() != "" || strings.Contains(err.Error(), "exists") {
		t.Errorf("found nowhere: %v, Fix %q", err, nf.Fix())
	}
}
