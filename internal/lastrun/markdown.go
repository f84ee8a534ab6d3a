package lastrun

import (
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/templates"
)

// view is what templates/report.md.tmpl renders: the record, and what
// the report reads from it.
type view struct {
	Run       *Run
	Headline  string
	Summary   string
	Cause     *Cause
	Started   string
	Took      string
	Timeline  []row
	Tails     []tail
	Earlier   []Earlier
	NoEarlier string
}

type row struct {
	N                       int
	ID, Name                string
	Line                    string
	Outcome, Took, Expected string
}

type tail struct {
	ID    string
	Line  int
	Log   string
	Fence string
	Lines []string
}

// Analysis is what the report concludes, for `onboard report --json`
// beside the record itself.
type Analysis struct {
	Cause   *Cause    `json:"cause,omitempty"`
	Earlier []Earlier `json:"would_have_caught"`
}

// Analyse reads the run's likely cause (from its first failure, or the
// preflight's problems) and what would have caught it earlier.
func Analyse(r *Run) Analysis {
	a := Analysis{Earlier: WouldHaveCaught(r)}
	if a.Earlier == nil {
		a.Earlier = []Earlier{}
	}
	if f := r.Failed(); len(f) > 0 {
		c := Classify(f[0])
		a.Cause = &c
	} else if len(r.Problems) > 0 {
		c := ClassifyProblems(r.Problems)
		a.Cause = &c
	}
	return a
}

// Markdown writes the run as a blameless post-mortem.
func Markdown(w io.Writer, r *Run) error {
	t, err := template.New("report.md.tmpl").ParseFS(templates.FS, "report.md.tmpl")
	if err != nil {
		return err
	}
	an := Analyse(r)
	v := view{Run: r, Cause: an.Cause, Earlier: an.Earlier,
		Started: r.Started.UTC().Format("2006-01-02 15:04:05 UTC"), Took: took(r.Ended.Sub(r.Started))}
	v.Headline, v.Summary = headline(r)
	for i, it := range r.Items {
		line := ""
		if it.Line > 0 {
			line = fmt.Sprint(it.Line)
		}
		exp := ""
		if it.Expect > 0 {
			exp = took(it.Expect)
			if it.Overdue {
				exp += " (overran)"
			}
		}
		name := ""
		if it.Name != it.ID && it.Name != engine.ID(it.ID).Name() {
			name = cell(it.Name) // a step's name:, when it has one
		}
		v.Timeline = append(v.Timeline, row{N: i + 1, ID: it.ID, Name: name, Line: line,
			Outcome: it.Outcome, Took: took(it.Duration), Expected: exp})
		if it.Outcome == engine.OutcomeFailed && len(it.Output) > 0 {
			v.Tails = append(v.Tails, tail{ID: it.ID, Line: it.Line, Log: it.Log, Fence: fence(it.Output), Lines: it.Output})
		}
	}
	switch {
	case r.Result == "ok":
		v.NoEarlier = "Nothing failed."
	default:
		v.NoEarlier = "None of the rules (a tool without a version constraint, a program not in `tools:`, a check that always passes, a step without a check, a missing `expect:`) applies to this failure."
	}
	return t.Execute(w, v)
}

// headline and summary say what happened, naming the item and its line.
func headline(r *Run) (string, string) {
	failed := r.Failed()
	counts := map[string]int{}
	for _, it := range r.Items {
		counts[it.Outcome]++
	}
	tally := fmt.Sprintf("%d %s: %d ok, %d fixed, %d failed, %d blocked, %d skipped.",
		len(r.Items), plural(len(r.Items), "item", "items"), counts[engine.OutcomeOK], counts[engine.OutcomeFixed], counts[engine.OutcomeFailed], counts[engine.OutcomeBlocked], counts[engine.OutcomeSkipped])
	switch {
	case len(failed) > 0:
		f := failed[0]
		where := fmt.Sprintf("%s:%d", r.Checklist, f.Line)
		s := fmt.Sprintf("`onboard %s` failed at `%s` (%s): %s", r.Command, f.ID, where, oneLine(f.Detail))
		if f.Fix != "" {
			s += "\n\nThe checklist's fix hint: " + oneLine(f.Fix)
		}
		if len(failed) > 1 {
			var others []string
			for _, o := range failed[1:] {
				others = append(others, fmt.Sprintf("`%s` (%s:%d)", o.ID, r.Checklist, o.Line))
			}
			s += "\n\nAlso failed: " + strings.Join(others, ", ") + "."
		}
		var blocked []string
		for _, it := range r.Items {
			if it.Outcome == engine.OutcomeBlocked {
				blocked = append(blocked, "`"+it.ID+"`")
			}
		}
		if len(blocked) > 0 {
			s += "\n\nBlocked by it, so not run: " + strings.Join(blocked, ", ") + "."
		}
		return fmt.Sprintf("`%s` failed (%s)", f.ID, where), s + "\n\n" + tally
	case len(r.Problems) > 0:
		return "stopped before it started", "The preflight stopped the run before any item changed anything:\n\n- " + strings.Join(r.Problems, "\n- ")
	case r.Result == "interrupted":
		return "interrupted", "The run was interrupted before it ended; the next run resumes.\n\n" + tally
	case r.Result == "ok":
		return "every item met", "Nothing failed. " + tally
	default:
		return "did not finish", "The run did not finish cleanly, and no item failed: see the timeline.\n\n" + tally
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// took is a duration as a person reads it.
func took(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(100 * time.Millisecond).String()
	}
}

// fence is a code fence longer than any run of backticks in lines, so
// the output cannot close it early.
func fence(lines []string) string {
	longest := 0
	for _, l := range lines {
		run := 0
		for _, c := range l {
			if c == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// cell keeps a table cell on one line, its pipes escaped.
func cell(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }

// oneLine is s on one line, cut at 240 characters: a detail can hold a
// whole script, and the summary is read at a glance (the output follows).
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 240 {
		s = string(r[:239]) + "…"
	}
	return s
}
