package config

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
)

// InputEnvName is the environment variable that answers, and later
// carries, an input: ONBOARD_INPUT_DB_PASSWORD for db_password.
func InputEnvName(name string) string { return "ONBOARD_INPUT_" + strings.ToUpper(name) }

// ParseDefault parses an input's default, which is a template over .Env,
// .OS, .Arch and .Project. validate and the run parse it the same way, so
// a default that validate passes cannot fail to parse later.
func ParseDefault(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=zero").Parse(text)
}

// templateErrPrefix is how text/template starts a parse error:
// `template: NAME:LINE: message`.
// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var templateErrPrefix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^template: [^:]*:(\d+): `) })

// validateInputs reports what only shows across inputs or inside a value:
// two names that are one environment variable, and defaults that are not
// templates.
func validateInputs(f *File, errs *ErrorList) {
	byEnv := map[string]*Input{}
	for _, in := range f.Inputs {
		env := InputEnvName(in.Name)
		if first, ok := byEnv[env]; ok {
			// One variable would carry both answers: the later one wins,
			// and a secret could be taken for the other input.
			errs.add(in.Pos, "input %q and input %q (line %d) would both be %s; rename one of them", in.Name, first.Name, first.Pos.Line, env)
		} else {
			byEnv[env] = in
		}
		if in.Default == nil {
			continue
		}
		if _, err := ParseDefault(in.Name, in.Default.Value); err != nil {
			msg := err.Error()
			if m := templateErrPrefix().FindStringSubmatch(msg); m != nil {
				msg = msg[len(m[0]):]
				if line, _ := strconv.Atoi(m[1]); line > 1 {
					msg += " (on line " + m[1] + " of the default)"
				}
			}
			errs.add(in.Default.Pos, "input %q: default is not a valid template: %s", in.Name, msg)
		}
	}
}
