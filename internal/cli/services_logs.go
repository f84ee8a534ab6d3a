package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// logPoll is how often `services logs -F` looks for new output.
const logPoll = 100 * time.Millisecond

// servicesLogs prints the log files of the named services (all without
// names), prefixed with the service name when there are several, and
// with -F keeps following them until Ctrl-C. It reads the files directly:
// logs stay readable after the supervisor is gone.
func (a *app) servicesLogs(ctx context.Context, names []string, follow bool) error {
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
	type tail struct {
		name string
		f    *os.File
		r    *bufio.Reader
		part string
	}
	var tails []*tail
	for _, n := range names {
		f, err := os.Open(filepath.Join(logDir, n+".log"))
		if err != nil {
			return fmt.Errorf("no log for service %q (has it run?)", n)
		}
		tails = append(tails, &tail{name: n, f: f, r: bufio.NewReader(f)})
	}
	defer func() {
		for _, t := range tails {
			t.f.Close()
		}
	}()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	emit := func(t *tail, line string) {
		if len(tails) > 1 {
			fmt.Fprintf(a.streams.Out, "%-*s | %s", width, t.name, line)
		} else {
			fmt.Fprint(a.streams.Out, line)
		}
	}
	drain := func(t *tail) {
		for {
			s, err := t.r.ReadString('\n')
			if err == io.EOF {
				t.part += s // a line still being written
				return
			}
			if err != nil {
				return
			}
			emit(t, t.part+s)
			t.part = ""
		}
	}
	for _, t := range tails {
		drain(t)
		if !follow && t.part != "" {
			emit(t, t.part+"\n")
		}
	}
	if !follow {
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
			reopenIfRotated(t.f, filepath.Join(logDir, t.name+".log"), func(f *os.File) {
				drain(t) // the end of the rotated file first
				t.f.Close()
				t.f, t.r = f, bufio.NewReader(f)
			})
			drain(t)
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
