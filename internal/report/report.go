// Package report holds what one `onboard verify` found, and writes it for
// CI tools: JUnit XML (junit.go) and JSON (this file). Everything in a
// Report is already masked: it is built from the engine's events, which
// carry no secret.
package report

import (
	"bytes"
	"encoding/json"
	"os"
	"time"
)

// Phase names, in the order verify runs them: one JUnit testsuite each.
const (
	PhaseFirst    = "first converge"
	PhaseSecond   = "second converge"
	PhaseCheck    = "check"
	PhaseServices = "services"
)

// Report is one verify run.
type Report struct {
	Onboard   string `json:"onboard_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	Project   string `json:"project,omitempty"`
	Checklist string `json:"checklist"`
	// Fresh: verified on a clone of HEAD with its own HOME; false with
	// --in-place.
	Fresh bool `json:"fresh"`
	// LeftOut are the working tree's uncommitted files the clone lacks.
	LeftOut  []string      `json:"left_out,omitempty"`
	Trust    string        `json:"trust"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	Exit     int           `json:"exit_code"`
	Verdict  string        `json:"verdict"`
	// Problems are why verify did not pass, one line each.
	Problems  []string   `json:"problems,omitempty"`
	Phases    []*Phase   `json:"phases"`
	Tools     []Tool     `json:"tools,omitempty"`
	Shortcuts []Shortcut `json:"ci_shortcuts"`
	// HomeTools are tools a fresh verify found under the HOME it was run
	// from: PATH is kept, so they answer where a new machine lacks them.
	HomeTools []HomeTool `json:"home_tools,omitempty"`
}

// Phase is one step of verify and what each item did in it.
type Phase struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
	Items    []*Item       `json:"items"`
}

// Item is one checklist item in one phase.
type Item struct {
	ID       string        `json:"id"`
	Line     int           `json:"line,omitempty"`
	Outcome  string        `json:"outcome"`
	Detail   string        `json:"detail,omitempty"`
	Fix      string        `json:"fix,omitempty"`
	Output   []string      `json:"output,omitempty"` // the log's last lines, masked
	Duration time.Duration `json:"duration_ns"`
	// Expected is the time the item was expected to take (`expect:`, or
	// learned), set only when it took longer.
	Expected time.Duration `json:"expected_ns,omitempty"`
	// Applied: the item's apply ran in this phase.
	Applied bool `json:"applied,omitempty"`
	// Failure is why this item fails verify in this phase; "" if it does not.
	Failure string `json:"failure,omitempty"`
	// Skipped is why it was not tested here; "" if it was.
	Skipped string `json:"skipped,omitempty"`
}

// Tool is a tool the first converge found, as its check reported it.
type Tool struct {
	Name  string `json:"name"`
	Found string `json:"found"`
}

// Shortcut is an item CI does not test as a person would run it (a
// `ci:` policy), listed so that nobody takes it for a tested one.
type Shortcut struct {
	ID     string `json:"id"`
	Line   int    `json:"line,omitempty"`
	Policy string `json:"policy"`
	Reason string `json:"reason,omitempty"`
}

// HomeToolsTitle heads the list of HomeTools in every report.
const HomeToolsTitle = "Found under your HOME (PATH is kept, so a new machine may lack them)"

// HomeTool is a tool whose program lies under the HOME verify ran from.
type HomeTool struct {
	Name string `json:"name"`
	Line int    `json:"line,omitempty"`
	Path string `json:"path"`
}

// Failed counts the phase's items that fail verify.
func (p *Phase) Failed() int {
	n := 0
	for _, it := range p.Items {
		if it.Failure != "" {
			n++
		}
	}
	return n
}

// WriteJSON writes r as indented JSON to path (mode 0644: a CI artifact),
// with <, > and & as they are: a person reads it too (">= 1.22").
func WriteJSON(path string, r *Report) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
