package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeItem is an in-process item for scheduler tests: the engine's unit
// boundary is the Item interface.
type fakeItem struct {
	met      atomic.Bool
	applyErr error
	fixes    bool // Apply makes the check pass
	applied  atomic.Int32
	during   func()
}

func (f *fakeItem) Check(context.Context, *Env) (Result, error) {
	if f.met.Load() {
		return Result{Status: Met, Detail: "met"}, nil
	}
	return Result{Status: NotMet, Detail: "not met"}, nil
}

func (f *fakeItem) Apply(context.Context, *Env) error {
	f.applied.Add(1)
	if f.during != nil {
		f.during()
	}
	if f.applyErr != nil {
		return f.applyErr
	}
	if f.fixes {
		f.met.Store(true)
	}
	return nil
}

func open(t *testing.T) *Workspace {
	t.Helper()
	ws, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func outcomes(t *testing.T, ws *Workspace, nodes []*Node, opts Options) (map[string]string, error) {
	t.Helper()
	var mu sync.Mutex
	got := map[string]string{}
	opts.Emit = func(e Event) {
		if e.Type == EventItemDone {
			mu.Lock()
			got[e.ID] = e.Outcome
			mu.Unlock()
		}
	}
	err := Run(context.Background(), ws, nodes, opts)
	return got, err
}

func TestFailureBlocksDependentsOnly(t *testing.T) {
	ws := open(t)
	nodes := []*Node{
		{ID: "step:a", Item: &fakeItem{applyErr: errors.New("boom")}},
		{ID: "step:b", Needs: []ID{"step:a"}, Item: &fakeItem{fixes: true}},
		{ID: "step:c", Needs: []ID{"step:b"}, Item: &fakeItem{fixes: true}},
		{ID: "step:d", Item: &fakeItem{fixes: true}},
		{ID: "step:e", Item: &fakeItem{}}, // applies cleanly but stays not met
	}
	got, err := outcomes(t, ws, nodes, Options{})
	want := map[string]string{"step:a": "failed", "step:b": "blocked", "step:c": "blocked", "step:d": "fixed", "step:e": "failed"}
	for id, o := range want {
		if got[id] != o {
			t.Errorf("%s: %s, want %s", id, got[id], o)
		}
	}
	var re *RunError
	if !errors.As(err, &re) || len(re.Summary.Failed) != 4 {
		t.Errorf("err = %v", err)
	}
}

func TestJobsBoundsParallelism(t *testing.T) {
	ws := open(t)
	var running, peak atomic.Int32
	during := func() {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		running.Add(-1)
	}
	var nodes []*Node
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		nodes = append(nodes, &Node{ID: StepID(id), Item: &fakeItem{fixes: true, during: during}})
	}
	if _, err := outcomes(t, ws, nodes, Options{Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak parallelism %d, want 2", p)
	}
}

func TestCheckModeChangesNothing(t *testing.T) {
	ws := open(t)
	item := &fakeItem{fixes: true}
	got, err := outcomes(t, ws, []*Node{{ID: "step:a", Item: item}}, Options{Mode: Check})
	if !errors.Is(err, ErrNotMet) || got["step:a"] != OutcomeNotMet || item.applied.Load() != 0 {
		t.Fatalf("err=%v outcome=%s applied=%d", err, got["step:a"], item.applied.Load())
	}
	if _, err := os.Stat(filepath.Join(ws.Dir, "state.json")); !os.IsNotExist(err) {
		t.Errorf("check mode wrote state: %v", err)
	}
}

func TestStateSurvivesAndCorruptStateWarns(t *testing.T) {
	root := t.TempDir()
	ws, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := outcomes(t, ws, []*Node{{ID: "step:a", Hash: "h1", Item: &fakeItem{fixes: true}}}, Options{}); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	s, err := LoadState(filepath.Join(root, DirName, "state.json"))
	if err != nil || s.lastOutcome("step:a", "h1") != OutcomeFixed || s.lastOutcome("step:a", "h2") != "" {
		t.Fatalf("state: %v %+v", err, s.Items)
	}
	if err := os.WriteFile(filepath.Join(root, DirName, "state.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err = Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if ws.StateWarning == nil || len(ws.State.Items) != 0 {
		t.Errorf("corrupt state: warning %v, items %v", ws.StateWarning, ws.State.Items)
	}
}

func TestSecondOpenNamesTheLockHolder(t *testing.T) {
	root := t.TempDir()
	ws, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(root)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Fatalf("second Open: %v", err)
	}
	ws.Close()
	ws2, err := Open(root)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	ws2.Close()
}

func TestOrderKeepsFileOrderWithinTheGraph(t *testing.T) {
	nodes := []*Node{
		{ID: "c", Needs: []ID{"b"}},
		{ID: "a"},
		{ID: "b", Needs: []ID{"a"}},
		{ID: "d"},
	}
	var ids []string
	for _, n := range Order(nodes) {
		ids = append(ids, n.ID.String())
	}
	if got := strings.Join(ids, " "); got != "a b c d" {
		t.Errorf("Order = %s", got)
	}
}

func TestSlowItemIsReported(t *testing.T) {
	ws := open(t)
	item := &fakeItem{fixes: true, during: func() { time.Sleep(150 * time.Millisecond) }}
	slow := slowEvents(t, ws, &Node{ID: "step:slow", Item: item}, Options{})
	if len(slow) != 1 || slow[0].ID != "step:slow" || !strings.Contains(slow[0].Detail, "still running after 30ms; its output goes to .onboard/logs/step-slow.log") {
		t.Errorf("slow events: %+v", slow)
	}
}

// Items that only wait on another process (services) take no slot of
// -j: with -j 1, three of them that each wait until all three have
// started still finish, and a normal item runs beside them.
func TestWaitingItemsTakeNoJobSlot(t *testing.T) {
	var started sync.WaitGroup
	started.Add(3)
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	var nodes []*Node
	for _, id := range []ID{"service:a", "service:b", "service:c"} {
		it := &fakeItem{fixes: true}
		it.during = func() {
			started.Done()
			select {
			case <-all:
			case <-time.After(5 * time.Second):
			}
		}
		nodes = append(nodes, &Node{ID: id, Item: it, Waits: true})
	}
	nodes = append(nodes, &Node{ID: "step:x", Item: &fakeItem{fixes: true}})
	start := time.Now()
	got, err := outcomes(t, open(t), nodes, Options{Mode: Up, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 4*time.Second {
		t.Fatalf("waiting items queued behind each other: %s", time.Since(start))
	}
	for id, o := range got {
		if o != "fixed" {
			t.Errorf("%s: %s", id, o)
		}
	}
}

// askItem asks a person in its Apply, as a manual step does.
type askItem struct{ asked bool }

func (a *askItem) Check(context.Context, *Env) (Result, error) {
	if a.asked {
		return Result{Status: Met}, nil
	}
	return Result{Status: NotMet}, nil
}

func (a *askItem) Apply(ctx context.Context, env *Env) error {
	ok, err := env.Confirm(ctx, "Done?")
	a.asked = ok
	return err
}

// Waiting for a person is not slow work: a question that stays open past
// SlowAfter gives no slow notice (it used to print "still running").
func TestWaitingForAPersonIsNotSlow(t *testing.T) {
	ws := open(t)
	slow := slowEvents(t, ws, &Node{ID: "step:vpn", Item: &askItem{}, Manual: true}, Options{
		Confirm: func(context.Context, string) (bool, error) {
			time.Sleep(150 * time.Millisecond) // the person reads and does it
			return true, nil
		},
	})
	if len(slow) != 0 {
		t.Errorf("a question open for 150ms was reported as slow: %+v", slow)
	}
}

// slowEvents runs one node with SlowAfter 30ms and returns its item.slow
// events.
func slowEvents(t *testing.T, ws *Workspace, n *Node, opts Options) []Event {
	t.Helper()
	var mu sync.Mutex
	var slow []Event
	opts.SlowAfter = 30 * time.Millisecond
	opts.Emit = func(e Event) {
		if e.Type == EventItemSlow {
			mu.Lock()
			slow = append(slow, e)
			mu.Unlock()
		}
	}
	if err := Run(context.Background(), ws, []*Node{n}, opts); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return slow
}
