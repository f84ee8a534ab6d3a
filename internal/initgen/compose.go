package initgen

import (
	"fmt"
	"sort"

	yaml "go.yaml.in/yaml/v4"
)

// composeFiles are the names Docker Compose looks for, in its order.
var composeFiles = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// detectCompose: each service of the compose file is delegated to Docker
// Compose, with its health from its own healthcheck when it has one.
func detectCompose(r *repo, c *Checklist) error {
	file := r.first(composeFiles...)
	if file == "" {
		return nil
	}
	text, ok, err := r.read(file)
	if err != nil || !ok {
		return err
	}
	var doc struct {
		Services map[string]struct {
			Healthcheck *struct {
				Disable bool `yaml:"disable"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("%s: not read: %v", file, err))
		return nil
	}
	names := make([]string, 0, len(doc.Services))
	for n := range doc.Services {
		names = append(names, n)
	}
	sort.Strings(names) // a YAML mapping read into a map lost its order
	for _, n := range names {
		name := itemName(n)
		if name == "" || c.hasService(name) {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: service %q not added: its name is not a usable id or is taken", file, n))
			continue
		}
		comment := "no healthcheck: add `ready:` for dependents to wait for it"
		if hc := doc.Services[n].Healthcheck; hc != nil && !hc.Disable {
			comment = "health from its healthcheck"
		}
		c.Services = append(c.Services, Service{Name: name, ComposeFile: file, ComposeService: n, From: file, Comment: comment})
	}
	if len(names) > 0 {
		c.addTool(Tool{Name: "docker", From: file})
	}
	return nil
}
