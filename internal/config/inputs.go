package config

import "strings"

// InputEnvName is the environment variable that answers, and later
// carries, an input: ONBOARD_INPUT_DB_PASSWORD for db_password.
func InputEnvName(name string) string { return "ONBOARD_INPUT_" + strings.ToUpper(name) }

// validateInputs reports what only shows across inputs: two names that are
// one environment variable.
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
	}
}
