// Package mask hides secret values in everything onboard shows or keeps:
// terminal output, logs, --json events, state, diffs and error messages.
package mask

import (
	"os"
	"sort"
	"strings"
)

// Replacement is what a secret becomes.
const Replacement = "****"

// minLen is the shortest value worth masking: replacing every "a" in the
// output would hide more than it protects.
const minLen = 3

// Masker replaces known secret values. The zero value masks nothing.
type Masker struct {
	r *strings.Replacer
}

// New returns a Masker for these values. A multi-line value is also masked
// line by line, because output is often cut at line ends.
func New(secrets []string) *Masker {
	var vals []string
	seen := map[string]bool{}
	add := func(v string) {
		v = strings.TrimRight(v, "\r")
		if len(v) >= minLen && !seen[v] {
			seen[v] = true
			vals = append(vals, v)
		}
	}
	for _, s := range secrets {
		add(s)
		if strings.Contains(s, "\n") {
			for _, line := range strings.Split(s, "\n") {
				add(line)
			}
		}
	}
	if len(vals) == 0 {
		return &Masker{}
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	pairs := make([]string, 0, 2*len(vals))
	for _, v := range vals {
		pairs = append(pairs, v, Replacement)
	}
	return &Masker{r: strings.NewReplacer(pairs...)}
}

// String masks s.
func (m *Masker) String(s string) string {
	if m == nil || m.r == nil {
		return s
	}
	return m.r.Replace(s)
}

// File masks a file in place (a log written by a child process), keeping
// its mode. Values split across the child's writes are whole in the file.
func (m *Masker) File(path string) error {
	if m == nil || m.r == nil {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	masked := m.r.Replace(string(data))
	if masked == string(data) {
		return nil
	}
	return os.WriteFile(path, []byte(masked), 0o600)
}
