package proctab

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sample is testdata/ps-darwin.txt: hand-written in the format of macOS's
// ps (see testdata/README.md), not captured on a Mac.
func sample(t *testing.T) []Proc {
	t.Helper()
	b, err := os.ReadFile("testdata/ps-darwin.txt")
	if err != nil {
		t.Fatal(err)
	}
	procs, err := Parse(b, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return procs
}

func pids(procs []Proc) []int {
	var ps []int
	for _, p := range procs {
		ps = append(ps, p.Pid)
	}
	return ps
}

func TestParse(t *testing.T) {
	procs := sample(t)
	if len(procs) != 19 {
		t.Fatalf("parsed %d processes, want 19 (every line but the header)", len(procs))
	}
	tests := []Proc{
		{Pid: 0, PPid: 0, Pgid: 0, Start: time.Date(2026, 11, 30, 8, 1, 12, 0, time.UTC), Comm: "kernel_task"},
		// A day of one digit is padded with a space ("Dec  3").
		{Pid: 41872, PPid: 41871, Pgid: 41872, Start: time.Date(2026, 12, 3, 10, 14, 32, 0, time.UTC), Comm: "/opt/homebrew/opt/postgresql@16/bin/postgres"},
		// A command keeps its spaces, inner runs of them included.
		{Pid: 2305, PPid: 2301, Pgid: 2301, Start: time.Date(2026, 12, 3, 9, 58, 8, 0, time.UTC), Comm: "/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper.app/Contents/MacOS/Code Helper"},
		{Pid: 41873, PPid: 41872, Pgid: 41872, Start: time.Date(2026, 12, 3, 10, 14, 32, 0, time.UTC), Comm: "postgres: checkpointer"},
	}
	for _, want := range tests {
		got, ok := Find(procs, want.Pid)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("Find(%d) = %+v, %v\nwant %+v", want.Pid, got, ok, want)
		}
	}
	if _, ok := Find(procs, 99999); ok {
		t.Error("Find of a pid that is not in the table: ok")
	}
}

// ps prints local time: the location given is the one the times are in.
func TestParseLocalTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	procs, err := Parse([]byte("  PID  PPID  PGID STARTED                          COMM\n  7  1  7 Thu Dec  3 10:14:32 2026     /bin/sleep\n"), berlin)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 3, 9, 14, 32, 0, time.UTC); len(procs) != 1 || !procs[0].Start.Equal(want) {
		t.Errorf("start = %v, want %v", procs, want)
	}
}

func TestDescendants(t *testing.T) {
	procs := sample(t)
	tests := []struct {
		pid  int
		want []int
	}{
		// The supervisor's guard (41870) and everything below it: the
		// supervisor, postgres and its workers, redis, and the shell's
		// `go run` whose program and its worker each left for a process
		// group of their own (setsid): a group kill would miss them.
		{41870, []int{41871, 41872, 41880, 41885, 41873, 41874, 41886, 41890, 41891}},
		{41885, []int{41886, 41890, 41891}},
		{41891, nil},
		{99999, nil},
	}
	for _, tt := range tests {
		if got := pids(Descendants(procs, tt.pid)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Descendants(%d) = %v, want %v", tt.pid, got, tt.want)
		}
	}
	// kernel_task is its own parent: no loop, and launchd is below it.
	if got := pids(Descendants(procs, 0)); len(got) != 18 || got[0] != 1 {
		t.Errorf("Descendants(0) = %v, want all 18 others, launchd first", got)
	}
}

func TestParseRefusesWhatIsNotATable(t *testing.T) {
	for _, in := range []string{
		"ps: illegal option -- x\nusage: ps ...\n",
		"  1  0  1 Mon Nov 30 08:01:14 2026\n",                   // no command
		"  1  0  x Mon Nov 30 08:01:14 2026     /sbin/launchd\n", // pgid not a number
		"  1  0  1 Mon 30 Nov 08:01:14 2026     /sbin/launchd\n", // not ctime's order
	} {
		if procs, err := Parse([]byte(in), time.UTC); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", in, procs)
		} else if !strings.Contains(err.Error(), "ps line 1") {
			t.Errorf("Parse(%q): %v: want the line named", in, err)
		}
	}
}
