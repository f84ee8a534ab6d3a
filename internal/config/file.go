package config

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v4"
)

// The keys each mapping accepts. They are the contract of onboard.yaml v1
// (DESIGN.md) and must match onboard.schema.json; a test checks both agree.
var (
	fileKeys     = []string{"version", "project", "repo", "inputs", "tools", "steps", "services", "next", "preflight"}
	repoKeys     = []string{"url", "branch", "submodules", "depth"}
	inputKeys    = []string{"prompt", "default", "pattern", "options", "secret", "generate", "help", "ci"}
	toolKeys     = []string{"version", "command", "pattern", "install", "optional", "expect"}
	stepKeys     = []string{"id", "name", "run", "template", "manual", "needs", "when", "check", "creates", "env", "dir", "timeout", "expect", "ci", "fix", "optional"}
	templateKeys = []string{"src", "dest", "mode", "merge"}
	whenKeys     = []string{"os", "arch", "ci", "env"}
	serviceKeys  = []string{"run", "compose", "setup", "ready", "depends_on", "restart", "max_restarts", "env", "dir", "stop_timeout", "stop_signal", "restart_on", "expect"}
	composeKeys  = []string{"file", "service"}
	setupKeys    = []string{"run", "creates", "check"}
	readyKeys    = []string{"tcp", "http", "exec", "log", "interval", "timeout", "failures"}
	conditions   = []string{Started, Healthy, Completed}
	restarts     = []string{"no", "on-failure", "always"}
	mergeModes   = []string{"dotenv"}
	knownOS      = []string{"aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows"}
	knownArch    = []string{"386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64", "s390x", "wasm"}
	stopSignals  = []string{"SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGKILL", "SIGUSR1", "SIGUSR2"}
)

// idPattern is what step ids, service names and input names look like: they
// become state keys, log file names and environment variable suffixes.
// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`) })

var inputName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`) })

func (d *decoder) file(doc *yaml.Node) *File {
	f := &File{}
	fs, ok := d.fields(doc, "the checklist", fileKeys)
	if !ok {
		return f
	}
	sawVersion := false
	for _, fl := range fs {
		v := fl.value
		switch fl.key {
		case "version":
			sawVersion = true
			f.Version = d.version(v)
		case "project":
			f.Project, _ = d.nonEmpty(v, "project")
		case "repo":
			f.Repo = d.repo(v)
		case "inputs":
			f.Inputs = d.inputs(v)
		case "tools":
			f.Tools = d.tools(v)
		case "steps":
			d.list(v, "steps", func(i int, el *yaml.Node) {
				if s := d.step(el, i); s != nil {
					f.Steps = append(f.Steps, s)
				}
			})
		case "services":
			f.Services = d.services(v)
		case "next":
			f.Next = d.stringList(v, "next", false)
		case "preflight":
			f.Preflight = d.preflight(v)
		}
	}
	if !sawVersion {
		d.errorf(doc, "version is missing: start the checklist with `version: 1`")
	}
	return f
}

func (d *decoder) version(n *yaml.Node) int {
	n = d.resolve(n)
	if n.Kind == yaml.ScalarNode {
		switch n.Tag {
		case "!!int":
			if n.Value == "1" {
				return 1
			}
			d.errorf(n, "unsupported version %s: this onboard reads version 1", n.Value)
			return 0
		case "!!float":
			d.errorf(n, "version is written as the float %s; write the integer: `version: 1`", n.Value)
			return 0
		case "!!str":
			if n.Value == "1" {
				d.errorf(n, "version must be the number 1, not the string %q: write `version: 1`", n.Value)
				return 0
			}
		}
	}
	d.errorf(n, "version must be 1, not %s", describe(n))
	return 0
}

func (d *decoder) repo(n *yaml.Node) *Repo {
	r := &Repo{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, "repo", repoKeys)
	sawURL := false
	for _, f := range fs {
		switch f.key {
		case "url":
			sawURL = true
			r.URL, _ = d.nonEmpty(f.value, "repo.url")
		case "branch":
			r.Branch, _ = d.nonEmpty(f.value, "repo.branch")
		case "submodules":
			r.Submodules, _ = d.boolean(f.value, "repo.submodules")
		case "depth":
			r.Depth, _ = d.integer(f.value, "repo.depth", 1, 1<<30)
		}
	}
	if !sawURL && ok {
		d.errs.add(r.Pos, "repo.url is missing: the repository's clone URL")
	}
	return r
}

func (d *decoder) inputs(n *yaml.Node) []*Input {
	fs, _ := d.fields(n, "inputs", nil)
	var out []*Input
	for _, f := range fs {
		if !inputName().MatchString(f.key) {
			d.errorf(f.knode, "input name %q must start with a letter and hold only letters, digits and _ (it becomes %s)", f.key, InputEnvName(f.key))
			continue
		}
		in := &Input{Name: f.key, Pos: pos(f.knode)}
		what := "inputs." + f.key
		ifs, _ := d.fields(f.value, what, inputKeys)
		for _, g := range ifs {
			w := what + "." + g.key
			switch g.key {
			case "prompt":
				in.Prompt, _ = d.nonEmpty(g.value, w)
			case "default":
				if s, ok := d.text(g.value, w); ok {
					in.Default = &s
				}
			case "pattern":
				in.Pattern, _ = d.regex(g.value, w)
			case "options":
				in.Options = d.stringList(g.value, w, false)
				if len(in.Options) == 0 {
					d.errorf(g.value, "%s: give at least one option", w)
				}
			case "secret":
				in.Secret, _ = d.boolean(g.value, w)
			case "generate":
				in.Generate, _ = d.integer(g.value, w, 8, 4096)
			case "help":
				in.Help, _ = d.str(g.value, w)
			case "ci":
				in.CI = d.inputCI(g.value, w)
			}
		}
		out = append(out, in)
	}
	return out
}

func (d *decoder) tools(n *yaml.Node) []*Tool {
	fs, _ := d.fields(n, "tools", nil)
	var out []*Tool
	for _, f := range fs {
		what := "tools." + f.key
		t := &Tool{Name: f.key, Pos: pos(f.knode)}
		v := d.resolve(f.value)
		if v.Kind == yaml.ScalarNode {
			t.Version, _ = d.constraint(f.value, what, f.key)
			out = append(out, t)
			continue
		}
		tfs, _ := d.fields(f.value, what, toolKeys)
		for _, g := range tfs {
			w := what + "." + g.key
			switch g.key {
			case "version":
				t.Version, _ = d.constraint(g.value, w, f.key)
			case "command":
				t.Command, _ = d.command(g.value, w)
			case "pattern":
				t.Pattern, _ = d.regex(g.value, w)
			case "install":
				t.Install = d.install(g.value, w)
			case "optional":
				t.Optional, _ = d.boolean(g.value, w)
			case "expect":
				t.Expect, _ = d.duration(g.value, w)
			}
		}
		out = append(out, t)
	}
	return out
}

// install decodes an install hint: one command for every OS, or one per OS.
func (d *decoder) install(n *yaml.Node, what string) map[string]String {
	r := d.resolve(n)
	if r.Kind == yaml.ScalarNode {
		if s, ok := d.nonEmpty(n, what); ok {
			return map[string]String{"": s}
		}
		return nil
	}
	fs, _ := d.fields(n, what, nil)
	out := map[string]String{}
	for _, f := range fs {
		if !contains(knownOS, f.key) {
			d.errorf(f.knode, "%s: unknown OS %q%s", what, f.key, suggestOS(f.key))
			continue
		}
		if s, ok := d.nonEmpty(f.value, what+"."+f.key); ok {
			out[f.key] = s
		}
	}
	return out
}

func (d *decoder) step(n *yaml.Node, i int) *Step {
	what := fmt.Sprintf("steps[%d]", i)
	r := d.resolve(n)
	s := &Step{Pos: pos(r)}
	// Name the step by its id in every message, even those about keys that
	// come before the id.
	if id := peekKey(r, "id"); id != "" {
		what = fmt.Sprintf("step %q", id)
	}
	fs, ok := d.fields(n, what, stepKeys)
	if !ok {
		return nil
	}
	for _, f := range fs {
		if f.key == "id" {
			s.ID, _ = d.str(f.value, what+" id")
		}
	}
	var kinds []field
	for _, f := range fs {
		w := what + " " + f.key
		switch f.key {
		case "name":
			s.Name, _ = d.str(f.value, w)
		case KindRun:
			kinds = append(kinds, f)
			s.Run, _ = d.command(f.value, w)
		case KindTemplate:
			kinds = append(kinds, f)
			s.Template = d.template(f.value, w)
		case KindManual:
			kinds = append(kinds, f)
			s.Manual, _ = d.nonEmpty(f.value, w)
			d.cutByComment(f.value, w)
		case "needs":
			s.Needs = d.stringList(f.value, w, false)
		case "when":
			s.When = d.when(f.value, w)
		case "check":
			s.Check, _ = d.command(f.value, w)
		case "creates":
			s.Creates, _ = d.nonEmpty(f.value, w)
			d.confined(s.Creates, w)
		case "env":
			s.Env = d.env(f.value, w)
		case "dir":
			s.Dir, _ = d.nonEmpty(f.value, w)
			d.confined(s.Dir, w)
		case "timeout":
			s.Timeout, _ = d.duration(f.value, w)
		case "expect":
			s.Expect, _ = d.duration(f.value, w)
		case "ci":
			s.CI = d.stepCI(f.value, w)
		case "fix":
			s.Fix, _ = d.nonEmpty(f.value, w)
		case "optional":
			s.Optional, _ = d.boolean(f.value, w)
		}
	}
	if s.Expect.Value > 0 && s.Timeout.Value > 0 && s.Expect.Value >= s.Timeout.Value {
		d.errs.add(s.Expect.Pos, "%s expect: %s is not shorter than its timeout %s: it would be stopped before it could be reported late; make expect shorter than timeout", what, s.Expect.Value, s.Timeout.Value)
	}
	switch len(kinds) {
	case 0:
		d.errs.add(s.Pos, "%s has nothing to do: give it one of run, template or manual", what)
	case 1:
		s.Kind = kinds[0].key
	default:
		d.errorf(kinds[1].knode, "%s has both %s and %s: a step does exactly one thing; split it into two steps", what, kinds[0].key, kinds[1].key)
	}
	if s.ID.Pos.Line == 0 {
		d.errs.add(s.Pos, "%s has no id: add `id: <name>` so other items and the state can refer to it", what)
	} else if !idPattern().MatchString(s.ID.Value) {
		d.errs.add(s.ID.Pos, "step id %q must start with a letter or digit and hold only letters, digits, '.', '_' and '-'", s.ID.Value)
	}
	return s
}

func (d *decoder) template(n *yaml.Node, what string) *Template {
	t := &Template{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, what, templateKeys)
	if !ok {
		return t
	}
	for _, f := range fs {
		w := what + "." + f.key
		switch f.key {
		case "src":
			t.Src, _ = d.nonEmpty(f.value, w)
			d.confined(t.Src, w)
		case "dest":
			t.Dest, _ = d.nonEmpty(f.value, w)
			d.confined(t.Dest, w)
		case "mode":
			t.Mode, _ = d.fileMode(f.value, w)
		case "merge":
			if s, ok := d.str(f.value, w); ok {
				if contains(mergeModes, s.Value) {
					t.Merge = s
				} else {
					d.errs.add(s.Pos, "%s: unknown merge %q (the one merge is \"dotenv\")%s", w, s.Value, suggest(s.Value, mergeModes))
				}
			}
		}
	}
	if t.Src.Pos.Line == 0 {
		d.errs.add(t.Pos, "%s: src is missing: the repository file to render", what)
	}
	if t.Dest.Pos.Line == 0 {
		d.errs.add(t.Pos, "%s: dest is missing: the file to write", what)
	}
	return t
}

var octalMode = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^0[0-7]{3}$`) })

// fileMode decodes an octal mode written as a quoted string: unquoted, YAML
// 1.1 reads 0600 as octal and YAML 1.2 as decimal, so the same text means
// two different modes.
func (d *decoder) fileMode(n *yaml.Node, what string) (String, bool) {
	r := d.resolve(n)
	if r.Kind == yaml.ScalarNode && r.Tag == "!!int" {
		d.errorf(r, "%s: quote the file mode (%q): unquoted, YAML readers disagree whether %s is octal", what, "0"+strings.TrimLeft(r.Value, "0o"), r.Value)
		return String{}, false
	}
	s, ok := d.str(n, what)
	if !ok {
		return s, false
	}
	if !octalMode().MatchString(s.Value) {
		d.errs.add(s.Pos, "%s: %q is not an octal file mode like \"0644\" or \"0600\"", what, s.Value)
		return String{}, false
	}
	return s, true
}

func (d *decoder) when(n *yaml.Node, what string) *When {
	w := &When{Pos: pos(d.resolve(n))}
	fs, _ := d.fields(n, what, whenKeys)
	for _, f := range fs {
		switch f.key {
		case "ci":
			if b, ok := d.boolean(f.value, what+".ci"); ok {
				w.CI = &b
			}
			continue
		case "env":
			w.Env = d.envNames(f.value, what+".env")
			continue
		}
		known, hint := knownOS, suggestOS
		if f.key == "arch" {
			known, hint = knownArch, func(v string) string { return suggest(v, knownArch) }
		}
		vals := d.stringList(f.value, what+"."+f.key, true)
		for _, v := range vals {
			if !contains(known, v.Value) {
				d.errs.add(v.Pos, "%s.%s: unknown %s %q%s", what, f.key, f.key, v.Value, hint(v.Value))
			}
		}
		if f.key == "os" {
			w.OS = vals
		} else {
			w.Arch = vals
		}
	}
	return w
}

// confined reports paths that leave the repository: checklists come from
// the repository, so they may only name files inside it.
func (d *decoder) confined(s String, what string) {
	if s.Value == "" {
		return
	}
	p := strings.ReplaceAll(s.Value, `\`, "/")
	if strings.HasPrefix(p, "/") || (len(p) > 1 && p[1] == ':') {
		d.errs.add(s.Pos, "%s: %q is an absolute path; use a path inside the repository", what, s.Value)
		return
	}
	depth := 0
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
		default:
			depth++
		}
		if depth < 0 {
			d.errs.add(s.Pos, "%s: %q leaves the repository; use a path inside it", what, s.Value)
			return
		}
	}
}

// peekKey returns the plain string value of key in a mapping node, or "".
func peekKey(n *yaml.Node, key string) string {
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == key && v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
			return v.Value
		}
	}
	return ""
}
