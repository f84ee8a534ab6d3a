package lastrun

import (
	"strings"

	"github.com/onboard-dev/onboard/internal/engine"
)

// Category is the one likely cause a report gives a failure.
type Category string

// The categories, as the report names them.
const (
	CauseTool       Category = "tool missing or wrong version"
	CausePort       Category = "a port taken"
	CauseNetwork    Category = "a network or auth failure"
	CausePermission Category = "a permission"
	CauseNoFix      Category = "an item that did not fix"
	CauseChecklist  Category = "a checklist error"
)

// Cause is a category and the evidence it was read from.
type Cause struct {
	Category Category `json:"category"`
	// Evidence is the text that decided it, or why nothing more
	// specific was found.
	Evidence string `json:"evidence"`
}

// clue is a piece of text that points at a category. Order matters: the
// first match wins, so "permission denied (publickey)" is an auth failure
// before it is a permission, and "did not fix" is read before the output
// that follows it.
type clue struct {
	text     string
	category Category
}

var clues = []clue{
	{"the fix did not fix", CauseNoFix},
	{"address already in use", CausePort},
	{"port is already allocated", CausePort},
	{"is already in use", CausePort},
	{"already in use", CausePort}, // "port 5432 already in use"
	{"permission denied (publickey", CauseNetwork},
	{"authentication failed", CauseNetwork},
	{"authentication required", CauseNetwork},
	{"could not read username", CauseNetwork},
	{"401 unauthorized", CauseNetwork},
	{"403 forbidden", CauseNetwork},
	{"host key", CauseNetwork},
	{"could not resolve", CauseNetwork},
	{"no such host", CauseNetwork},
	{"temporary failure in name resolution", CauseNetwork},
	{"connection refused", CauseNetwork},
	{"connection reset", CauseNetwork},
	{"network is unreachable", CauseNetwork},
	{"i/o timeout", CauseNetwork},
	{"tls handshake", CauseNetwork},
	{"certificate", CauseNetwork},
	{"command not found", CauseTool},
	{"executable file not found", CauseTool},
	{"is installed (", CauseTool}, // a tool's "is installed (…), but the checklist needs …"
	{"permission denied", CausePermission},
	{"operation not permitted", CausePermission},
	{"read-only file system", CausePermission},
	{"access is denied", CausePermission},
	{"eacces", CausePermission},
	{"not writable", CausePermission},
}

// Classify gives the failed item one likely cause, from its outcome, id,
// detail and output. When nothing more specific is recognised the cause is
// the checklist's: the step as written does not work on this machine.
func Classify(it *Item) Cause {
	text := strings.ToLower(it.Detail + "\n" + strings.Join(it.Output, "\n"))
	for _, c := range clues {
		if strings.Contains(text, c.text) {
			return Cause{Category: c.category, Evidence: evidence(it, c.text)}
		}
	}
	if engine.ID(it.ID).Kind() == engine.KindTool {
		return Cause{Category: CauseTool, Evidence: it.Detail}
	}
	return Cause{Category: CauseChecklist, Evidence: "no more specific cause is recognisable in its output: the item as the checklist writes it does not work on this machine"}
}

// ClassifyProblems is the cause of a run stopped by its preflight (no
// item ran): the first problem that names a category, else the checklist's.
func ClassifyProblems(problems []string) Cause {
	for _, p := range problems {
		c := Classify(&Item{Detail: p})
		if c.Category != CauseChecklist {
			return c
		}
	}
	ev := ""
	if len(problems) > 0 {
		ev = problems[0]
	}
	return Cause{Category: CauseChecklist, Evidence: ev}
}

// evidence is the line that holds the clue: the output's last such line
// first (a failure's reason is usually at its end), then the detail's.
func evidence(it *Item, clue string) string {
	for i := len(it.Output) - 1; i >= 0; i-- {
		if strings.Contains(strings.ToLower(it.Output[i]), clue) {
			return strings.TrimSpace(it.Output[i])
		}
	}
	for _, line := range strings.Split(it.Detail, "\n") {
		if strings.Contains(strings.ToLower(line), clue) {
			return strings.TrimSpace(line)
		}
	}
	return it.Detail
}
