package initgen

// detectPreCommit: .pre-commit-config.yaml wants its git hooks installed.
func detectPreCommit(r *repo, c *Checklist) error {
	const file = ".pre-commit-config.yaml"
	if !r.exists(file) {
		return nil
	}
	c.addTool(Tool{Name: "pre-commit", From: file})
	c.addTool(Tool{Name: "git", From: file}) // the check asks git where hooks live
	c.Steps = append(c.Steps, Step{ID: "pre-commit", Run: "pre-commit install",
		Check: "test -f \"$(git rev-parse --git-path hooks/pre-commit)\"",
		Needs: []string{"tool:pre-commit", "tool:git"}, From: file})
	return nil
}
