package lastrun

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// Earlier is one thing the checklist could do so that a failure like this
// run's is caught sooner, or said more plainly. It is about the checklist,
// never about a person.
type Earlier struct {
	ID   string `json:"id"`
	Line int    `json:"line,omitempty"`
	// Rule is which rule found it: "tool-constraint", "tool-missing",
	// "check-always-passes", "step-without-check", "missing-expect".
	Rule string `json:"rule"`
	Text string `json:"text"`
}

// notFound finds the program a shell or exec said it could not find.
var notFound = regexp.MustCompile(`(?i)(?:^|[\s:"'])([\w.+-]+)"?:? (?:command not found|executable file not found|not found)`)

// WouldHaveCaught applies the rules to a run: what in the checklist would
// have caught its failures earlier.
func WouldHaveCaught(r *Run) []Earlier {
	var out []Earlier
	seen := map[string]bool{}
	add := func(e Earlier) {
		if k := e.ID + "/" + e.Rule; !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	for _, it := range r.Items {
		h := r.Hint(it.ID)
		id := engine.ID(it.ID)
		if h.Check != "" && alwaysPasses(h.Check) {
			add(Earlier{ID: it.ID, Line: it.Line, Rule: "check-always-passes",
				Text: fmt.Sprintf("%s's check `%s` always passes, so it can never find the step undone: a problem surfaces later, in what needs it; check what the step makes (a file, a version, a status)", id.Name(), h.Check)})
		}
		if it.Outcome == engine.OutcomeFailed || it.Overdue {
			if e, ok := missingExpect(it, h); ok {
				add(e)
			}
		}
		if it.Outcome != engine.OutcomeFailed {
			continue
		}
		switch id.Kind() {
		case engine.KindTool:
			if h.Constraint == "" && !strings.Contains(strings.ToLower(it.Detail), "not found") {
				add(Earlier{ID: it.ID, Line: it.Line, Rule: "tool-constraint",
					Text: fmt.Sprintf("tool %s has no version constraint: give it the range the project works with (e.g. `%s: \">= X.Y\"`), so a wrong version fails at the tool, not in a step", id.Name(), id.Name())})
			}
		case engine.KindStep:
			if h.Runs && h.Check == "" && h.Creates == "" {
				add(Earlier{ID: it.ID, Line: it.Line, Rule: "step-without-check",
					Text: fmt.Sprintf("step %s has no `check:` (or `creates:`): onboard cannot tell whether it is done, so it runs every time and a half-done result is found only by what comes after", id.Name())})
			}
			for _, prog := range missingPrograms(it) {
				if _, ok := r.hintOf(string(engine.ToolID(prog))); !ok {
					add(Earlier{ID: it.ID, Line: it.Line, Rule: "tool-missing",
						Text: fmt.Sprintf("step %s runs `%s`, which is not in `tools:`: listed there (with a version constraint and an `install:` hint), a missing %s stops the run before any step, with how to install it", id.Name(), prog, prog)})
				}
			}
		}
	}
	return out
}

// hintOf is the hint recorded for id, and whether there is one.
func (r *Run) hintOf(id string) (Hint, bool) {
	for _, h := range r.Hints {
		if h.ID == id {
			return h, true
		}
	}
	return Hint{}, false
}

// alwaysPasses: a check that cannot fail tells nothing.
func alwaysPasses(check string) bool {
	c := strings.TrimSpace(check)
	switch c {
	case "true", ":", "exit 0", "/bin/true", "/usr/bin/true":
		return true
	}
	return strings.HasPrefix(c, "echo ") || c == "echo" ||
		strings.HasSuffix(c, "|| true") || strings.HasSuffix(c, "|| :") || strings.HasSuffix(c, "; true") || strings.HasSuffix(c, "; exit 0")
}

// missingExpect: an item that hung, timed out or ran long, with no
// expect: to say how long it should take.
func missingExpect(it *Item, h Hint) (Earlier, bool) {
	if h.Expect > 0 {
		return Earlier{}, false
	}
	d := strings.ToLower(it.Detail)
	slow := it.Overdue || strings.Contains(d, "timed out") || strings.Contains(d, "timeout") || it.Duration >= 30*time.Second
	if !slow {
		return Earlier{}, false
	}
	typical := it.Expect
	if typical == 0 {
		typical = it.Duration
	}
	suggest := ""
	if typical > 0 {
		suggest = fmt.Sprintf(" (this run it took %s)", typical.Round(time.Second))
	}
	return Earlier{ID: it.ID, Line: it.Line, Rule: "missing-expect",
		Text: fmt.Sprintf("%s has no `expect:`%s: with one, onboard says at once when it runs past its usual time, and stops it at three times that, instead of waiting", engine.ID(it.ID).Name(), suggest)}, true
}

// missingPrograms are the programs the item's output says were not found.
func missingPrograms(it *Item) []string {
	var out []string
	for _, line := range append([]string{it.Detail}, it.Output...) {
		for _, m := range notFound.FindAllStringSubmatch(line, -1) {
			if p := m[1]; p != "" && !contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
