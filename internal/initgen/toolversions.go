package initgen

import (
	"fmt"
	"strings"

	"github.com/onboard-dev/onboard/internal/pins"
)

// asdfNames maps .tool-versions' plugin names to onboard's tool names.
var asdfNames = map[string]string{
	"nodejs": "node", "golang": "go", "python": "python3", "rust": "rustc",
}

// detectToolVersions: each line of .tool-versions (asdf, mise) pins a tool,
// unless a more specific file already did.
func detectToolVersions(r *repo, c *Checklist) error {
	text, ok, err := r.read(".tool-versions")
	if err != nil || !ok {
		return err
	}
	for _, line := range strings.Split(text, "\n") {
		fields := strings.Fields(strings.SplitN(line, "#", 2)[0])
		if len(fields) < 2 {
			continue
		}
		name := fields[0]
		if n, ok := asdfNames[name]; ok {
			name = n
		}
		if itemName(name) != name || c.hasTool(name) {
			continue
		}
		if _, err := pins.ReadDir(r.root, ".tool-versions", name); err != nil {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: not added: %v", name, err))
			continue
		}
		c.addTool(Tool{Name: name, Version: "from .tool-versions", From: ".tool-versions"})
	}
	return nil
}

// detectTerraform: .terraform-version (tfenv) pins terraform.
func detectTerraform(r *repo, c *Checklist) error {
	if r.exists(".terraform-version") {
		pinnedTool(r, c, "terraform", ".terraform-version", ".terraform-version")
	}
	return nil
}
