package initgen

// detectGo: go.mod pins Go (its go and toolchain lines are minimums) and
// `go mod download` fetches the modules; `go mod verify` checks them.
func detectGo(r *repo, c *Checklist) error {
	if !r.exists("go.mod") {
		return nil
	}
	pinnedTool(r, c, "go", "go.mod", "go.mod")
	c.Steps = append(c.Steps, Step{
		ID: "go-deps", Run: "go mod download", Check: "go mod verify",
		Needs: []string{"tool:go"}, From: "go.mod",
	})
	return nil
}
