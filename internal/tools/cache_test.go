package tools

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingTool writes a fake tool that appends a line to a counter file
// each time it runs, sleeps, then prints body's output.
func countingTool(t *testing.T, dir, name, sleep, body string) (counter string) {
	t.Helper()
	counter = filepath.Join(dir, name+".runs")
	fakeTool(t, dir, name, `echo run >> '`+counter+`'; sleep `+sleep+`; `+body)
	return counter
}

func runs(t *testing.T, counter string) int {
	t.Helper()
	data, err := os.ReadFile(counter)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "run\n")
}

// probeConcurrently calls c.Probe for every spec at the same moment.
func probeConcurrently(ctx context.Context, c *Cache, specs ...Spec) ([]Found, []error) {
	found := make([]Found, len(specs))
	errs := make([]error, len(specs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			found[i], errs[i] = c.Probe(ctx, spec)
		}()
	}
	close(start)
	wg.Wait()
	return found, errs
}

func TestCacheRunsOnce(t *testing.T) {
	dir := t.TempDir()
	counter := countingTool(t, dir, "slowtool", "0.3", `echo "slowtool 4.5.6"`)
	t.Parallel()
	var c Cache
	spec := Spec{Name: "slowtool", Env: envWithPath(dir)}

	found, errs := probeConcurrently(context.Background(), &c, spec, spec)
	for i := range found {
		if errs[i] != nil || found[i].Version != "4.5.6" {
			t.Errorf("caller %d: %+v, %v", i, found[i], errs[i])
		}
	}
	if n := runs(t, counter); n != 1 {
		t.Errorf("two concurrent callers ran the tool %d times, want 1", n)
	}

	// Later callers get the cached outcome...
	if f, err := c.Probe(context.Background(), spec); err != nil || f.Version != "4.5.6" {
		t.Errorf("third call: %+v, %v", f, err)
	}
	if n := runs(t, counter); n != 1 {
		t.Errorf("a later caller ran the tool again (%d runs)", n)
	}

	// ... until it is forgotten, e.g. after the tool was installed.
	c.Forget(spec)
	if f, err := c.Probe(context.Background(), spec); err != nil || f.Version != "4.5.6" {
		t.Errorf("after Forget: %+v, %v", f, err)
	}
	if n := runs(t, counter); n != 2 {
		t.Errorf("after Forget the tool ran %d times in all, want 2", n)
	}
}

// Two tools probed with the same command share one run, but each reads
// the output with its own pattern and under its own name.
func TestCacheSharesRunsBetweenSpecs(t *testing.T) {
	dir := t.TempDir()
	counter := countingTool(t, dir, "multi", "0.2", `echo "multi 1.2.3 (api 7.8)"`)
	t.Parallel()
	var c Cache
	env := envWithPath(dir)
	a := Spec{Name: "multi-a", Command: []string{"multi"}, Pattern: `multi (\S+)`, Env: env}
	b := Spec{Name: "multi-b", Command: []string{"multi"}, Pattern: `api (\d+\.\d+)`, Env: env}

	found, errs := probeConcurrently(context.Background(), &c, a, b, a)
	for i, want := range []struct{ tool, version string }{{"multi-a", "1.2.3"}, {"multi-b", "7.8"}, {"multi-a", "1.2.3"}} {
		if errs[i] != nil || found[i].Tool != want.tool || found[i].Version != want.version {
			t.Errorf("caller %d: %+v, %v; want %s %s", i, found[i], errs[i], want.tool, want.version)
		}
	}
	if n := runs(t, counter); n != 1 {
		t.Errorf("the shared command ran %d times, want 1", n)
	}

	// A different environment is a different run.
	other := a
	other.Env = append(envWithPath(dir), "EXTRA=1")
	if _, err := c.Probe(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	if n := runs(t, counter); n != 2 {
		t.Errorf("a different Env reused the run (%d runs)", n)
	}
}

func TestCacheSharesFailures(t *testing.T) {
	dir := t.TempDir()
	counter := countingTool(t, dir, "broken", "0.2", `echo "broken: missing library" >&2; exit 3`)
	t.Parallel()
	var c Cache
	a := Spec{Name: "broken", Env: envWithPath(dir)}
	b := Spec{Name: "broken-too", Command: []string{"broken", "--version"}, Env: a.Env}

	_, errs := probeConcurrently(context.Background(), &c, a, b)
	for i, tool := range []string{"broken", "broken-too"} {
		var ee *ExitError
		if !errors.As(errs[i], &ee) || ee.Code != 3 || ee.Tool != tool {
			t.Errorf("caller %d: error = %v, want *ExitError code 3 for %s", i, errs[i], tool)
		}
	}
	if _, err := c.Probe(context.Background(), a); err == nil {
		t.Error("the cached failure turned into a success")
	}
	if n := runs(t, counter); n != 1 {
		t.Errorf("the failing tool ran %d times, want 1", n)
	}
}

// A caller that gives up stops waiting at once; the run goes on for the
// callers still waiting.
func TestCacheCallerCancels(t *testing.T) {
	dir := t.TempDir()
	counter := countingTool(t, dir, "patient", "0.5", `echo "patient 3.0.0"`)
	t.Parallel()
	var c Cache
	spec := Spec{Name: "patient", Env: envWithPath(dir)}

	impatient, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var cancelledErr error
	var cancelledAfter time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		_, cancelledErr = c.Probe(impatient, spec)
		cancelledAfter = time.Since(start)
	}()
	time.AfterFunc(100*time.Millisecond, cancel)
	found, err := c.Probe(context.Background(), spec)
	wg.Wait()

	if err != nil || found.Version != "3.0.0" {
		t.Errorf("patient caller: %+v, %v", found, err)
	}
	if !errors.Is(cancelledErr, context.Canceled) {
		t.Errorf("impatient caller: error = %v, want context.Canceled", cancelledErr)
	}
	if cancelledAfter > 400*time.Millisecond {
		t.Errorf("the impatient caller waited %v for a run it gave up on", cancelledAfter)
	}
	if n := runs(t, counter); n != 1 {
		t.Errorf("the tool ran %d times, want 1", n)
	}
}

// When the only caller gives up, the run is stopped and not cached.
func TestCacheAbandonedRunIsNotCached(t *testing.T) {
	dir := t.TempDir()
	counter := countingTool(t, dir, "abandoned", "0.5", `echo "abandoned 1.0.0"`)
	t.Parallel()
	var c Cache
	spec := Spec{Name: "abandoned", Env: envWithPath(dir)}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Probe(ctx, spec); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	found, err := c.Probe(context.Background(), spec)
	if err != nil || found.Version != "1.0.0" {
		t.Fatalf("next caller: %+v, %v", found, err)
	}
	if n := runs(t, counter); n != 2 {
		t.Errorf("the tool ran %d times, want 2 (the abandoned run must not be reused)", n)
	}
}

func TestCacheInvalidSpec(t *testing.T) {
	t.Parallel()
	var c Cache
	if _, err := c.Probe(context.Background(), Spec{Name: "x", Pattern: "("}); err == nil {
		t.Error("an invalid pattern was accepted")
	}
	c.Forget(Spec{}) // must not panic
}
