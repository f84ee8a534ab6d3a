// Package diff shows how two texts differ, as `diff -u` does, for the
// person who must decide between them: a file of theirs and the one onboard
// would write. Secrets are masked, because the texts are often env files.
package diff

import (
	"fmt"
	"strings"

	"github.com/onboard-dev/onboard/internal/mask"
)

// context is how many unchanged lines surround a change, as in `diff -u`.
const context = 3

// Unified is `diff -u` of two texts with three lines of context, headed
// by aName and bName. Texts too large for its simple quadratic algorithm
// are shown whole, as removed and added (see edits).
func Unified(aName, bName string, a, b []byte) string {
	ops := edits(splitLines(a), splitLines(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	// ai[k] and bi[k] count the lines of a and b before ops[k]: the line
	// numbers of the hunk headers.
	ai, bi := make([]int, len(ops)+1), make([]int, len(ops)+1)
	for k, o := range ops {
		ai[k+1], bi[k+1] = ai[k], bi[k]
		if o.kind != added {
			ai[k+1]++
		}
		if o.kind != removed {
			bi[k+1]++
		}
	}
	// Walk the changes, growing each hunk while the next change is within
	// two contexts of the last one, so that hunks never overlap.
	for k := 0; k < len(ops); {
		if ops[k].kind == same {
			k++
			continue
		}
		start, end := max(0, k-context), k
		for end < len(ops) {
			if ops[end].kind != same {
				end++
				continue
			}
			next := end
			for next < len(ops) && ops[next].kind == same {
				next++
			}
			if next == len(ops) || next-end > 2*context {
				end = min(len(ops), end+context)
				break
			}
			end = next
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(ai[start], ai[end]), hunkRange(bi[start], bi[end]))
		for _, o := range ops[start:end] {
			out.WriteByte(byte(o.kind))
			out.WriteString(o.line)
			if !strings.HasSuffix(o.line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		k = end
	}
	return out.String()
}

// Masked is Unified with every secret replaced by mask.Replacement, in the
// names as in the lines: a diff is shown on a terminal and kept in logs.
func Masked(secrets []string, aName, bName string, a, b []byte) string {
	return mask.New(secrets).String(Unified(aName, bName, a, b))
}

// hunkRange is a hunk header's "start,length" for lines [from, to).
func hunkRange(from, to int) string {
	if to == from {
		return fmt.Sprintf("%d,0", from)
	}
	return fmt.Sprintf("%d,%d", from+1, to-from)
}

// splitLines splits text after each newline: a last line without one stays
// different from the same line with one, as in `diff`.
func splitLines(b []byte) []string {
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
