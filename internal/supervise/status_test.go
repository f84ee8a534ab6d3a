//go:build linux

package supervise

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// statusOf is the status of one service, and its JSON as `services status
// --json` shows it.
func statusOf(t *testing.T, sup *Supervisor, name string) (Status, string) {
	t.Helper()
	for _, st := range sup.Status() {
		if st.Name == name {
			b, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			return st, string(b)
		}
	}
	t.Fatalf("no status of %s", name)
	return Status{}, ""
}

// The status tells the truth in every state: health and ports only while
// a process runs, and no time field that means nothing (the zero time
// 0001-01-01 in the JSON).
func TestStatusIsTruthfulInEveryState(t *testing.T) {
	sup := newTestSupervisor(t)
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	web := ServiceSpec{Name: "web", Argv: []string{testServer, "-port", fmt.Sprint(port)}, Dir: t.TempDir(), Env: os.Environ(),
		Ready: &ReadySpec{HTTP: "http://" + addr + "/healthz", Timeout: 10 * time.Second}}
	if err := sup.Start(context.Background(), web); err != nil {
		t.Fatal(err)
	}
	st, js := statusOf(t, sup, "web")
	if st.State != StateRunning || st.Health != HealthHealthy || !slices.Equal(st.Ports, []string{addr}) || st.Since.IsZero() {
		t.Errorf("running: %+v", st)
	}
	if !strings.Contains(js, `"since":"`) || strings.Contains(js, "next_start") || strings.Contains(js, "0001-01-01") {
		t.Errorf("running: JSON %s", js)
	}

	if err := sup.Stop([]string{"web"}, false); err != nil {
		t.Fatal(err)
	}
	st, js = statusOf(t, sup, "web")
	if st.State != StateStopped || st.Health != "" || st.Ports != nil || st.Pid != 0 || !st.Since.IsZero() {
		t.Errorf("stopped: %+v", st)
	}
	for _, field := range []string{"health", "ports", "since", "next_start", "pid", "0001-01-01"} {
		if strings.Contains(js, field) {
			t.Errorf("stopped: JSON has %s: %s", field, js)
		}
	}

	// A one-shot that completed has no health either.
	seed := ServiceSpec{Name: "seed", Shell: "sleep 0.2", Dir: t.TempDir(), Env: os.Environ(),
		Ready: &ReadySpec{ExecArgv: []string{"true"}}}
	if err := sup.Start(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for st, _ = statusOf(t, sup, "seed"); st.State != StateCompleted && time.Now().Before(deadline); st, _ = statusOf(t, sup, "seed") {
		time.Sleep(10 * time.Millisecond)
	}
	if st.State != StateCompleted || st.Health != "" || st.Ports != nil {
		t.Errorf("completed: %+v", st)
	}

	// A crashed one waiting to restart is unhealthy, says when it starts
	// again, and serves no port meanwhile; once failed, nothing is pending.
	flaky := ServiceSpec{Name: "flaky", Shell: "sleep 0.1; exit 1", Dir: t.TempDir(), Env: os.Environ(),
		Ready: &ReadySpec{TCP: fmt.Sprintf("127.0.0.1:%d", freePort(t))}, Restart: RestartOnFailure, MaxRestarts: 1}
	go func() { _ = sup.Start(context.Background(), flaky) }()
	sawBackoff := false
	deadline = time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		st, js = statusOf2(sup, "flaky")
		if st.State == StateBackoff {
			sawBackoff = true
			if st.Health != HealthUnhealthy || st.NextStart.IsZero() || st.Ports != nil || !regexp.MustCompile(`"next_start":"[0-9]{4}-`).MatchString(js) || strings.Contains(js, "0001-01-01") {
				t.Errorf("backoff: %+v %s", st, js)
			}
		}
		if st.State == StateFailed {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !sawBackoff || st.State != StateFailed || st.Health != HealthUnhealthy || strings.Contains(js, "next_start") || strings.Contains(js, "since") {
		t.Errorf("failed (saw backoff: %v): %+v %s", sawBackoff, st, js)
	}
}

// statusOf2 is statusOf for a service that may not be known yet.
func statusOf2(sup *Supervisor, name string) (Status, string) {
	for _, st := range sup.Status() {
		if st.Name == name {
			b, _ := json.Marshal(st)
			return st, string(b)
		}
	}
	return Status{}, ""
}

// A service's log file has every line stamped: the output, and the
// supervisor's own lines.
func TestServiceLogLinesAreStamped(t *testing.T) {
	sup := newTestSupervisor(t)
	before := time.Now().Add(-time.Millisecond)
	if err := sup.Start(context.Background(), shellSpec("hello", "echo one; echo two; sleep 10")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sup.dir, "logs", "hello.log")
	var lines []string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(path)
		if lines = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); len(lines) >= 3 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var texts []string
	for _, l := range lines {
		at, text, ok := SplitLogStamp(l)
		if !ok || at.Before(before) || at.After(time.Now()) {
			t.Errorf("line %q: stamp %v, %v", l, at, ok)
		}
		texts = append(texts, text)
	}
	// The supervisor's line comes once the process has started, so
	// output can come first (the in-process shell runs at once): what
	// is tested is that every line is stamped, and the output's order.
	var output []string
	started := 0
	for _, text := range texts {
		if strings.HasPrefix(text, "[onboard] started (pid ") {
			started++
			continue
		}
		output = append(output, text)
	}
	if len(texts) != 3 || started != 1 || strings.Join(output, ",") != "one,two" {
		t.Errorf("log lines: %q", texts)
	}
}
