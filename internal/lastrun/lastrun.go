// Package lastrun is the record of one run, .onboard/last-run.json, that
// `onboard report` turns into a blameless post-mortem. It is built from
// the engine's events, which carry no secret, and the whole record goes
// through the run's masker once more before it is written: a report is
// made to be pasted where anyone can read it.
package lastrun

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// FileName is the record's name inside the state directory.
const FileName = "last-run.json"

// Run is one up (or one verify's converge): what ran, on what, and how it ended.
type Run struct {
	// Command is what produced it: "up", "verify" …
	Command   string    `json:"command"`
	Project   string    `json:"project,omitempty"`
	Checklist string    `json:"checklist"` // the checklist's file name, as failures cite it
	Started   time.Time `json:"started"`
	Ended     time.Time `json:"ended"`
	// Result is "ok", "failed" or "interrupted".
	Result      string      `json:"result"`
	Environment Environment `json:"environment"`
	Items       []*Item     `json:"items"`
	Skips       []Skip      `json:"skips,omitempty"`
	// Problems are what a failed preflight found: no item ran.
	Problems []string `json:"problems,omitempty"`
	// Hints are what the checklist says about each item, kept so the
	// report can say what would have caught a failure earlier even after
	// the checklist changed.
	Hints []Hint `json:"hints,omitempty"`
}

// Environment is the machine the run happened on.
type Environment struct {
	Onboard string `json:"onboard_version"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	Shell   string `json:"shell,omitempty"`
	Tools   []Tool `json:"tools,omitempty"`
}

// Tool is a tool the checklist wants and what this machine has.
type Tool struct {
	Name    string `json:"name"`
	Wanted  string `json:"wanted,omitempty"` // the constraint; empty: any version
	Found   string `json:"found,omitempty"`  // what the check said
	Outcome string `json:"outcome,omitempty"`
}

// Item is one checklist item in the run.
type Item struct {
	ID       string        `json:"id"`
	Name     string        `json:"name,omitempty"`
	Line     int           `json:"line,omitempty"`
	Outcome  string        `json:"outcome"`
	Detail   string        `json:"detail,omitempty"`
	Fix      string        `json:"fix,omitempty"`
	Applied  bool          `json:"applied,omitempty"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Expect is its expected time, when it has one; Overdue says it ran past it.
	Expect  time.Duration `json:"expect_ns,omitempty"`
	Overdue bool          `json:"overdue,omitempty"`
	// Output is the last lines of a failing item's log, masked.
	Output []string `json:"output,omitempty"`
	Log    string   `json:"log,omitempty"`
}

// Skip is an item a person left out with `onboard skip`.
type Skip struct {
	ID     string    `json:"id"`
	Reason string    `json:"reason"`
	User   string    `json:"user,omitempty"`
	At     time.Time `json:"at"`
}

// Hint is what the checklist says about one item, as far as the "what
// would have caught this earlier" rules need it.
type Hint struct {
	ID string `json:"id"`
	// Constraint is a tool's version constraint ("" for any version).
	Constraint string `json:"constraint,omitempty"`
	// Check is a step's check command as written; Creates its creates:.
	Check   string `json:"check,omitempty"`
	Creates string `json:"creates,omitempty"`
	// Runs: a run: step (a template or manual step checks itself).
	Runs bool `json:"runs,omitempty"`
	// Expect is the item's expect:, zero when it has none.
	Expect time.Duration `json:"expect_ns,omitempty"`
}

// Failed are the items that failed (not those they blocked), in run order.
func (r *Run) Failed() []*Item {
	var out []*Item
	for _, it := range r.Items {
		if it.Outcome == "failed" {
			out = append(out, it)
		}
	}
	// In checklist order, not the order they ended in: items run in
	// parallel, and the report must name the same first failure each
	// time (the one a person reading onboard.yaml meets first).
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// Hint is the checklist's hint for id, or a zero Hint.
func (r *Run) Hint(id string) Hint {
	for _, h := range r.Hints {
		if h.ID == id {
			return h
		}
	}
	return Hint{ID: id}
}

// ErrNone is no run recorded yet.
var ErrNone = errors.New("no run recorded")

// Read reads the record from the checkout at root, through its confined
// root: a last-run.json committed as a symlink to a file outside the
// checkout is refused, not printed.
func Read(root string) (*Run, error) {
	fsys, err := rootfs.Open(root)
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	name := engine.DirName + "/" + FileName
	if _, err := fsys.Stat(name); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNone
	}
	b, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s is not a run record onboard can read (%v); run onboard again to write a new one", name, err)
	}
	return &r, nil
}
