package supervise

import (
	"testing"
	"time"
)

// The supervisor is idle only with no request in progress, none for the
// grace period, and no service starting, running or in backoff.
func TestIdle(t *testing.T) {
	a := newActivity()
	yes := func() bool { return true }
	if a.whenIdle(time.Hour, yes) {
		t.Error("idle right after start, within the grace period")
	}
	if !a.whenIdle(0, yes) {
		t.Error("not idle with no request and no grace")
	}
	a.begin()
	if a.whenIdle(0, yes) {
		t.Error("idle with a request in progress")
	}
	a.end()
	if !a.whenIdle(0, yes) || a.whenIdle(0, func() bool { return false }) {
		t.Error("whenIdle does not report what fn decided")
	}
	for _, tc := range []struct {
		states []State
		idle   bool
	}{
		{nil, true},
		{[]State{StateFailed, StateCompleted, StateStopped}, true},
		{[]State{StateFailed, StateBackoff}, false},
		{[]State{StateStarting}, false},
		{[]State{StateRunning, StateFailed}, false},
	} {
		var list []Status
		for _, s := range tc.states {
			list = append(list, Status{State: s})
		}
		if got := nothingRuns(list); got != tc.idle {
			t.Errorf("nothingRuns(%v) = %v, want %v", tc.states, got, tc.idle)
		}
	}
}
