package cli

import (
	"fmt"
	"strings"

	"github.com/onboard-dev/onboard/internal/inputs"
)

// An answer recorded by `inputs --ask` or `up --set` is remembered, and a
// remembered answer comes after ONBOARD_INPUT_<NAME> in the order of
// precedence: with that variable set, the next run takes the variable's
// value, not the answer just given. That order stays (a variable is how
// CI and scripts answer), but the person who gave the answer is told.

// overriddenBy says, when ONBOARD_INPUT_<NAME> in environ will answer name
// on the next run instead of ans, which variable wins and with what value
// (masked for a secret); "" when no variable is set or it holds the same
// value.
func overriddenBy(name string, ans inputs.Answer, environ []string) string {
	v, ok := inputVar(name, environ)
	if !ok || v == ans.Value {
		return ""
	}
	shown, mine := v, ans.Value
	if ans.Secret {
		shown, mine = "****", "****"
	}
	env := inputs.EnvName(name)
	return fmt.Sprintf("warning: %s=%s is set in your environment, and it wins over the answer %s on the next `onboard`; unset %s to use %s",
		env, shown, mine, env, mine)
}

// inputVar is the value of name's ONBOARD_INPUT_ variable in environ; an
// empty variable counts as unset, as it does for the answers.
func inputVar(name string, environ []string) (string, bool) {
	prefix := inputs.EnvName(name) + "="
	v, found := "", false
	for _, kv := range environ {
		if rest, ok := strings.CutPrefix(kv, prefix); ok {
			v, found = rest, true
		}
	}
	return v, found && v != ""
}

// withoutInputVars is environ without the ONBOARD_INPUT_ variables of
// names.
func withoutInputVars(environ, names []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		drop := false
		for _, n := range names {
			drop = drop || strings.HasPrefix(kv, inputs.EnvName(n)+"=")
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// noteOverridden adds to the source of each --set answer that a variable
// of environ will override on the next run (up remembers it, the next
// run takes the variable), so the checklist line says so:
// "ap (--set; ONBOARD_INPUT_REGION=us in your environment wins over it on
// the next run)".
func noteOverridden(answers map[string]inputs.Answer, environ []string) {
	for name, ans := range answers {
		v, ok := inputVar(name, environ)
		if ans.From != "--set" || !ok || v == ans.Value {
			continue
		}
		if ans.Secret {
			v = "****"
		}
		ans.From += "; " + inputs.EnvName(name) + "=" + v + " in your environment wins over it on the next run"
		answers[name] = ans
	}
}
