package steps

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"text/template/parse"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// CheckTemplates reads every template step's src and reports, at the src's
// position in onboard.yaml, templates that do not parse or that use an
// input the checklist does not ask, and the same of env: values (see
// env_template.go), at theirs: a checklist error before anything runs,
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
				errs.Add(src.Pos, "step %q: template %s uses .Inputs.%s, but the checklist has no input %q%s", s.ID.Value, src.Value, name, name, inputsHint(names))
			}
		}
	}
	checkEnvTemplates(f, errs, inputs, names)
	if errs.Len() > 0 {
		return errs
	}
	return nil
}

// inputRefs lists the names used as .Inputs.NAME anywhere in a template.
func inputRefs(n parse.Node) []string {
	var out []string
	walkTemplate(n, func(n parse.Node) {
		if f, ok := n.(*parse.FieldNode); ok && len(f.Ident) >= 2 && f.Ident[0] == "Inputs" {
			out = append(out, f.Ident[1])
		}
	})
	return out
}

// callsFunc reports whether a template calls the function name.
func callsFunc(n parse.Node, name string) bool {
	found := false
	walkTemplate(n, func(n parse.Node) {
		if id, ok := n.(*parse.IdentifierNode); ok && id.Ident == name {
			found = true
		}
	})
	return found
}

// walkTemplate calls visit on every node of a template's tree.
func walkTemplate(n parse.Node, visit func(parse.Node)) {
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		visit(n)
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
}
