// Package inputs answers the checklist's questions before any work starts:
// from --set, from ONBOARD_INPUT_<NAME>, from answers remembered in an
// earlier run, from a person at a terminal, or from defaults and generated
// values. It decides nothing about the terminal itself: a Prompter does.
package inputs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"runtime"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
)

// Question is one input as a Prompter shows it.
type Question struct {
	Name    string
	Prompt  string
	Help    string
	Default string // already rendered
	Options []string
	Secret  bool
	// Generate is set when an empty answer means "generate one".
	Generate bool
	// Validate returns an error for an answer the checklist refuses.
	Validate func(string) error
}

// Prompter asks every question at once and returns the answers by name.
type Prompter interface {
	Ask(ctx context.Context, qs []Question) (map[string]string, error)
}

// Sources are everything that may answer a question, strongest first.
type Sources struct {
	Set        map[string]string // --set name=value
	Environ    []string          // for ONBOARD_INPUT_<NAME> and .Env in defaults
	Remembered map[string]string // from .onboard/answers.yaml and secrets.env
	Prompter   Prompter          // nil without a terminal
	Yes        bool              // --yes: accept defaults without asking
	Project    string
	// CI: the run is in CI, where an input's `ci: {set: V}` answers it
	// (after --set and the environment, before anything remembered).
	CI bool
}

// Answer is one resolved input.
type Answer struct {
	Value  string
	Secret bool
	From   string // "--set", "environment", "ci", "remembered", "you", "default", "generated"
}

// NeedsInputError is a question nobody could answer without a terminal.
type NeedsInputError struct {
	Missing []string // input names
	Reasons []string // why an answer given was refused, if any
	// Yes: --yes took defaults and asked nothing, terminal or not.
	Yes bool
	// Why, when set, is why nothing could ask, in place of the terminal
	// or --yes (verify, which asks nothing and has no --yes).
	Why string
	// Fix, when set, is one more way to answer, after --set and the
	// variable (verify: the checklist's `ci: {set: …}`).
	Fix string
}

func (e *NeedsInputError) Error() string {
	var b strings.Builder
	for _, r := range e.Reasons {
		b.WriteString(r + "\n")
	}
	why := "there is no terminal to ask"
	if e.Yes {
		why = "it has no default, and --yes takes defaults without asking"
	}
	if e.Why != "" {
		why = e.Why
	}
	for _, n := range e.Missing {
		if e.Fix != "" {
			fmt.Fprintf(&b, "input %q needs an answer and %s: pass --set %s=…, set %s, or %s\n", n, why, n, EnvName(n), e.Fix)
			continue
		}
		fmt.Fprintf(&b, "input %q needs an answer and %s: pass --set %s=… or set %s\n", n, why, n, EnvName(n))
	}
	return strings.TrimRight(b.String(), "\n")
}

// EnvName is the environment variable that answers, and later carries, an
// input: ONBOARD_INPUT_DB_PASSWORD for db_password.
func EnvName(name string) string { return config.InputEnvName(name) }

// EnvPrefix starts the name of every input's environment variable.
const EnvPrefix = "ONBOARD_INPUT_"

// Resolve answers every input, asking a person only for what nothing else
// answers, all in one go. A *NeedsInputError comes with the answers that
// were found.
func Resolve(ctx context.Context, f *config.File, src Sources) (map[string]Answer, error) {
	env := envMap(src.Environ)
	out := map[string]Answer{}
	var ask []Question
	var missing, reasons []string
	for _, in := range f.Inputs {
		validate := validator(in)
		take := func(v, from string) bool {
			if err := validate(v); err != nil {
				reasons = append(reasons, fmt.Sprintf("input %q from %s: %v", in.Name, from, err))
				return false
			}
			out[in.Name] = Answer{Value: v, Secret: in.Secret, From: from}
			return true
		}
		if v, ok := src.Set[in.Name]; ok {
			if take(v, "--set") {
				continue
			}
		} else if v := env[EnvName(in.Name)]; v != "" {
			// An empty variable counts as unset, as `VAR= onboard` means.
			if take(v, "environment") {
				continue
			}
		} else if src.CI && in.CI != nil && in.CI.Set != nil {
			if take(in.CI.Set.Value, "ci") {
				continue
			}
		} else if v, ok := src.Remembered[in.Name]; ok && validate(v) == nil {
			out[in.Name] = Answer{Value: v, Secret: in.Secret, From: "remembered"}
			continue
		}
		def, hasDefault, err := renderDefault(in, env, src.Project)
		if err != nil {
			return nil, err
		}
		q := Question{Name: in.Name, Prompt: in.Prompt.Value, Help: in.Help.Value, Default: def,
			Secret: in.Secret, Generate: in.Generate > 0, Validate: validate}
		for _, o := range in.Options {
			q.Options = append(q.Options, o.Value)
		}
		if q.Prompt == "" {
			q.Prompt = in.Name
		}
		switch {
		case src.Prompter != nil && !src.Yes:
			ask = append(ask, q)
		case hasDefault:
			if !take(def, "default") {
				missing = append(missing, in.Name)
			}
		case in.Generate > 0:
			v, err := Generate(in.Generate)
			if err != nil {
				return nil, err
			}
			out[in.Name] = Answer{Value: v, Secret: in.Secret, From: "generated"}
		default:
			missing = append(missing, in.Name)
		}
	}
	if len(missing) > 0 || (len(reasons) > 0 && src.Prompter == nil) {
		// The answers found so far come back too: `onboard check` reports
		// the missing ones as not met instead of stopping.
		return out, &NeedsInputError{Missing: missing, Reasons: reasons, Yes: src.Yes}
	}
	if len(ask) > 0 {
		answers, err := src.Prompter.Ask(ctx, ask)
		if err != nil {
			return nil, err
		}
		for _, q := range ask {
			v := answers[q.Name]
			from := "you"
			if v == "" && q.Generate {
				if v, err = Generate(generateLen(f, q.Name)); err != nil {
					return nil, err
				}
				from = "generated"
			}
			out[q.Name] = Answer{Value: v, Secret: q.Secret, From: from}
		}
	}
	return out, nil
}

func generateLen(f *config.File, name string) int {
	for _, in := range f.Inputs {
		if in.Name == name {
			return in.Generate
		}
	}
	return 24
}

// validator checks an answer against options and pattern.
func validator(in *config.Input) func(string) error {
	var re *regexp.Regexp
	if in.Pattern != nil {
		re = regexp.MustCompile(in.Pattern.Value) // the loader compiled it already
	}
	return func(v string) error {
		if len(in.Options) > 0 {
			for _, o := range in.Options {
				if o.Value == v {
					return nil
				}
			}
			opts := make([]string, len(in.Options))
			for i, o := range in.Options {
				opts[i] = o.Value
			}
			return fmt.Errorf("must be one of %s", strings.Join(opts, ", "))
		}
		if v == "" && in.Generate == 0 {
			return errors.New("must not be empty")
		}
		if re != nil && v != "" && !re.MatchString(v) {
			return fmt.Errorf("must match %s", in.Pattern.Value)
		}
		return nil
	}
}

// renderDefault renders a default such as "{{ .Env.USER }}". A default that
// renders empty counts as no default.
func renderDefault(in *config.Input, env map[string]string, project string) (string, bool, error) {
	if in.Default == nil {
		return "", false, nil
	}
	t, err := config.ParseDefault(in.Name, in.Default.Value)
	if err != nil {
		return "", false, fmt.Errorf("input %q: default: %w", in.Name, err)
	}
	var b strings.Builder
	data := map[string]any{"Env": env, "OS": runtime.GOOS, "Arch": runtime.GOARCH, "Project": project}
	if err := t.Execute(&b, data); err != nil {
		return "", false, fmt.Errorf("input %q: default: %w", in.Name, err)
	}
	v := strings.ReplaceAll(b.String(), "<no value>", "")
	return v, v != "", nil
}

// Generate returns n random letters and digits from crypto/rand.
func Generate(n int) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b), nil
}

func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
