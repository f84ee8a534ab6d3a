package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every property of the schema has a description and a default or an
// example, so that an editor shows them on hover.
func TestSchemaPropertiesDescribed(t *testing.T) {
	var doc any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	count := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name, p := range props {
					count++
					prop, _ := p.(map[string]any)
					if d, _ := prop["description"].(string); strings.TrimSpace(d) == "" {
						t.Errorf("%s.%s has no description", path, name)
					}
					_, hasDefault := prop["default"]
					ex, _ := prop["examples"].([]any)
					if !hasDefault && len(ex) == 0 {
						t.Errorf("%s.%s has neither a default nor an example", path, name)
					}
				}
			}
			for k, c := range v {
				walk(path+"."+k, c)
			}
		case []any:
			for _, c := range v {
				walk(path, c)
			}
		}
	}
	walk("", doc)
	if count < 60 {
		t.Errorf("only %d properties seen: the walk missed some", count)
	}
}

// docs/onboard-yaml.md documents every key the loader accepts.
func TestDocsNameEveryKey(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "onboard-yaml.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(string(doc), -1)
	documented := map[string]bool{}
	for _, r := range rows {
		documented[r[1]] = true
	}
	for _, keys := range [][]string{fileKeys, repoKeys, inputKeys, toolKeys, stepKeys, templateKeys, whenKeys,
		serviceKeys, composeKeys, setupKeys, readyKeys} {
		for _, k := range keys {
			if !documented[k] {
				t.Errorf("docs/onboard-yaml.md has no row for the key %q", k)
			}
		}
	}
}
