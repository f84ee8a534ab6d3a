package initgen

import (
	"regexp"
)

// makeTargets are the targets projects conventionally give the first
// setup, in the order they run.
var makeTargets = []string{"deps", "setup", "bootstrap"}

// detectMake: a Makefile target named deps, setup or bootstrap is the
// project's own way to set up; the checklist runs it.
func detectMake(r *repo, c *Checklist) error {
	name := r.first("GNUmakefile", "Makefile", "makefile")
	if name == "" {
		return nil
	}
	text, ok, err := r.read(name)
	if err != nil || !ok {
		return err
	}
	for _, t := range makeTargets {
		if !regexp.MustCompile(`(?m)^` + t + `\s*:([^=]|$)`).MatchString(text) {
			continue
		}
		c.addTool(Tool{Name: "make", From: name})
		c.Steps = append(c.Steps, Step{ID: "make-" + t, Run: "make " + t, Needs: []string{"tool:make"}, From: name,
			Comment: "a Makefile target has no check: add `check:` or `creates:` so a second run skips it"})
	}
	return nil
}
