package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/report"
)

// On GitHub Actions (GITHUB_ACTIONS=true) verify also speaks the runner's
// language: a workflow command per failure (`::error file=…,line=…::…`),
// which GitHub shows on the line of onboard.yaml, and a markdown summary
// appended to $GITHUB_STEP_SUMMARY when it is set.

// github writes the annotations to w and the summary to its file. The
// report is already masked.
func github(w io.Writer, file string, rep *report.Report) error {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	annotated := false
	for _, p := range rep.Phases {
		for _, it := range p.Items {
			switch {
			case it.Failure != "":
				annotate(w, "error", file, it.Line, it.Failure)
				annotated = true
			case it.Outcome == engine.OutcomeWarning:
				annotate(w, "warning", file, it.Line, fmt.Sprintf("%s is not met (optional): %s", itemName(it.ID), lastLine(it.Detail)))
			}
		}
	}
	if !annotated && rep.Exit != ExitOK {
		for _, p := range rep.Problems {
			annotate(w, "error", file, 0, p)
		}
	}
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("writing the step summary: %w", err)
	}
	defer f.Close()
	_, err = io.WriteString(f, summaryMarkdown(rep))
	return err
}

// annotate writes one workflow command, escaped as GitHub reads them.
func annotate(w io.Writer, level, file string, line int, msg string) {
	props := "file=" + escapeProperty(file)
	if line > 0 {
		props += fmt.Sprintf(",line=%d", line)
	}
	fmt.Fprintf(w, "::%s %s::%s\n", level, props, escapeData(msg))
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// summaryMarkdown is the step summary: the verdict, a table of phases,
// the problems and the CI shortcuts.
func summaryMarkdown(rep *report.Report) string {
	var b strings.Builder
	verdict := "passed"
	if rep.Exit != ExitOK {
		verdict = fmt.Sprintf("failed (exit %d)", rep.Exit)
	}
	fmt.Fprintf(&b, "### onboard verify %s: %s\n\n", rep.Checklist, verdict)
	if len(rep.Phases) > 0 {
		b.WriteString("| phase | items | failed | skipped | time |\n|---|---:|---:|---:|---:|\n")
		for _, p := range rep.Phases {
			skipped := 0
			for _, it := range p.Items {
				if it.Skipped != "" {
					skipped++
				}
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", p.Name, len(p.Items), p.Failed(), skipped, p.Duration.Round(time.Millisecond))
		}
		b.WriteString("\n")
	}
	if len(rep.Problems) > 0 {
		b.WriteString("**Problems**\n\n")
		for _, p := range rep.Problems {
			fmt.Fprintf(&b, "- %s\n", markdownLine(p))
		}
		b.WriteString("\n")
	}
	if len(rep.Shortcuts) > 0 {
		b.WriteString("**CI shortcuts** (not tested as a person runs them)\n\n")
		for _, sc := range rep.Shortcuts {
			fmt.Fprintf(&b, "- `%s`: %s\n", sc.ID, markdownLine(shortcutText(sc)))
		}
		b.WriteString("\n")
	}
	if len(rep.HomeTools) > 0 {
		b.WriteString("**" + report.HomeToolsTitle + "**\n\n")
		for _, t := range rep.HomeTools {
			fmt.Fprintf(&b, "- `tool:%s`: %s\n", t.Name, markdownLine(t.Path))
		}
		b.WriteString("\n")
	}
	if len(rep.LeftOut) > 0 {
		fmt.Fprintf(&b, "%d uncommitted %s left out of the fresh clone.\n\n", len(rep.LeftOut), plural(len(rep.LeftOut), "file", "files"))
	}
	return b.String()
}

// markdownLine keeps a message on one list item, and its < and > as text.
func markdownLine(s string) string {
	return strings.NewReplacer("\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
