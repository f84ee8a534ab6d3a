package config

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	yaml "go.yaml.in/yaml/v4"
)

// decoder walks the YAML node tree by the checklist's schema. It never stops
// at the first problem: each one is recorded and decoding goes on, so a
// maintainer sees every error in one run.
type decoder struct {
	errs *ErrorList
	// merging holds the mappings whose `<<` keys are being expanded, so a
	// mapping that merges itself (`&m {<<: *m}`) is an error, not endless
	// recursion.
	merging map[*yaml.Node]bool
	// warnings are traps that do not stop the checklist (traps.go).
	warnings []Error
}

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.add(pos(n), format, args...)
}

// resolve follows an alias to the node it names. The expansion budget was
// checked once for the whole document before decoding (see expansion.go).
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// field is one key of a mapping, after merge keys are applied.
type field struct {
	key   string
	knode *yaml.Node
	value *yaml.Node
}

// fields returns the entries of a mapping in source order. It reports
// duplicate keys and, when known is non-nil, unknown keys with a suggestion.
// Merge keys (`<<: *base`) contribute the keys the mapping does not set.
func (d *decoder) fields(n *yaml.Node, what string, known []string) ([]field, bool) {
	n = d.resolve(n)
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping (key: value), not %s", what, describe(n))
		return nil, false
	}
	var out []field
	seen := map[string]*yaml.Node{}
	var merged []field
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.resolve(n.Content[i]), n.Content[i+1]
		if k == nil {
			return out, false
		}
		if k.Tag == "!!merge" {
			merged = append(merged, d.mergeFields(v, what)...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: a key must be a plain name, not %s", what, describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, what, first.Line)
			continue
		}
		seen[k.Value] = k
		if known != nil && !contains(known, k.Value) {
			d.errorf(k, "unknown key %q in %s%s", k.Value, what, suggest(k.Value, known))
			continue
		}
		out = append(out, field{key: k.Value, knode: k, value: v})
	}
	for _, f := range merged {
		if _, set := seen[f.key]; set {
			continue
		}
		seen[f.key] = f.knode
		if known != nil && !contains(known, f.key) {
			d.errorf(f.knode, "unknown key %q in %s%s", f.key, what, suggest(f.key, known))
			continue
		}
		out = append(out, f)
	}
	return out, true
}

// mergeFields expands the value of a `<<` key: one aliased mapping or a list
// of them; earlier mappings win, as in YAML's merge-key rules.
func (d *decoder) mergeFields(v *yaml.Node, what string) []field {
	v = d.resolve(v)
	if v == nil {
		return nil
	}
	var sources []*yaml.Node
	switch v.Kind {
	case yaml.MappingNode:
		sources = []*yaml.Node{v}
	case yaml.SequenceNode:
		sources = v.Content
	default:
		d.errorf(v, "%s: `<<` must merge a mapping or a list of mappings", what)
		return nil
	}
	var out []field
	seen := map[string]bool{}
	for _, s := range sources {
		s = d.resolve(s)
		if s == nil {
			return out
		}
		if s.Kind != yaml.MappingNode {
			d.errorf(s, "%s: `<<` must merge a mapping or a list of mappings", what)
			continue
		}
		if d.merging[s] {
			d.errorf(v, "%s: `<<` merges a mapping into itself", what)
			continue
		}
		if d.merging == nil {
			d.merging = map[*yaml.Node]bool{}
		}
		d.merging[s] = true
		fs, _ := d.fields(s, what, nil)
		delete(d.merging, s)
		for _, f := range fs {
			if !seen[f.key] {
				seen[f.key] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// yaml11Bools are plain scalars that YAML 1.1 (and so many other tools)
// read as booleans but YAML 1.2 reads as strings: a classic trap.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true,
	"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
}

func isYAML11Bool(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Style == 0 && n.Tag == "!!str" && yaml11Bools[n.Value]
}

// str decodes a string scalar. Unquoted numbers, booleans and nulls are
// refused with the quoted spelling, because YAML would silently change them
// (1.10 becomes 1.1, yes becomes true in YAML 1.1 readers). allowed lists
// enum values that may be written unquoted even if they look like a
// YAML 1.1 boolean (restart: no).
func (d *decoder) str(n *yaml.Node, what string, allowed ...string) (String, bool) {
	n = d.resolve(n)
	if n == nil {
		return String{}, false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be a string, not %s", what, describe(n))
		return String{}, false
	}
	switch n.Tag {
	case "!!str":
		if isYAML11Bool(n) && !contains(allowed, n.Value) {
			d.errorf(n, "%s: %s is a boolean in YAML 1.1; quote it if you mean the string: %q", what, n.Value, n.Value)
			return String{}, false
		}
		return String{Value: n.Value, Pos: pos(n)}, true
	case "!!int", "!!float":
		d.errorf(n, "%s must be a string, not the number %s; quote it: %q", what, n.Value, n.Value)
	case "!!bool":
		d.errorf(n, "%s must be a string, not the boolean %s; quote it: %q", what, n.Value, n.Value)
	case "!!null":
		d.errorf(n, "%s must not be empty", what)
	default:
		d.errorf(n, "%s must be a string, not %s", what, describe(n))
	}
	return String{}, false
}

// text decodes a scalar that ends up as text anyway (env values): strings and
// integers as written; booleans and floats refused because their spelling is
// what YAML tools disagree on.
func (d *decoder) text(n *yaml.Node, what string) (String, bool) {
	r := d.resolve(n)
	if r != nil && r.Kind == yaml.ScalarNode && r.Tag == "!!int" {
		return String{Value: r.Value, Pos: pos(r)}, true
	}
	if r != nil && r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
		return String{Value: "", Pos: pos(r)}, true
	}
	return d.str(n, what)
}

// nonEmpty is str that also refuses "".
func (d *decoder) nonEmpty(n *yaml.Node, what string) (String, bool) {
	s, ok := d.str(n, what)
	if ok && strings.TrimSpace(s.Value) == "" {
		d.errorf(n, "%s must not be empty", what)
		return s, false
	}
	return s, ok
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	n = d.resolve(n)
	if n == nil {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", true
	}
	if isYAML11Bool(n) {
		d.errorf(n, "%s: %s is a boolean only in YAML 1.1; write true or false", what, n.Value)
		return false, false
	}
	d.errorf(n, "%s must be true or false, not %s", what, describe(n))
	return false, false
}

// integer decodes a whole number within [lo, hi].
func (d *decoder) integer(n *yaml.Node, what string, lo, hi int) (int, bool) {
	n = d.resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.errorf(n, "%s must be a whole number, not %s", what, describe(n))
		return 0, false
	}
	var v int
	if _, err := fmt.Sscanf(n.Value, "%d", &v); err != nil || fmt.Sprint(v) != strings.TrimPrefix(n.Value, "+") {
		d.errorf(n, "%s must be a whole number written in decimal, not %s", what, n.Value)
		return 0, false
	}
	if v < lo || v > hi {
		d.errorf(n, "%s must be between %d and %d, not %d", what, lo, hi, v)
		return 0, false
	}
	return v, true
}

// duration decodes a positive Go duration such as "30s" or "1m30s".
func (d *decoder) duration(n *yaml.Node, what string) (Duration, bool) {
	r := d.resolve(n)
	if r != nil && r.Kind == yaml.ScalarNode && (r.Tag == "!!int" || r.Tag == "!!float") {
		d.errorf(r, "%s: %s has no unit; write it like %q", what, r.Value, r.Value+"s")
		return Duration{}, false
	}
	s, ok := d.str(n, what)
	if !ok {
		return Duration{}, false
	}
	v, err := time.ParseDuration(s.Value)
	if err != nil {
		d.errs.add(s.Pos, "%s: %q is not a duration; write it like 500ms, 30s, 2m or 1h", what, s.Value)
		return Duration{}, false
	}
	if v <= 0 {
		d.errs.add(s.Pos, "%s must be longer than zero, not %q", what, s.Value)
		return Duration{}, false
	}
	return Duration{Value: v, Pos: s.Pos}, true
}

// regex decodes a string that must compile as a Go regular expression.
func (d *decoder) regex(n *yaml.Node, what string) (*String, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return nil, false
	}
	if _, err := regexp.Compile(s.Value); err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		d.errs.add(s.Pos, "%s: invalid regular expression: %s", what, msg)
		return nil, false
	}
	return &s, true
}

// command decodes `run:`-like values: a shell string or an argv list.
func (d *decoder) command(n *yaml.Node, what string) (Command, bool) {
	r := d.resolve(n)
	if r == nil {
		return Command{}, false
	}
	if r.Kind == yaml.SequenceNode {
		if len(r.Content) == 0 {
			d.errorf(r, "%s: the argv list is empty; name the program to run", what)
			return Command{}, false
		}
		c := Command{Argv: []string{}, Pos: pos(r)}
		ok := true
		for i, a := range r.Content {
			s, good := d.text(a, fmt.Sprintf("%s[%d]", what, i))
			ok = ok && good
			c.Argv = append(c.Argv, s.Value)
		}
		if ok && c.Argv[0] == "" {
			d.errorf(r.Content[0], "%s: the program name is empty", what)
			ok = false
		}
		return c, ok
	}
	s, ok := d.nonEmpty(n, what)
	return Command{Shell: s.Value, Pos: s.Pos}, ok
}

// list decodes a sequence, calling fn for each element.
func (d *decoder) list(n *yaml.Node, what string, fn func(i int, el *yaml.Node)) bool {
	n = d.resolve(n)
	if n == nil {
		return false
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list, not %s", what, describe(n))
		return false
	}
	for i, el := range n.Content {
		fn(i, el)
	}
	return true
}

// strings decodes a list of strings, or a single string as a one-element list.
func (d *decoder) stringList(n *yaml.Node, what string, single bool) []String {
	r := d.resolve(n)
	if r == nil {
		return nil
	}
	if single && r.Kind == yaml.ScalarNode {
		s, ok := d.str(n, what)
		if !ok {
			return nil
		}
		return []String{s}
	}
	var out []String
	d.list(n, what, func(i int, el *yaml.Node) {
		if s, ok := d.str(el, fmt.Sprintf("%s[%d]", what, i)); ok {
			out = append(out, s)
		}
	})
	return out
}

// env decodes a NAME: value mapping of environment variables.
func (d *decoder) env(n *yaml.Node, what string) map[string]String {
	fs, _ := d.fields(n, what, nil)
	out := make(map[string]String, len(fs))
	for _, f := range fs {
		if !envName().MatchString(f.key) {
			d.errorf(f.knode, "%s: %q is not a valid environment variable name (letters, digits, _; not starting with a digit)", what, f.key)
			continue
		}
		if s, ok := d.text(f.value, what+"."+f.key); ok {
			out[f.key] = s
		}
	}
	return out
}

// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var envName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// describe names what a node is, in the words of the error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "empty"
		case "!!bool":
			return "the boolean " + n.Value
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!str":
			return fmt.Sprintf("the string %q", clip(n.Value))
		}
		return fmt.Sprintf("a %s value", strings.TrimPrefix(n.Tag, "!!"))
	}
	return "an alias"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
