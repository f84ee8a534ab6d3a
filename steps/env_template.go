package steps

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"text/template"

	"github.com/onboard-dev/onboard/internal/config"
)

// `env:` values of steps and services are templates, with the data and
// functions of template steps (see templateStep): `DATABASE_URL:
// "postgres://app:{{ .Inputs.db_password }}@127.0.0.1/app"`. The rendered
// value becomes a variable of the command's environment, never text of a
// shell string. A value without "{{" is used as it is. randAlphaNum is
// refused there: a value that differs on every run would restart a service
// on every `up`; an input with `generate: N` is random once and
// remembered.

// errEnvRandom is randAlphaNum called in an env: value.
var errEnvRandom = errors.New("randAlphaNum cannot be used in env: (the value would change on every run); use an input with generate: N")

// envFuncs are templateFuncs without randomness.
func envFuncs() template.FuncMap {
	f := templateFuncs(new(bool))
	f["randAlphaNum"] = func(int) (string, error) { return "", errEnvRandom }
	return f
}

// templateData is what templates see: .Inputs, .Env (from environ,
// KEY=VALUE), .OS, .Arch, .Project.
func templateData(inputs map[string]string, project string, environ []string) map[string]any {
	if inputs == nil {
		inputs = map[string]string{}
	}
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return map[string]any{"Inputs": inputs, "Env": env, "OS": runtime.GOOS, "Arch": runtime.GOARCH, "Project": project}
}

// renderEnv renders the env: values, sorted by key, as KEY=VALUE for a
// command's environment. environ is what .Env sees.
func renderEnv(values map[string]config.String, inputs map[string]string, project string, environ []string) ([]string, error) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var data map[string]any
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		v := values[k].Value
		if strings.Contains(v, "{{") {
			if data == nil {
				data = templateData(inputs, project, environ)
			}
			t, err := template.New(k).Option("missingkey=error").Funcs(envFuncs()).Parse(v)
			if err != nil {
				return nil, fmt.Errorf("env %s: %w", k, err)
			}
			var b strings.Builder
			if err := t.Execute(&b, data); err != nil {
				return nil, fmt.Errorf("env %s: %w", k, err)
			}
			v = b.String()
		}
		out = append(out, k+"="+v)
	}
	return out, nil
}

// checkEnvTemplates reports, at each value's position, env: values of
// steps and services that do not parse as templates, use an input the
// checklist does not ask, or call randAlphaNum.
func checkEnvTemplates(f *config.File, errs *config.ErrorList, inputs map[string]bool, names []string) {
	check := func(owner string, values map[string]config.String) {
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := values[k]
			if !strings.Contains(v.Value, "{{") {
				continue
			}
			t, err := template.New(k).Funcs(envFuncs()).Parse(v.Value)
			if err != nil {
				errs.Add(v.Pos, "%s env %s: the value is a template and does not parse: %v", owner, k, err)
				continue
			}
			for _, name := range inputRefs(t.Tree.Root) {
				if !inputs[name] {
					errs.Add(v.Pos, "%s env %s uses .Inputs.%s, but the checklist has no input %q%s", owner, k, name, name, inputsHint(names))
				}
			}
			if callsFunc(t.Tree.Root, "randAlphaNum") {
				errs.Add(v.Pos, "%s env %s: %v", owner, k, errEnvRandom)
			}
		}
	}
	for _, s := range f.Steps {
		check(fmt.Sprintf("step %q", s.ID.Value), s.Env)
	}
	for _, s := range f.Services {
		check(fmt.Sprintf("service %q", s.Name), s.Env)
	}
}

func inputsHint(names []string) string {
	if len(names) > 0 {
		return " (its inputs: " + strings.Join(names, ", ") + ")"
	}
	return "; add it under inputs:"
}
