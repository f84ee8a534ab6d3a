package supervise

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBackoffDoublesFromHalfASecondUpTo30s(t *testing.T) {
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
}

func newTestSupervisor(t *testing.T) *Supervisor {
	t.Helper()
	sup, err := New(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sup.Stop(nil, true) })
	return sup
}

func shellSpec(name, script string) ServiceSpec {
	dir, _ := os.Getwd()
	return ServiceSpec{Name: name, Shell: script, Dir: dir, Env: os.Environ()}
}

// A dependency that fails makes its dependent fail with that reason, at
// once, instead of waiting for it forever.
func TestDependentFailsWithTheDependencysReason(t *testing.T) {
	sup := newTestSupervisor(t)
	port := freePort(t)
	db := shellSpec("db", "echo no disk space; exit 4")
	db.Ready = &ReadySpec{TCP: fmt.Sprintf("127.0.0.1:%d", port)}
	err := sup.Start(context.Background(), db)
	var fe *FailedError
	if !errors.As(err, &fe) || fe.Reason != "exited: exit status 4" || len(fe.Tail) == 0 || fe.Tail[len(fe.Tail)-1] != "no disk space" {
		t.Fatalf("db: %#v (%v)", fe, err)
	}
	api := shellSpec("api", "sleep 10")
	api.DependsOn = map[string]string{"db": "healthy"}
	start := time.Now()
	err = sup.Start(context.Background(), api)
	if err == nil || !strings.Contains(err.Error(), "api depends on db: db failed: exited: exit status 4") {
		t.Fatalf("api: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("the dependent waited %s", time.Since(start))
	}
	if err := sup.Start(context.Background(), ServiceSpec{Name: "x", Shell: "true", DependsOn: map[string]string{"nope": "started"}}); err == nil || !strings.Contains(err.Error(), "not started") {
		t.Errorf("unknown dependency: %v", err)
	}
}

// depends_on completed waits for a one-shot to exit 0; exit 0 is not
// restarted under on-failure.
func TestCompletedDependencyAndExitZero(t *testing.T) {
	sup := newTestSupervisor(t)
	seed := shellSpec("seed", "sleep 0.2; echo seeded")
	seed.Restart = RestartOnFailure
	if err := sup.Start(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	app := shellSpec("app", "sleep 10")
	app.DependsOn = map[string]string{"seed": "completed"}
	start := time.Now()
	if err := sup.Start(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 150*time.Millisecond {
		t.Errorf("app started %s after the seed began: before it completed", time.Since(start))
	}
	for _, st := range sup.Status() {
		if st.Name == "seed" && (st.State != StateCompleted || st.Restarts != 0) {
			t.Errorf("seed: %+v", st)
		}
	}
}

// restart: always restarts even after exit 0, with the backoff in status,
// and a run that stayed up StableAfter resets the count.
func TestRestartAlwaysAndStableReset(t *testing.T) {
	old := StableAfter
	StableAfter = 300 * time.Millisecond
	t.Cleanup(func() { StableAfter = old })
	sup := newTestSupervisor(t)
	marks := filepath.Join(t.TempDir(), "runs")
	// Runs 1 and 2 exit at once; later runs stay up 400 ms (> StableAfter).
	spec := shellSpec("loop", fmt.Sprintf(`echo run >> %s; n=$(wc -l < %s); if [ $n -gt 2 ]; then sleep 0.4; fi; exit 0`, marks, marks))
	spec.Restart = RestartAlways
	spec.MaxRestarts = 3
	if err := sup.Start(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	sawBackoff := false
	for time.Now().Before(deadline) {
		st := sup.Status()[0]
		if st.State == StateBackoff && !st.NextStart.IsZero() {
			sawBackoff = true
		}
		b, _ := os.ReadFile(marks)
		if strings.Count(string(b), "run") >= 6 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b, _ := os.ReadFile(marks)
	if n := strings.Count(string(b), "run"); n < 6 {
		t.Fatalf("only %d runs: a stable run should have reset the restart count (max 3)", n)
	}
	if !sawBackoff {
		t.Error("never saw the backoff state")
	}
	if st := sup.Status()[0]; st.State == StateFailed {
		t.Errorf("failed although runs were stable: %+v", st)
	}
}

// Two onboards connecting at once start one supervisor.
func TestConnectStartsOneSupervisor(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "services")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SUPERVISE_TEST_DAEMON", "1")
	pids := make([]int, 4)
	var wg sync.WaitGroup
	for i := range pids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := Connect(context.Background(), dir, exe, []string{exe})
			if err != nil {
				t.Error(err)
				return
			}
			pids[i] = c.Pid()
		}()
	}
	wg.Wait()
	os.Unsetenv("SUPERVISE_TEST_DAEMON")
	c, err := Dial(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := c.Stop(context.Background(), nil); err != nil {
			t.Error(err)
		}
		if _, err := Dial(context.Background(), dir); !errors.Is(err, ErrNoSupervisor) {
			t.Errorf("after stop: %v", err)
		}
	}()
	for _, p := range pids {
		if p != c.Pid() {
			t.Errorf("supervisor pids %v: want one", pids)
			break
		}
	}
}

// Stop goes in reverse dependency order: db is signalled only once api,
// which depends on it, has exited, even when api takes its time.
func TestStopInReverseDependencyOrder(t *testing.T) {
	sup := newTestSupervisor(t)
	dir := t.TempDir()
	svc := func(name, onTerm string) ServiceSpec {
		return ServiceSpec{Name: name, Dir: dir, Env: os.Environ(), Argv: []string{"sh", "-c",
			"trap '" + onTerm + "; date +%s%N > " + name + ".stopped; exit 0' TERM; while :; do sleep 0.02; done"}}
	}
	db := svc("db", "true")
	api := svc("api", "sleep 0.3")
	api.DependsOn = map[string]string{"db": "started"}
	for _, s := range []ServiceSpec{db, api} {
		if err := sup.Start(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond) // let the shells set their traps
	if err := sup.Stop(nil, false); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name+".stopped"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	if a, d := read("api"), read("db"); len(a) != len(d) || d < a {
		t.Errorf("db stopped at %s, before api at %s", d, a)
	}
}

// Status with names lists those services only, in start order: what `up`
// asks for each service it checks, instead of every service's status
// (each reads its process tree).
func TestStatusOfNamedServices(t *testing.T) {
	sup := newTestSupervisor(t)
	for _, name := range []string{"a", "b", "c"} {
		if err := sup.Start(context.Background(), shellSpec(name, "sleep 10")); err != nil {
			t.Fatal(err)
		}
	}
	names := func(list []Status) string {
		var out []string
		for _, st := range list {
			out = append(out, st.Name)
		}
		return strings.Join(out, " ")
	}
	if got := names(sup.Status()); got != "a b c" {
		t.Errorf("Status() = %s, want a b c", got)
	}
	if got := names(sup.Status("c", "a")); got != "a c" {
		t.Errorf(`Status("c", "a") = %s, want a c`, got)
	}
	if got := names(sup.Status("nope")); got != "" {
		t.Errorf(`Status("nope") = %s, want none`, got)
	}
}
