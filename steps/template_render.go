package steps

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"text/template"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// A template step's render: src executed with text/template, the data and
// functions templateStep documents, and nothing that runs a program or
// reads a file besides src.

// render executes src. random reports whether randAlphaNum ran; key hashes
// what the render depends on besides .Env and chance (see templateStep).
func (it *templateStep) render(root *rootfs.Root, env *engine.Env) (out []byte, random bool, key string, err error) {
	return it.renderWith(root, env, it.deps.Inputs)
}

// renderWith is render with answers other than this run's (the last
// run's, for template_baseline.go).
func (it *templateStep) renderWith(root *rootfs.Root, env *engine.Env, answers map[string]string) (out []byte, random bool, key string, err error) {
	src := it.t.Src.Value
	if err := root.Guard(src, "cannot read"); err != nil {
		return nil, false, "", err
	}
	text, err := root.ReadFile(src)
	if err != nil {
		return nil, false, "", err
	}
	tmpl, err := template.New(src).Option("missingkey=error").Funcs(templateFuncs(&random)).Parse(string(text))
	if err != nil {
		return nil, false, "", fmt.Errorf("cannot render %s: %w", src, err)
	}
	data := templateData(answers, it.deps.Project, env.Environ)
	inputs := data["Inputs"]
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return nil, false, "", fmt.Errorf("cannot render %s: %w", src, err)
	}
	depends, _ := json.Marshal([]any{string(text), inputs, it.deps.Project, runtime.GOOS, runtime.GOARCH})
	return b.Bytes(), random, sum(depends), nil
}

// templateFuncs are the functions templates may call: string helpers and
// randomness, nothing that runs a program or reads a file. random is set
// when randAlphaNum runs.
func templateFuncs(random *bool) template.FuncMap {
	return template.FuncMap{
		"default": func(def, v any) any {
			if v == nil || v == "" {
				return def
			}
			return v
		},
		"quote":  func(v any) string { return strconv.Quote(fmt.Sprint(v)) },
		"lower":  strings.ToLower,
		"upper":  strings.ToUpper,
		"trim":   strings.TrimSpace,
		"b64enc": func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
		"randAlphaNum": func(n int) (string, error) {
			if n < 0 || n > 4096 {
				return "", fmt.Errorf("randAlphaNum %d: want a length from 0 to 4096", n)
			}
			*random = true
			return inputs.Generate(n)
		},
	}
}
