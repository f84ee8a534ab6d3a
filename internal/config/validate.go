package config

import (
	"path/filepath"
	"sort"
	"strings"
)

// validate checks what spans items: unique ids, references that resolve,
// conditions that can be met, and no dependency cycles. It runs even when
// decoding found problems, so that one run shows them all; values that
// failed to decode are zero and are passed over here.
func validate(f *File, errs *ErrorList) {
	ids := itemIDs(f, errs)
	steps := map[string]*Step{}
	for _, s := range f.Steps {
		steps[s.ID.Value] = s
	}
	services := map[string]*Service{}
	for _, s := range f.Services {
		services[s.Name] = s
	}
	known := make([]string, 0, len(ids))
	for id := range ids {
		known = append(known, id)
	}
	sort.Strings(known)

	graph := map[string][]edge{}
	for _, s := range f.Steps {
		from := "step:" + s.ID.Value
		for _, need := range s.Needs {
			id := CanonicalID(need.Value)
			if !ids[id] {
				errs.add(need.Pos, "step %q needs %q, which is not in the checklist%s", s.ID.Value, need.Value, suggest(id, known))
				continue
			}
			graph[from] = append(graph[from], edge{to: id, pos: need.Pos})
		}
	}
	for _, svc := range f.Services {
		from := "service:" + svc.Name
		for _, dep := range svc.DependsOn {
			name := dep.Name.Value
			target, isSvc := services[name]
			_, isStep := steps[name]
			switch {
			case isSvc && isStep:
				errs.add(dep.Name.Pos, "service %q depends on %q, which names both a service and a step; rename one", svc.Name, name)
				continue
			case !isSvc && !isStep:
				errs.add(dep.Name.Pos, "service %q depends on %q, which is neither a service nor a step%s", svc.Name, name, suggest(name, dependable(f)))
				continue
			}
			cond := dep.Condition.Value
			switch {
			case isStep && cond != Completed:
				errs.add(dep.Condition.Pos, "service %q: %q is a step, which can only be %q, not %q", svc.Name, name, Completed, cond)
				continue
			case isSvc && cond == Healthy && target.Ready == nil && target.Compose == nil:
				// A compose service's health may come from its container's
				// healthcheck, which only Docker knows.
				errs.add(dep.Condition.Pos, "service %q waits for %q to be healthy, but %q has no ready probe; add `ready:` to it or wait for `started`", svc.Name, name, name)
			}
			to := "service:" + name
			if isStep {
				to = "step:" + name
			}
			graph[from] = append(graph[from], edge{to: to, pos: dep.Name.Pos})
		}
		// A step it restarts on runs before it: an edge like depends_on;
		// so does the template step that writes a file it restarts on.
		for _, r := range svc.RestartOn {
			if path, ok := strings.CutPrefix(r.Value, "file:"); ok {
				if st := TemplateWriting(f, path); st != nil {
					graph[from] = append(graph[from], edge{to: "step:" + st.ID.Value, pos: r.Pos})
				}
				continue
			}
			name, ok := strings.CutPrefix(r.Value, "step:")
			if !ok {
				continue
			}
			if _, isStep := steps[name]; !isStep {
				errs.add(r.Pos, "service %q restarts on %q, but the checklist has no step %q%s", svc.Name, r.Value, name, suggest(name, stepNames(f)))
				continue
			}
			graph[from] = append(graph[from], edge{to: "step:" + name, pos: r.Pos})
		}
	}
	validateInputs(f, errs)
	for _, in := range f.Inputs {
		if in.Default != nil && len(in.Options) > 0 && !strings.Contains(in.Default.Value, "{{") {
			opts := make([]string, len(in.Options))
			for i, o := range in.Options {
				opts[i] = o.Value
			}
			if !contains(opts, in.Default.Value) {
				errs.add(in.Default.Pos, "input %q: default %q is not one of its options (%s)%s", in.Name, in.Default.Value, strings.Join(opts, ", "), suggest(in.Default.Value, opts))
			}
		}
	}
	reportCycles(graph, errs)
}

// TemplateWriting is the template step whose dest is path, or nil.
func TemplateWriting(f *File, path string) *Step {
	clean := filepath.ToSlash(filepath.Clean(path))
	for _, s := range f.Steps {
		if s.Template != nil && filepath.ToSlash(filepath.Clean(s.Template.Dest.Value)) == clean {
			return s
		}
	}
	return nil
}

func stepNames(f *File) []string {
	var out []string
	for _, s := range f.Steps {
		out = append(out, s.ID.Value)
	}
	return out
}

// CanonicalID turns a reference as written in `needs` into an item id: a
// bare name is a step, as DESIGN.md allows `deps` for `step:deps`.
func CanonicalID(ref string) string {
	if ref == "repo" || strings.Contains(ref, ":") {
		return ref
	}
	return "step:" + ref
}

// itemIDs lists every item id and reports duplicate step ids (tools, inputs
// and services are mapping keys, whose duplicates the decoder reported).
func itemIDs(f *File, errs *ErrorList) map[string]bool {
	ids := map[string]bool{}
	if f.Repo != nil {
		ids["repo"] = true
	}
	for _, in := range f.Inputs {
		ids["input:"+in.Name] = true
	}
	for _, t := range f.Tools {
		ids["tool:"+t.Name] = true
	}
	for _, s := range f.Services {
		ids["service:"+s.Name] = true
	}
	first := map[string]Pos{}
	for _, s := range f.Steps {
		if s.ID.Value == "" {
			continue
		}
		if p, dup := first[s.ID.Value]; dup {
			errs.add(s.ID.Pos, "duplicate step id %q (first at line %d)", s.ID.Value, p.Line)
			continue
		}
		first[s.ID.Value] = s.ID.Pos
		ids["step:"+s.ID.Value] = true
	}
	return ids
}

func dependable(f *File) []string {
	var out []string
	for _, s := range f.Services {
		out = append(out, s.Name)
	}
	for _, s := range f.Steps {
		out = append(out, s.ID.Value)
	}
	return out
}

type edge struct {
	to  string
	pos Pos
}

// reportCycles finds every dependency cycle once and prints it in full,
// `step:a → step:b → step:a`, at the reference that closes it.
func reportCycles(graph map[string][]edge, errs *ErrorList) {
	nodes := make([]string, 0, len(graph))
	for n := range graph {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes) // deterministic output
	const (
		unvisited = iota
		onStack
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(n string)
	visit = func(n string) {
		state[n] = onStack
		stack = append(stack, n)
		for _, e := range graph[n] {
			switch state[e.to] {
			case unvisited:
				visit(e.to)
			case onStack:
				i := len(stack) - 1
				for stack[i] != e.to {
					i--
				}
				cycle := append(append([]string{}, stack[i:]...), e.to)
				errs.add(e.pos, "dependency cycle: %s", strings.Join(cycle, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
	}
	for _, n := range nodes {
		if state[n] == unvisited {
			visit(n)
		}
	}
}
