package engine

import (
	"slices"
	"testing"
	"time"
)

func TestWithDependents(t *testing.T) {
	// c is listed before what it needs: the closure must still reach it.
	nodes := []*Node{
		{ID: "step:c", Needs: []ID{"step:b"}},
		{ID: "step:a"},
		{ID: "step:b", Needs: []ID{"step:a"}},
		{ID: "step:d"},
	}
	for _, tc := range []struct {
		from []ID
		want []ID
	}{
		{[]ID{"step:a"}, []ID{"step:c", "step:a", "step:b"}},
		{[]ID{"step:b"}, []ID{"step:c", "step:b"}},
		{[]ID{"step:d"}, []ID{"step:d"}},
		{nil, nil},
	} {
		if got := WithDependents(nodes, tc.from); !slices.Equal(got, tc.want) {
			t.Errorf("WithDependents(%v) = %v, want %v", tc.from, got, tc.want)
		}
	}
}

func TestSkipHoldsForItsDefinitionOnly(t *testing.T) {
	ws := open(t)
	ws.State.SetSkip("step:a", &Skip{Reason: "why", At: time.Now(), Hash: "h1"})
	a := &fakeItem{fixes: true}
	nodes := []*Node{{ID: "step:a", Hash: "h1", Item: a}, {ID: "step:b", Needs: []ID{"step:a"}, Item: &fakeItem{fixes: true}}}
	got, err := outcomes(t, ws, nodes, Options{})
	if err != nil || got["step:a"] != OutcomeSkipped || got["step:b"] != OutcomeFixed || a.applied.Load() != 0 {
		t.Fatalf("skipped: %v, %v, applied %d", got, err, a.applied.Load())
	}
	nodes[0].Hash = "h2"
	got, err = outcomes(t, ws, nodes, Options{})
	if err != nil || got["step:a"] != OutcomeFixed || ws.State.SkipOf("step:a", "h1") != nil {
		t.Fatalf("after a definition change: %v, %v; skip %v", got, err, ws.State.SkipOf("step:a", "h1"))
	}
}

func TestRedoAppliesAMetItem(t *testing.T) {
	ws := open(t)
	a := &fakeItem{}
	a.met.Store(true)
	nodes := []*Node{{ID: "step:a", Item: a}}
	got, err := outcomes(t, ws, nodes, Options{Redo: []ID{"step:a"}})
	if err != nil || got["step:a"] != OutcomeFixed || a.applied.Load() != 1 {
		t.Fatalf("redo: %v, %v, applied %d", got, err, a.applied.Load())
	}
}

func TestMedian(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{[]time.Duration{3 * s}, 3 * s},
		{[]time.Duration{5 * s, 1 * s, 3 * s}, 3 * s},
		{[]time.Duration{4 * s, 1 * s, 2 * s, 3 * s}, 2500 * time.Millisecond},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// What an older onboard recorded under a node's legacy hash is carried
// over to its current hash, item record and skip alike; a record under
// another hash (the definition really changed) is not.
func TestAdoptCarriesLegacyRecords(t *testing.T) {
	s := &State{Items: map[ID]*ItemState{
		"step:vpn":  {Outcome: OutcomeFixed, Hash: "old-vpn", Data: map[string]string{"confirmed_at": "2026-11-30T10:00:00Z"}},
		"step:deps": {Outcome: OutcomeFixed, Hash: "other"},
	}, Skips: map[ID]*Skip{"step:lint": {Reason: "no linter", Hash: "old-lint"}}}
	nodes := []*Node{
		{ID: "step:vpn", Hash: "new-vpn", LegacyHash: "old-vpn"},
		{ID: "step:deps", Hash: "new-deps", LegacyHash: "old-deps"},
		{ID: "step:lint", Hash: "new-lint", LegacyHash: "old-lint"},
	}
	s.Adopt(nodes)
	if got := s.prior("step:vpn", "new-vpn")["confirmed_at"]; got != "2026-11-30T10:00:00Z" {
		t.Errorf("step:vpn's confirmation was not carried over: prior = %q", got)
	}
	if s.lastOutcome("step:deps", "new-deps") != "" {
		t.Error("step:deps was recorded under another definition, and was carried over")
	}
	if s.SkipOf("step:lint", "new-lint") == nil {
		t.Error("step:lint's skip was not carried over")
	}
}
