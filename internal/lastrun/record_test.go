package lastrun

import (
	"strings"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/mask"
)

// The events of a run become its record: items in the order they started,
// overruns, skips, the tools' findings, and expect: from the checklist.
func TestRecorder(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC)
	rec := NewRecorder("up", "acme", "onboard.yaml",
		Environment{Tools: []Tool{{Name: "go", Wanted: ">= 1.22"}}},
		[]Hint{{ID: "step:deps", Runs: true, Expect: 20 * time.Second}})
	for _, e := range []engine.Event{
		{Type: engine.EventRunStart, Time: t0},
		{Type: engine.EventItemStart, ID: "step:deps", Time: t0.Add(2 * time.Second)},
		{Type: engine.EventItemStart, ID: "tool:go", Time: t0.Add(time.Second)},
		{Type: engine.EventItemDone, ID: "tool:go", Line: 5, Outcome: "ok", Detail: "1.23.1 (>= 1.22)", Duration: time.Second},
		{Type: engine.EventItemApply, ID: "step:deps"},
		{Type: engine.EventItemOverdue, ID: "step:deps", Expect: 20 * time.Second},
		{Type: engine.EventItemDone, ID: "step:deps", Line: 9, Outcome: "failed", Detail: "exit status 1", Output: []string{"boom"}, Duration: 30 * time.Second},
		{Type: engine.EventRunDone, Summary: &engine.Summary{Skips: []engine.SkippedItem{{ID: "step:vpn", Reason: "no VPN"}}}},
	} {
		rec.Observe(e)
	}
	r := rec.Finish("failed")
	if len(r.Items) != 2 || r.Items[0].ID != "tool:go" || r.Items[1].ID != "step:deps" {
		t.Fatalf("items not in start order: %+v", r.Items)
	}
	deps := r.Items[1]
	if !deps.Applied || !deps.Overdue || deps.Expect != 20*time.Second || deps.Line != 9 || deps.Output[0] != "boom" {
		t.Errorf("step:deps: %+v", deps)
	}
	if !r.Started.Equal(t0) || r.Result != "failed" || len(r.Skips) != 1 || r.Skips[0].Reason != "no VPN" {
		t.Errorf("run: %+v", r)
	}
	if got := r.Environment.Tools[0]; got.Found != "1.23.1 (>= 1.22)" || got.Outcome != "ok" {
		t.Errorf("tool: %+v", got)
	}
	if f := r.Failed(); len(f) != 1 || f[0] != deps {
		t.Errorf("Failed() = %+v", f)
	}
}

// Marshal masks what reached the record, even where an event did not.
func TestMarshalMasks(t *testing.T) {
	r := &Run{Command: "up", Items: []*Item{{ID: "step:x", Outcome: "failed", Output: []string{"token <s3cr&t>"}}}}
	b, err := Marshal(r, mask.New([]string{"<s3cr&t>"}).String)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cr") || !strings.Contains(string(b), "token ****") {
		t.Errorf("record: %s", b)
	}
}
