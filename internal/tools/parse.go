package tools

import (
	"regexp"
	"strings"
	"sync"
)

// Match is what [ParseOutput] found in a tool's output.
type Match struct {
	// Version is the pattern's first capture group, e.g. "1.26rc1".
	Version string
	// Line is the whole output line the version was found on.
	Line string
}

// ansiEscape matches terminal escape sequences (colours, bold) that some
// tools print even when their output is not a terminal; mvn does.
// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var ansiEscape = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]`) })

// CleanOutput removes ANSI escape sequences and carriage returns from a
// tool's output, so that patterns and messages see plain text.
func CleanOutput(output string) string {
	output = ansiEscape().ReplaceAllString(output, "")
	return strings.ReplaceAll(output, "\r", "")
}

// ParseOutput finds the version in output (a tool's combined stdout and
// stderr) with pattern, whose first capture group is the version. The output
// is cleaned with [CleanOutput] first. It reports false if the pattern does
// not match or its first group is empty.
func ParseOutput(pattern *regexp.Regexp, output string) (Match, bool) {
	output = CleanOutput(output)
	loc := pattern.FindStringSubmatchIndex(output)
	if len(loc) < 4 || loc[2] < 0 || loc[2] == loc[3] {
		return Match{}, false
	}
	start := strings.LastIndexByte(output[:loc[2]], '\n') + 1
	end := len(output)
	if i := strings.IndexByte(output[loc[2]:], '\n'); i >= 0 {
		end = loc[2] + i
	}
	return Match{Version: output[loc[2]:loc[3]], Line: output[start:end]}, true
}

// FirstLine returns the first non-blank line of a tool's output, cleaned and
// trimmed; "" if there is none.
func FirstLine(output string) string {
	for line := range strings.SplitSeq(CleanOutput(output), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}
