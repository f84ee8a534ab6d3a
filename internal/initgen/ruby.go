package initgen

// detectRuby: Gemfile installs with bundler; .ruby-version pins ruby.
func detectRuby(r *repo, c *Checklist) error {
	if !r.exists("Gemfile") {
		return nil
	}
	pinnedTool(r, c, "ruby", ".ruby-version", "Gemfile")
	c.addTool(Tool{Name: "bundler", From: "Gemfile"})
	c.Steps = append(c.Steps, Step{ID: "ruby-deps", Run: "bundle install", Check: "bundle check",
		Needs: []string{"tool:ruby", "tool:bundler"}, From: "Gemfile"})
	return nil
}
