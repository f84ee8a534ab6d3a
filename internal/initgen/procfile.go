package initgen

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var procLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9_-]+):\s*(.+)$`) })

// detectProcfile: each `name: command` line of a Procfile is a native
// service supervised by onboard (foreman's and Heroku's format).
func detectProcfile(r *repo, c *Checklist) error {
	const file = "Procfile"
	text, ok, err := r.read(file)
	if err != nil || !ok {
		return err
	}
	for _, line := range strings.Split(text, "\n") {
		m := procLine().FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		name := itemName(m[1])
		if name == "" || c.hasService(name) {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: process %q not added: its name is taken by another service", file, m[1]))
			continue
		}
		svc := Service{Name: name, Run: strings.TrimSpace(m[2]), From: file,
			Comment: "add `ready:` (tcp, http or log) so dependents can wait for it"}
		if c.writesEnv() {
			// foreman and Heroku load .env into every process, and a
			// dotenv library reads it with no command naming it: a
			// changed .env must restart the process (and the env step
			// then runs first).
			svc.RestartOn = []string{"file:.env"}
		}
		c.Services = append(c.Services, svc)
	}
	return nil
}

// writesEnv reports whether a step of c writes .env (detectDotenv's).
func (c *Checklist) writesEnv() bool {
	for _, st := range c.Steps {
		if st.Template != nil && st.Template.Dest == ".env" {
			return true
		}
	}
	return false
}
