package tools

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

const (
	// DefaultTimeout bounds a probe whose Spec sets no Timeout.
	DefaultTimeout = 5 * time.Second
	// MaxOutput is how much of a probe's combined output is kept; the rest
	// is read and discarded so the tool never blocks on a full pipe.
	MaxOutput = 64 << 10
	// waitDelay is how long a probe waits for the output pipe to close once
	// the tool has exited or been stopped (a background child may hold it).
	waitDelay = time.Second
)

// Spec says which tool to probe and, optionally, how.
//
// Command and Pattern come from a tool's mapping in onboard.yaml and
// override the built-in table. For a tool that is not in the table and has
// no Command, Probe runs "<Name> --version"; without a Pattern it then takes
// the first "N.N" or "N.N.N" in the output ([GenericPattern]).
type Spec struct {
	// Name is the tool's name in onboard.yaml: "go", "docker compose", "protoc".
	Name string
	// Command is the argv to run instead of the table's, e.g.
	// ["protoc", "--version"]. It is run directly, never through a shell.
	Command []string
	// Pattern is a regular expression (Go syntax) whose first capture group
	// is the version, used instead of the table's, e.g. `libprotoc (\S+)`.
	Pattern string
	// Timeout bounds the run; 0 means DefaultTimeout.
	Timeout time.Duration
	// Env is the child's environment; nil means this process's. Its PATH
	// is also where the program is looked for (this process's PATH if Env
	// has none). Probe adds LC_ALL=C so that banners are not translated.
	Env []string
	// Dir is the child's working directory, and the base of a relative
	// program path such as "./bin/tool"; "" means this process's.
	Dir string
}

// Found describes an installed tool.
type Found struct {
	// Tool is the Spec's Name.
	Tool string
	// Version is what the pattern captured, as the tool printed it, e.g.
	// "1.26rc1" or "1.8.0_392"; see [Normalize] and [Satisfies].
	Version string
	// Path is the absolute path of the program that ran.
	Path string
	// Argv is the command that ran.
	Argv []string
	// FirstLine is the first non-blank line of the output, e.g.
	// "go version go1.26.8 linux/amd64".
	FirstLine string
	// Line is the output line the version was found on (often FirstLine).
	Line string
}

// Resolve returns the argv [Probe] runs for s and the compiled pattern it
// reads the version with, after applying the overrides and fallbacks
// described on [Spec]. It fails if s names nothing to run or its Pattern
// does not compile or has no capture group.
func (s Spec) Resolve() ([]string, *regexp.Regexp, error) {
	name := s.label()
	entry, known := Lookup(s.Name)
	var argv []string
	switch {
	case len(s.Command) > 0:
		argv = slices.Clone(s.Command)
	case known:
		argv = entry.Argv
	case strings.TrimSpace(s.Name) != "":
		argv = genericArgv(s.Name)
	default:
		return nil, nil, errors.New("tool probe: no tool name and no command")
	}
	if argv[0] == "" {
		return nil, nil, fmt.Errorf("%s: the command's program name is empty", name)
	}
	switch {
	case s.Pattern != "":
		pat, err := regexp.Compile(s.Pattern)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: pattern `%s` is not a valid regular expression: %w", name, s.Pattern, err)
		}
		if pat.NumSubexp() < 1 {
			return nil, nil, fmt.Errorf("%s: pattern `%s` needs a capture group, in parentheses, around the version", name, s.Pattern)
		}
		return argv, pat, nil
	case known:
		return argv, entry.Pattern, nil
	default:
		return argv, genericPattern(), nil
	}
}

// label names the tool in messages.
func (s Spec) label() string {
	if s.Name != "" {
		return s.Name
	}
	if len(s.Command) > 0 {
		return s.Command[0]
	}
	return "tool"
}

func (s Spec) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

// Probe runs the version command of one tool and reads its version.
//
// The program is looked up on PATH first (the Spec's Env PATH if it sets
// one), then run directly with its argv, never through a shell, with stdin
// empty and stdout and stderr read together, at most [MaxOutput] bytes. It
// is stopped, with any children it started, after the Spec's Timeout.
//
// A failure is one of *[NotFoundError], *[ExitError], *[NoMatchError] or
// *[TimeoutError] (use errors.As); a cancelled ctx returns an error wrapping
// ctx.Err(); anything else (an invalid Pattern, a program that cannot be
// started) is a plain error.
func Probe(ctx context.Context, spec Spec) (Found, error) {
	argv, pat, err := spec.Resolve()
	if err != nil {
		return Found{}, err
	}
	return spec.interpret(argv, pat, probe(ctx, run.System{}, argv, spec.Env, spec.Dir, spec.timeout()))
}

// runResult is what running a version command produced, before it is
// interpreted for one Spec; the Cache shares it between Specs.
type runResult struct {
	path      string // absolute path of the program; "" if not found
	output    string // combined stdout and stderr, at most MaxOutput bytes
	exitCode  int
	timedOut  bool
	cancelled bool   // the caller's ctx ended first; err wraps its error
	err       error  // not found, could not start, cancelled
	elsewhere string // not found on PATH, but here (see offPath)
}

var errNotFound = errors.New("not found")

// interpret turns a run into the Found or the typed error for this Spec.
func (s Spec) interpret(argv []string, pat *regexp.Regexp, r runResult) (Found, error) {
	name := s.label()
	switch {
	case errors.Is(r.err, errNotFound):
		return Found{}, &NotFoundError{Tool: name, Program: argv[0], Elsewhere: r.elsewhere}
	case r.timedOut:
		return Found{}, &TimeoutError{Tool: name, Argv: argv, Timeout: s.timeout()}
	case r.err != nil:
		return Found{}, fmt.Errorf("%s: could not run %q: %w", name, strings.Join(argv, " "), r.err)
	case r.exitCode != 0:
		return Found{}, &ExitError{Tool: name, Argv: argv, Code: r.exitCode, Tail: lastLines(CleanOutput(r.output), tailLines),
			Xcode: xcodeToolsMissing(r.output)}
	}
	m, ok := ParseOutput(pat, r.output)
	if !ok {
		return Found{}, &NoMatchError{Tool: name, Argv: argv, Pattern: pat.String(), Output: head(CleanOutput(r.output), outputQuote)}
	}
	return Found{
		Tool:      name,
		Version:   m.Version,
		Path:      r.path,
		Argv:      argv,
		FirstLine: FirstLine(r.output),
		Line:      strings.TrimSpace(m.Line),
	}, nil
}

// probe looks up argv and runs it with runner. It never returns a Go
// error: everything that happened is in the runResult.
//
// The tool runs in a process group of its own (internal/run), all of which
// is killed at once on timeout or cancellation, so that a wrapper script's
// children (a sleeping shim, a JVM) die with it instead of holding the
// output pipe.
func probe(ctx context.Context, runner run.Runner, argv, env []string, dir string, timeout time.Duration) runResult {
	path, err := lookPath(argv[0], env, dir)
	if err != nil {
		return runResult{err: errNotFound, elsewhere: lookOffPath(argv[0])}
	}
	if err := ctx.Err(); err != nil {
		return runResult{path: path, cancelled: true, err: err}
	}
	if env != nil {
		env = slices.Clone(env)
	} else {
		env = os.Environ()
	}
	out := &cappedBuffer{max: MaxOutput}
	err = runner.Run(ctx, run.Command{
		Path: path, Argv: argv, Dir: dir, Env: append(env, "LC_ALL=C"),
		Output:  out, // stdout and stderr: one pipe, the tool's own interleaving
		Timeout: timeout, StopSignal: os.Kill, WaitDelay: waitDelay,
	})
	r := runResult{path: path, output: out.String()}
	var exitErr *run.ExitError
	switch {
	case ctx.Err() != nil:
		r.cancelled, r.err = true, ctx.Err()
	case errors.As(err, new(*run.TimeoutError)):
		r.timedOut = true
	case err == nil:
	case errors.As(err, &exitErr):
		r.exitCode = exitErr.Code
		if exitErr.Signal != nil {
			r.exitCode = -1 // as os/exec reports a program killed by a signal
		}
	case errors.As(err, new(*run.NotFoundError)):
		r.err = errNotFound
	default:
		r.err = err
	}
	return r
}

// cappedBuffer keeps the first max bytes written to it and drops the rest.
type cappedBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *cappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
