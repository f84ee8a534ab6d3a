package initgen

// nodeManagers are the lockfiles and the install that honours each one,
// in the order a repository with several is read (the newest first).
var nodeManagers = []struct{ lock, tool, run string }{
	{"bun.lock", "bun", "bun install --frozen-lockfile"},
	{"bun.lockb", "bun", "bun install --frozen-lockfile"},
	{"pnpm-lock.yaml", "pnpm", "pnpm install --frozen-lockfile"},
	{"yarn.lock", "yarn", "yarn install --frozen-lockfile"},
	{"package-lock.json", "npm", "npm ci"},
	{"npm-shrinkwrap.json", "npm", "npm ci"},
}

// detectNode: package.json with its lockfile names the package manager;
// .nvmrc or .node-version pins node.
func detectNode(r *repo, c *Checklist) error {
	if !r.exists("package.json") {
		return nil
	}
	pin := r.first(".nvmrc", ".node-version")
	if pin != "" {
		pinnedTool(r, c, "node", pin, pin)
	} else {
		c.addTool(Tool{Name: "node", From: "package.json"})
	}
	tool, run, from := "npm", "npm install", "package.json"
	for _, m := range nodeManagers {
		if r.exists(m.lock) {
			tool, run, from = m.tool, m.run, m.lock
			if m.tool == "yarn" && r.exists(".yarnrc.yml") {
				// Yarn 2+ (berry) renamed --frozen-lockfile.
				run = "yarn install --immutable"
			}
			break
		}
	}
	c.addTool(Tool{Name: tool, From: from})
	needs := []string{"tool:node"}
	if tool != "node" {
		needs = append(needs, "tool:"+tool)
	}
	c.Steps = append(c.Steps, Step{
		ID: "node-deps", Run: run, Creates: "node_modules", Needs: needs, From: from,
	})
	return nil
}
