package tools

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// NotFoundError means the tool's program is not installed, or not in any
// folder on PATH.
type NotFoundError struct {
	Tool    string // tool name, e.g. "docker compose"
	Program string // the program looked for, e.g. "docker"
	// Elsewhere is the program found outside PATH, where a package manager
	// installs it (macOS: Homebrew's /opt/homebrew/bin), or "".
	Elsewhere string
}

func (e *NotFoundError) Error() string {
	if e.Elsewhere != "" {
		return fmt.Sprintf("%s: the program %q is not on your PATH, but %s exists: %s", e.Tool, e.Program, e.Elsewhere, e.Fix())
	}
	if strings.ContainsAny(e.Program, "/\\") {
		return fmt.Sprintf("%s: the program %q does not exist or is not executable", e.Tool, e.Program)
	}
	return fmt.Sprintf("%s: the program %q was not found on your PATH: install %s, or add the folder that contains %q to PATH",
		e.Tool, e.Program, e.Tool, e.Program)
}

// Fix is what to do about a program found outside PATH; "" when it was
// found nowhere (installing it is the checklist's or [InstallHint]'s
// business).
func (e *NotFoundError) Fix() string {
	if e.Elsewhere == "" {
		return ""
	}
	return pathFix(e.Elsewhere)
}

// ExitError means the version command ran but exited with a non-zero code.
type ExitError struct {
	Tool string
	Argv []string
	Code int    // exit code; -1 if the program was killed by a signal
	Tail string // last lines of its output, cleaned, at most tailLines of them
	// Xcode: the program is one of macOS's /usr/bin shims for the Xcode
	// Command Line Tools, which are not installed or broken.
	Xcode bool
}

// Fix is what to do about the failure when onboard knows; "" otherwise.
func (e *ExitError) Fix() string {
	if e.Xcode {
		return xcodeFix
	}
	return ""
}

func (e *ExitError) Error() string {
	msg := fmt.Sprintf("%s: %q exited with code %d", e.Tool, strings.Join(e.Argv, " "), e.Code)
	if e.Code < 0 {
		msg = fmt.Sprintf("%s: %q was killed before it finished", e.Tool, strings.Join(e.Argv, " "))
	}
	if e.Xcode {
		msg += "; " + xcodeFix
	}
	if e.Tail == "" {
		return msg + " and printed nothing"
	}
	return msg + "; the end of its output was:\n" + indent(e.Tail)
}

// NoMatchError means the version command succeeded but its output did not
// contain anything the pattern recognises as a version.
type NoMatchError struct {
	Tool    string
	Argv    []string
	Pattern string // the regular expression that did not match
	Output  string // the start of the output, cleaned, at most outputQuote bytes
}

func (e *NoMatchError) Error() string {
	out := e.Output
	if out == "" {
		out = "(no output)"
	}
	return fmt.Sprintf("%s: could not find a version in the output of %q using the pattern %s; the output began:\n%s",
		e.Tool, strings.Join(e.Argv, " "), "`"+e.Pattern+"`", indent(out))
}

// TimeoutError means the version command did not finish in time and was
// stopped.
type TimeoutError struct {
	Tool    string
	Argv    []string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s: %q did not finish within %s and was stopped; the tool may be waiting for input or a network, run it yourself to see why",
		e.Tool, strings.Join(e.Argv, " "), e.Timeout)
}

const (
	tailLines   = 5   // lines of output quoted by ExitError
	outputQuote = 200 // bytes of output quoted by NoMatchError
)

// lastLines returns the last n non-blank lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n \t"), "\n")
	var keep []string
	for i := len(lines) - 1; i >= 0 && len(keep) < n; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			keep = append(keep, lines[i])
		}
	}
	for i, j := 0, len(keep)-1; i < j; i, j = i+1, j-1 {
		keep[i], keep[j] = keep[j], keep[i]
	}
	return strings.Join(keep, "\n")
}

// head returns at most n bytes of s, cut at a rune boundary, with "…"
// appended when something was cut.
func head(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
