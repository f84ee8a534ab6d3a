package inputs

import (
	"github.com/onboard-dev/onboard/internal/config"
)

// Entry is one input as `onboard inputs` lists it: its answer and where
// the answer comes from, as the next `up` would take it.
type Entry struct {
	Name   string
	Value  string // "" when not answered yet
	Secret bool
	// From is "--set", "environment (ONBOARD_INPUT_<NAME>)" (naming a
	// remembered answer the variable wins over), "remembered", "default", or, for
	// an input that no source answers yet, "asked on the next up",
	// "generated on the next up" or "default on the next up".
	From string
}

// Explain says where each input's answer comes from, in the order of
// Resolve, without asking anyone and without generating a value: nothing
// is answered or remembered by looking.
func Explain(f *config.File, src Sources) ([]Entry, error) {
	env := envMap(src.Environ)
	var out []Entry
	for _, in := range f.Inputs {
		e := Entry{Name: in.Name, Secret: in.Secret}
		validate := validator(in)
		if v, ok := src.Set[in.Name]; ok && validate(v) == nil {
			e.Value, e.From = v, "--set"
		} else if v := env[EnvName(in.Name)]; v != "" && validate(v) == nil {
			e.Value, e.From = v, "environment ("+EnvName(in.Name)+")"
			// A remembered answer the variable hides is named, so whoever
			// answered with --ask or --set sees why it is not taken.
			if old, ok := src.Remembered[in.Name]; ok && old != v {
				if in.Secret {
					old = "****"
				}
				e.From = "environment (" + EnvName(in.Name) + ", which wins over the remembered answer " + old + ")"
			}
		} else if v, ok := src.Remembered[in.Name]; ok && validate(v) == nil {
			e.Value, e.From = v, "remembered"
		} else {
			def, hasDefault, err := renderDefault(in, env, src.Project)
			if err != nil {
				return nil, err
			}
			switch {
			case hasDefault:
				e.Value, e.From = def, "default (asked on the next up on a terminal)"
			case in.Generate > 0:
				e.From = "generated on the next up (unless you answer on a terminal)"
			default:
				e.From = "asked on the next up"
			}
		}
		out = append(out, e)
	}
	return out, nil
}
