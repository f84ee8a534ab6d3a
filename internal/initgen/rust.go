package initgen

// detectRust: Cargo.toml fetches with cargo; rust-toolchain(.toml) pins
// rustc (rustup reads the same file and installs it).
func detectRust(r *repo, c *Checklist) error {
	if !r.exists("Cargo.toml") {
		return nil
	}
	if pin := r.first("rust-toolchain.toml", "rust-toolchain"); pin != "" {
		pinnedTool(r, c, "rustc", pin, pin)
	} else {
		c.addTool(Tool{Name: "rustc", From: "Cargo.toml"})
	}
	c.addTool(Tool{Name: "cargo", From: "Cargo.toml"})
	c.Steps = append(c.Steps, Step{ID: "rust-deps", Run: "cargo fetch",
		Needs: []string{"tool:cargo"}, From: "Cargo.toml"})
	return nil
}
