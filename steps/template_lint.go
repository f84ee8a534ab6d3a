package steps

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
)

// templateFields are the top-level fields a template step's data has (see
// templateStep.render): anything else fails only when the step runs.
var templateFields = []string{"Arch", "Env", "Inputs", "OS", "Project"}

// maxParseErrors bounds how many parse errors one template reports.
const maxParseErrors = 20

var (
	// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
	parseErrLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^template: .*?:(\d+):`) })
	// An unclosed action is reported where the file ends; it started here.
	unclosedAt = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`unclosed action started at .*:(\d+)$`) })
)

// parseAll parses a template and, where text/template stops at the first
// error, keeps going: it blanks the line the error is on and parses again,
// so one `onboard validate` lists every broken line. An `{{end}}` or
// `{{else}}` left unmatched by a blanked line is not reported: it is the
// first error's echo, not a mistake of its own. It returns the template
// when there was no error.
func parseAll(name, text string) (*template.Template, []string) {
	var errs []string
	seen := map[int]bool{}
	for len(errs) < maxParseErrors {
		t, err := template.New(name).Funcs(templateFuncs(new(bool))).Parse(text)
		if err == nil {
			if len(errs) == 0 {
				return t, nil
			}
			return nil, errs
		}
		msg := err.Error()
		line := 0
		if m := unclosedAt().FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
		} else if m := parseErrLine().FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		if line == 0 || seen[line] {
			break // blanking did not move the error on: stop rather than repeat it
		}
		echo := len(errs) > 0 && (strings.Contains(msg, "unexpected {{end}}") || strings.Contains(msg, "unexpected {{else}}"))
		if !echo {
			errs = append(errs, strings.TrimPrefix(msg, "template: "))
		}
		seen[line] = true
		text = blankLine(text, line)
	}
	return nil, errs
}

// blankLine replaces line n (1-based) with spaces, keeping every other
// line, and so every later error's line number, where it was.
func blankLine(text string, n int) string {
	lines := strings.SplitAfter(text, "\n")
	if n < 1 || n > len(lines) {
		return text
	}
	l := lines[n-1]
	body := strings.TrimRight(l, "\r\n")
	lines[n-1] = strings.Repeat(" ", len(body)) + l[len(body):]
	return strings.Join(lines, "")
}

// unknownFields lists the fields a template reads from its data that the
// data does not have (`.Input.region` for `.Inputs.region`), each with a
// suggestion. Only where dot is the data: inside range and with, dot is
// something else; `$` is the data everywhere.
func unknownFields(root *parse.ListNode) []string {
	var out []string
	// report notes field, written as shown (.Input.region), unless the
	// data has it.
	report := func(field, shown string) {
		if i := sort.SearchStrings(templateFields, field); i < len(templateFields) && templateFields[i] == field {
			return
		}
		msg := fmt.Sprintf("%s, but its data has no .%s (it has .%s)", shown, field, strings.Join(templateFields, ", ."))
		stem := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), "s") }
		for _, known := range templateFields {
			if stem(field) == stem(known) {
				msg += fmt.Sprintf("; did you mean .%s?", known)
				break
			}
		}
		out = append(out, msg)
	}
	var walk func(n parse.Node, dotIsData bool)
	walk = func(n parse.Node, dotIsData bool) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c, dotIsData)
			}
		case *parse.ActionNode:
			walk(n.Pipe, dotIsData)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c, dotIsData)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a, dotIsData)
			}
		case *parse.FieldNode:
			if dotIsData && len(n.Ident) > 0 {
				report(n.Ident[0], n.String())
			}
		case *parse.VariableNode:
			if len(n.Ident) > 1 && n.Ident[0] == "$" {
				report(n.Ident[1], n.String())
			}
		case *parse.IfNode:
			walk(n.Pipe, dotIsData)
			walk(n.List, dotIsData)
			walk(n.ElseList, dotIsData)
		case *parse.RangeNode:
			walk(n.Pipe, dotIsData)
			walk(n.List, false)
			walk(n.ElseList, dotIsData)
		case *parse.WithNode:
			walk(n.Pipe, dotIsData)
			walk(n.List, false)
			walk(n.ElseList, dotIsData)
		case *parse.TemplateNode:
			walk(n.Pipe, dotIsData)
		}
	}
	walk(root, true)
	return out
}
