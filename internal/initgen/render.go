package initgen

import (
	"bytes"
	"strconv"
	"strings"
	"text/template"

	"github.com/onboard-dev/onboard/templates"
)

// Render writes the checklist as onboard.yaml, from the embedded template
// templates/onboard.yaml.tmpl.
func Render(c *Checklist) ([]byte, error) {
	t, err := template.New("onboard.yaml.tmpl").Funcs(template.FuncMap{
		// q quotes a value for YAML: Go's double-quoted escapes are a
		// subset of YAML's, so any text (a `#`, a `: `, a leading `*`)
		// stays one plain string.
		"q":       strconv.Quote,
		"join":    strings.Join,
		"oneLine": func(s string) string { return strings.Join(strings.Fields(s), " ") },
	}).ParseFS(templates.FS, "onboard.yaml.tmpl")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, c); err != nil {
		return nil, err
	}
	// One final newline, whatever the template's last section was.
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n'), nil
}
