package steps

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template/parse"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// CheckTemplates reads every template step's src and reports, at the src's
// position in onboard.yaml, templates that do not parse or that use an
// input the checklist does not ask: a checklist error before anything runs,
// not a failure halfway through.
func CheckTemplates(f *config.File, root string) error {
	errs := &config.ErrorList{File: f.Path, Source: f.Source}
	inputs := map[string]bool{}
	var names []string
	for _, in := range f.Inputs {
		inputs[in.Name] = true
		names = append(names, in.Name)
	}
	sort.Strings(names)
	for _, s := range f.Steps {
		if s.Kind != config.KindTemplate || s.Template == nil || s.Template.Src.Value == "" {
			continue
		}
		src := s.Template.Src
		r, err := rootfs.Open(root)
		if err != nil {
			return err
		}
		// The same guard as the step's own read: a src inside .git is
		// not read here either.
		err = r.Guard(src.Value, "cannot read")
		var data []byte
		if err == nil {
			data, err = r.ReadFile(src.Value)
		}
		r.Close()
		if errors.Is(err, fs.ErrNotExist) {
			errs.Add(src.Pos, "%s", fmt.Sprintf("step %q: template src %s does not exist in the repository", s.ID.Value, src.Value))
			continue
		}
		if err != nil {
			continue // the step itself reports a refused or unreadable src
		}
		t, perrs := parseAll(src.Value, string(data))
		for _, perr := range perrs {
			errs.Add(src.Pos, "%s", fmt.Sprintf("step %q: template %s does not parse: %s", s.ID.Value, src.Value, perr))
		}
		if t == nil {
			continue
		}
		for _, field := range unknownFields(t.Tree.Root) {
			errs.Add(src.Pos, "%s", fmt.Sprintf("step %q: template %s uses %s", s.ID.Value, src.Value, field))
		}
		for _, name := range inputRefs(t.Tree.Root) {
			if !inputs[name] {
				msg := fmt.Sprintf("step %q: template %s uses .Inputs.%s, but the checklist has no input %q", s.ID.Value, src.Value, name, name)
				if len(names) > 0 {
					msg += " (its inputs: " + strings.Join(names, ", ") + ")"
				} else {
					msg += "; add it under inputs:"
				}
				errs.Add(src.Pos, "%s", msg)
			}
		}
	}
	if errs.Len() > 0 {
		return errs
	}
	return nil
}

// inputRefs lists the names used as .Inputs.NAME anywhere in a template.
func inputRefs(n parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			if len(n.Ident) >= 2 && n.Ident[0] == "Inputs" {
				out = append(out, n.Ident[1])
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	walk(n)
	return out
}
