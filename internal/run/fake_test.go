package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// recorder is a T that keeps what the Fake reports, and runs its cleanups
// when told.
type recorder struct {
	errors   []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestFakeAnswersInOrder(t *testing.T) {
	var rec recorder
	f := NewFake(&rec).
		Expect("go mod verify", Result{Exit: 1}).
		Expect("go mod download", Result{Output: "downloading\n"}).
		Expect("go mod verify", Result{})
	ctx := context.Background()
	var ee *ExitError
	if err := f.Run(ctx, Command{Shell: "go mod verify"}); !errors.As(err, &ee) || ee.Code != 1 {
		t.Errorf("first check: %v, want exit status 1", err)
	}
	var out strings.Builder
	if err := f.Run(ctx, Command{Argv: []string{"go", "mod", "download"}, Output: &out}); err != nil || out.String() != "downloading\n" {
		t.Errorf("download: %v, output %q", err, out.String())
	}
	if err := f.Run(ctx, Command{Shell: "go mod verify"}); err != nil {
		t.Errorf("second check: %v", err)
	}
	rec.end()
	if len(rec.errors) > 0 {
		t.Errorf("the fake reported %q", rec.errors)
	}
	var ran []string
	for _, c := range f.Ran() {
		ran = append(ran, c.String())
	}
	if want := []string{"go mod verify", "go mod download", "go mod verify"}; !slices.Equal(ran, want) {
		t.Errorf("Ran = %q, want %q", ran, want)
	}
}

// A command nobody expected fails the test, and so does an expected one
// that never ran.
func TestFakeFailsTheTest(t *testing.T) {
	var rec recorder
	f := NewFake(&rec).Expect("make", Result{})
	if err := f.Run(context.Background(), Command{Argv: []string{"rm", "-rf", "a b"}}); err == nil {
		t.Error("an unexpected command ran")
	}
	rec.end()
	want := []string{
		`run.Fake: unexpected command "rm -rf \"a b\"" (expected: "make")`,
		`run.Fake: expected "make" to run, but it did not`,
	}
	if !slices.Equal(rec.errors, want) {
		t.Errorf("reported %q, want %q", rec.errors, want)
	}
}

// Errors, timeouts, stops and masking behave as with real processes.
func TestFakeResults(t *testing.T) {
	var rec recorder
	defer rec.end()
	f := NewFake(&rec).
		Expect("lefthook install", Result{Err: &NotFoundError{Name: "lefthook"}}).
		Expect("sleep 60", Result{Hold: true}).
		Expect("redis-server", Result{Hold: true, Output: "password is Hunter2-Secret\n"})
	ctx := context.Background()
	if err := f.Run(ctx, Command{Shell: "lefthook install"}); err == nil || err.Error() != "lefthook: command not found" {
		t.Errorf("not found: %v", err)
	}
	if err := f.Run(ctx, Command{Shell: "sleep 60", Timeout: 10 * time.Millisecond}); err == nil || err.Error() != "timed out after 10ms and was stopped" {
		t.Errorf("timeout: %v", err)
	}
	var out strings.Builder
	p, err := f.Start(ctx, Command{Argv: []string{"redis-server"}, Output: &out, Secrets: []string{"Hunter2-Secret"}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
		t.Fatal("a held process exited by itself")
	default:
	}
	if err := p.Stop(time.Second, nil); err != nil {
		t.Fatal(err)
	}
	var ee *ExitError
	if err := p.Wait(); !errors.As(err, &ee) || ee.Signal != os.Interrupt || p.Killed() {
		t.Errorf("Wait after Stop = %v, Killed %v; want killed by the stop signal", err, p.Killed())
	}
	if out.String() != "password is ****\n" {
		t.Errorf("output %q", out.String())
	}
	if len(rec.errors) > 0 {
		t.Errorf("the fake reported %q", rec.errors)
	}
}
