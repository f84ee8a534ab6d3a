package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// command is one thing to time: a program, its arguments and its directory,
// with the fixture's environment, stdin from /dev/null (no terminal).
type command struct {
	label string
	dir   string
	argv  []string
	// sys, when set, is used for starting the process: a start script
	// runs in a session of its own, so that the bench finds everything it
	// left running.
	sys *syscall.SysProcAttr
}

// result is one finished run.
type result struct {
	start, end time.Time
	stdout     []byte
	pid        int
}

func (r result) wall() time.Duration { return r.end.Sub(r.start) }

// run starts c and waits for it. The clock covers fork/exec to exit, the
// same for onboard and for bash. A non-zero exit is an error: every run the
// bench times must succeed, or it would time a different thing.
func (f *fixture) run(c command) (result, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Dir = c.dir
	cmd.Env = f.env
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.SysProcAttr = c.sys
	start := time.Now()
	err := cmd.Run()
	end := time.Now()
	if err != nil {
		return result{}, fmt.Errorf("%s: %s failed: %v\n%s%s", c.label, strings.Join(c.argv, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return result{start: start, end: end, stdout: stdout.Bytes(), pid: cmd.Process.Pid}, nil
}

// alternate runs the commands in turn, A B … A B …, reps times each, so
// that a change in machine load over the run hits every command alike. It
// returns the wall times per command, in the order given.
func (f *fixture) alternate(reps int, verbose bool, cmds ...command) ([][]time.Duration, error) {
	times := make([][]time.Duration, len(cmds))
	for i := range reps {
		for j, c := range cmds {
			r, err := f.run(c)
			if err != nil {
				return nil, err
			}
			times[j] = append(times[j], r.wall())
			if verbose {
				fmt.Fprintf(os.Stderr, "  %2d %-28s %s\n", i+1, c.label, ms(r.wall()))
			}
		}
	}
	return times, nil
}

// median of ds (the mean of the two middle values when len(ds) is even).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// spread is "min–max" of ds.
func spread(ds []time.Duration) string {
	if len(ds) == 0 {
		return ""
	}
	return ms(slices.Min(ds)) + "–" + ms(slices.Max(ds))
}

// ms prints a duration in milliseconds, or seconds from 1 s up.
func ms(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
}

// msf is d in milliseconds, as a float.
func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// loadavg is the first three fields of /proc/loadavg, or "?" off Linux.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	fields := strings.Fields(string(b))
	if len(fields) < 3 {
		return "?"
	}
	return strings.Join(fields[:3], " ")
}
