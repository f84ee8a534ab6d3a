package dotenv

import (
	"bytes"
	"strings"
)

// Values is the value each key of data has: the last one assigned, as a
// shell sourcing the file would see it.
func Values(data []byte) map[string]string {
	out := map[string]string{}
	for _, l := range Parse(data) {
		if l.Key != "" {
			out[l.Key] = l.Value
		}
	}
	return out
}

// Update gives each of keys in user the value it has in rendered: the line
// that assigns it last in user is replaced by the line that assigns it
// last in rendered, with user's line ending. Every other line stays as it
// is; a key user lacks, or rendered lacks, is left alone (Merge adds the
// former).
func Update(user, rendered []byte, keys []string) []byte {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	from := map[string]string{}
	for _, l := range Parse(rendered) {
		if want[l.Key] {
			from[l.Key] = l.Raw
		}
	}
	lines := Parse(user)
	last := map[string]int{}
	for i, l := range lines {
		if want[l.Key] {
			last[l.Key] = i
		}
	}
	eol := "\n"
	if bytes.Contains(user, []byte("\r\n")) {
		eol = "\r\n"
	}
	var b strings.Builder
	for i, l := range lines {
		raw, ok := from[l.Key]
		if !ok || last[l.Key] != i {
			b.WriteString(l.Raw)
			continue
		}
		raw = strings.ReplaceAll(strings.TrimRight(raw, "\r\n"), "\r\n", "\n")
		b.WriteString(strings.ReplaceAll(raw, "\n", eol))
		if strings.HasSuffix(l.Raw, "\n") {
			b.WriteString(eol)
		}
	}
	return []byte(b.String())
}
