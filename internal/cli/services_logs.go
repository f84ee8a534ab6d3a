package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/supervise"
)

// logPoll is how often `services logs -F` looks for new output.
const logPoll = 100 * time.Millisecond

// logsOptions are the flags of `services logs`.
type logsOptions struct {
	follow     bool
	tail       int       // the last lines of each log to show; < 0: all
	since      time.Time // show lines stamped at or after; zero: all
	timestamps bool      // show each line's stamp
}

// logsFlags reads and checks the flags of `services logs`: a bad --tail
// or --since is a usage error that says what is wanted.
func logsFlags(cmd *cobra.Command) (logsOptions, error) {
	var o logsOptions
	o.follow, _ = cmd.Flags().GetBool("follow")
	o.timestamps, _ = cmd.Flags().GetBool("timestamps")
	tail, _ := cmd.Flags().GetString("tail")
	var err error
	if o.tail, err = parseTail(tail); err != nil {
		return o, &UsageError{err}
	}
	since, _ := cmd.Flags().GetString("since")
	if o.since, err = parseSince(since, time.Now()); err != nil {
		return o, &UsageError{err}
	}
	return o, nil
}

// parseTail reads --tail: a number of lines, 0 or more, or "all" (-1).
func parseTail(s string) (int, error) {
	if s == "all" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("--tail %q: want a number of lines, 0 or more (or all)", s)
	}
	return n, nil
}

// parseSince reads --since: a duration back from now (10m, 1h30m), or an
// RFC3339 time (2026-03-04T15:04:05Z, 2026-03-04T15:04:05+01:00).
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("--since %q: a duration back from now cannot be negative (want 10m, 1h30m, …)", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a duration such as 10m or 1h30m, or an RFC3339 time such as 2026-03-04T15:04:05Z", s)
}

// servicesLogs prints the logs of the named services (all without names),
// each service's after the other, prefixed with the service name when
// there are several; with --follow it keeps following them until Ctrl-C.
// A log is its rotated files (oldest first) and then the current file;
// --since and --tail select from all of it. It reads the files directly:
// logs stay readable after the supervisor is gone.
func (a *app) servicesLogs(ctx context.Context, names []string, o logsOptions) error {
	dir, err := a.servicesDir()
	if err != nil {
		return err
	}
	logDir := filepath.Join(dir, "logs")
	if len(names) == 0 {
		ents, _ := os.ReadDir(logDir)
		for _, e := range ents {
			if n, ok := strings.CutSuffix(e.Name(), ".log"); ok {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		if len(names) == 0 {
			fmt.Fprintln(a.streams.Err, "No service has written a log yet.")
			return nil
		}
	}
	var tails []*logTail
	defer func() {
		for _, t := range tails {
			t.f.Close()
		}
	}()
	for _, n := range names {
		path := filepath.Join(logDir, n+".log")
		f, err := os.Open(path)
		if err != nil {
			if err := a.checkServiceNames([]string{n}, nil); err != nil {
				return err
			}
			return fmt.Errorf("no log for service %q (has it run?)", n)
		}
		tails = append(tails, &logTail{name: n, path: path, f: f, r: bufio.NewReader(f)})
	}
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	// selected tells whether a line is one --since asks for.
	selected := func(line string) bool {
		if o.since.IsZero() {
			return true
		}
		at, _, stamped := supervise.SplitLogStamp(line)
		return stamped && !at.Before(o.since)
	}
	emit := func(t *logTail, line string) {
		at, text, stamped := supervise.SplitLogStamp(line)
		if o.timestamps && stamped {
			text = at.Format(supervise.LogStampLayout) + " " + text
		}
		if len(tails) > 1 {
			fmt.Fprintf(a.streams.Out, "%-*s | %s", width, t.name, text)
		} else {
			fmt.Fprint(a.streams.Out, text)
		}
	}
	for _, t := range tails {
		// The lines --since selects; with --tail only the last ones are
		// kept, so that memory stays bounded by the lines shown.
		var lines []string
		keep := func(line string) {
			if !selected(line) {
				return
			}
			lines = append(lines, line)
			if o.tail >= 0 && len(lines) > 2*o.tail+64 {
				lines = slices.Delete(lines, 0, len(lines)-o.tail)
			}
		}
		for _, old := range rotatedLogs(t.path) {
			readLines(old, keep)
		}
		t.drain(keep)
		if !o.follow && t.part != "" {
			keep(t.part + "\n")
			t.part = ""
		}
		if o.tail >= 0 && len(lines) > o.tail {
			lines = lines[len(lines)-o.tail:]
		}
		for _, l := range lines {
			emit(t, l)
		}
	}
	if !o.follow {
		return nil
	}
	tick := time.NewTicker(logPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		for _, t := range tails {
			out := func(line string) {
				if selected(line) {
					emit(t, line)
				}
			}
			reopenIfRotated(t.f, t.path, func(f *os.File) {
				t.drain(out) // the end of the rotated file first
				t.f.Close()
				t.f, t.r = f, bufio.NewReader(f)
			})
			t.drain(out)
		}
	}
}

// logTail reads a service's current log file as it grows.
type logTail struct {
	name, path string
	f          *os.File
	r          *bufio.Reader
	part       string // a line still being written
}

// drain passes every complete line read so far to line, and keeps a line
// still being written for later.
func (t *logTail) drain(line func(string)) {
	for {
		s, err := t.r.ReadString('\n')
		if err == io.EOF {
			t.part += s
			return
		}
		if err != nil {
			return
		}
		line(t.part + s)
		t.part = ""
	}
}

// rotatedLogs are the rotated files of the log at path, oldest first:
// path.3, path.2, path.1.
func rotatedLogs(path string) []string {
	ents, _ := os.ReadDir(filepath.Dir(path))
	base := filepath.Base(path) + "."
	var ns []int
	for _, e := range ents {
		if rest, ok := strings.CutPrefix(e.Name(), base); ok {
			if n, err := strconv.Atoi(rest); err == nil && n > 0 && strconv.Itoa(n) == rest {
				ns = append(ns, n)
			}
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ns)))
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = path + "." + strconv.Itoa(n)
	}
	return out
}

// readLines passes every line of the file at path to line, the last one
// with its newline even when the file ends without one. A file rotated
// away meanwhile is skipped.
func readLines(path string, line func(string)) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		s, err := r.ReadString('\n')
		if s != "" {
			if !strings.HasSuffix(s, "\n") {
				s += "\n"
			}
			line(s)
		}
		if err != nil {
			return // io.EOF, or the file went away
		}
	}
}

// reopenIfRotated switches to the new file when the log was rotated under
// us (the open one is now <name>.log.1).
func reopenIfRotated(open *os.File, path string, use func(*os.File)) {
	cur, err := open.Stat()
	if err != nil {
		return
	}
	now, err := os.Stat(path)
	if err != nil || os.SameFile(cur, now) {
		return
	}
	if f, err := os.Open(path); err == nil {
		use(f)
	}
}
