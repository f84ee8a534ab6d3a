package config

import (
	yaml "go.yaml.in/yaml/v4"
)

// What CI does with an item a person would do differently: `ci:` on steps
// and inputs. Every policy is a shortcut that verify's reports list, so
// nobody takes a skipped step for a tested one.

var (
	stepCIKeys  = []string{"skip"}
	inputCIKeys = []string{"set", "reason"}
)

// CIPolicy is a step's or an input's `ci:`.
type CIPolicy struct {
	// Skip is why CI leaves the step out (`ci: {skip: "needs a browser"}`);
	// nil when it does not.
	Skip *String
	// Set is the answer CI gives an input (`ci: {set: test-user}`).
	Set *String
	// Reason says why CI answers so (optional with set).
	Reason String
	Pos    Pos
}

// stepCI decodes a step's `ci: {skip: REASON}`.
func (d *decoder) stepCI(n *yaml.Node, what string) *CIPolicy {
	if r := d.resolve(n); r != nil && r.Kind == yaml.ScalarNode {
		d.errorf(r, "%s: write ci: {skip: \"why CI cannot do this\"}: a step CI skips needs its reason, which every report shows", what)
		return nil
	}
	p := &CIPolicy{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, what, stepCIKeys)
	if !ok {
		return nil
	}
	for _, f := range fs {
		if s, ok := d.nonEmpty(f.value, what+".skip"); ok {
			p.Skip = &s
		}
	}
	if len(fs) > 0 && p.Skip == nil {
		return nil // the bad skip is reported
	}
	if p.Skip == nil {
		d.errs.add(p.Pos, "%s: say what CI does: ci: {skip: \"why CI cannot do this\"}", what)
		return nil
	}
	return p
}

// inputCI decodes an input's `ci: {set: VALUE, reason: WHY}`.
func (d *decoder) inputCI(n *yaml.Node, what string) *CIPolicy {
	if r := d.resolve(n); r != nil && r.Kind == yaml.ScalarNode {
		d.errorf(r, "%s: write ci: {set: VALUE}: the answer CI gives this input", what)
		return nil
	}
	p := &CIPolicy{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, what, inputCIKeys)
	if !ok {
		return nil
	}
	for _, f := range fs {
		switch f.key {
		case "set":
			if s, ok := d.text(f.value, what+".set"); ok {
				p.Set = &s
			}
		case "reason":
			p.Reason, _ = d.nonEmpty(f.value, what+".reason")
		}
	}
	if p.Set == nil {
		d.errs.add(p.Pos, "%s: say what CI answers: ci: {set: VALUE}", what)
		return nil
	}
	return p
}

// envNames decodes `when: {env: NAME}` or a list of names.
func (d *decoder) envNames(n *yaml.Node, what string) []String {
	names := d.stringList(n, what, true)
	for _, s := range names {
		if !envName().MatchString(s.Value) {
			d.errs.add(s.Pos, "%s: %q is not a valid environment variable name (letters, digits, _; not starting with a digit)", what, s.Value)
		}
	}
	return names
}
