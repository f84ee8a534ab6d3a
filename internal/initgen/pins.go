package initgen

import (
	"fmt"

	"github.com/onboard-dev/onboard/internal/pins"
)

// pinnedTool adds tool with `version: "from FILE"` when onboard can read a
// version of it from file, and without a version (any) otherwise, with a
// note saying why: a checklist that names a pin onboard cannot read fails
// `validate`, and init's result must always pass it.
func pinnedTool(r *repo, c *Checklist, tool, file, from string) {
	if c.hasTool(tool) {
		return
	}
	if !r.exists(file) {
		c.addTool(Tool{Name: tool, From: from})
		return
	}
	if _, err := pins.ReadDir(r.root, file, tool); err != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("%s: no version constraint for %s: %v", tool, file, err))
		c.addTool(Tool{Name: tool, From: from})
		return
	}
	c.addTool(Tool{Name: tool, Version: "from " + file, From: file})
}
