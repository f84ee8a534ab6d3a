package ui

import (
	"fmt"

	"github.com/onboard-dev/onboard/internal/engine"
)

// skips lists, under the summary, the items a person skipped on purpose
// (`onboard skip`), with who, when and why: a skip is a decision, and
// everyone who reads the run should see it was made.
func (r *Reporter) skips(s *engine.Summary) {
	if len(s.Skips) == 0 {
		return
	}
	fmt.Fprintf(r.out, "\n%s\n", r.st.bold("Skipped on purpose (`onboard unskip ID` runs them again):"))
	for _, k := range s.Skips {
		sk := engine.Skip{Reason: k.Reason, User: k.User, At: k.At}
		fmt.Fprintf(r.out, "  • %s: %s\n", label(k.ID), sk.Describe())
	}
}
