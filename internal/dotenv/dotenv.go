// Package dotenv reads .env files the way people write them and keeps every
// byte: comments, blank lines, order, `export ` prefixes, quotes and line
// endings. onboard uses it to add the keys a template has and a user's .env
// lacks without touching a line the user wrote.
//
// The syntax is the common one of Docker Compose, godotenv and shells:
//
//	# a comment
//	KEY=value            # an inline comment needs a space before the #
//	export KEY=value
//	KEY="a # is not a comment here; \n is a newline"
//	KEY='literal $text'
//	KEY="a value that
//	spans lines"
//
// A line that is none of these is kept as written and has no key.
package dotenv

import (
	"bytes"
	"strings"
)

// Line is one logical line: a physical line, or several when a quoted
// value spans lines.
type Line struct {
	// Raw is the line exactly as written, with its line ending ("\n",
	// "\r\n", or none at the end of a file without a final newline).
	// Concatenating the Raw of every line gives the file back.
	Raw string
	// Key is the name assigned, or "" for blank lines, comments and
	// anything that is not an assignment.
	Key string
	// Value is the assigned value: unquoted, with \n, \r, \t, \" and \\
	// expanded inside double quotes, taken literally inside single quotes,
	// and without the inline comment and surrounding blanks when unquoted.
	Value string
	// Export is set when the line was written `export KEY=…`.
	Export bool
}

// IsComment reports whether the line is a comment (`# …`).
func (l Line) IsComment() bool {
	return strings.HasPrefix(strings.TrimLeft(l.Raw, " \t"), "#")
}

// Parse splits data into its lines. It never fails: what it does not
// understand is kept as a line without a key.
func Parse(data []byte) []Line {
	s := string(data)
	var lines []Line
	for i := 0; i < len(s); {
		end := lineEnd(s, i)
		l := Line{}
		content := strings.TrimRight(s[i:end], "\r\n")
		text := content
		if i == 0 {
			text = strings.TrimPrefix(text, "\ufeff") // a byte order mark is not part of the key
		}
		if key, export, rest, ok := assignment(text); ok {
			l.Key, l.Export = key, export
			valueAt := i + len(content) - len(rest) // rest is a suffix of the line
			if v, closeAt, ok := quoted(s, valueAt); ok {
				l.Value = v
				end = lineEnd(s, closeAt)
			} else {
				l.Value = unquoted(rest)
			}
		}
		l.Raw = s[i:end]
		lines = append(lines, l)
		i = end
	}
	return lines
}

// lineEnd is the index just past the line ending of the line holding i.
func lineEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(s)
}

// assignment splits `[export ]KEY=rest`; rest starts at the value (blanks
// after the = skipped).
func assignment(text string) (key string, export bool, rest string, ok bool) {
	t := strings.TrimLeft(text, " \t")
	if after, found := strings.CutPrefix(t, "export"); found && len(after) > 0 && (after[0] == ' ' || after[0] == '\t') {
		t, export = strings.TrimLeft(after, " \t"), true
	}
	n := 0
	for n < len(t) && isKeyByte(t[n]) {
		n++
	}
	if n == 0 {
		return "", false, "", false
	}
	key, t = t[:n], strings.TrimLeft(t[n:], " \t")
	if !strings.HasPrefix(t, "=") {
		return "", false, "", false
	}
	return key, export, strings.TrimLeft(t[1:], " \t"), true
}

func isKeyByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// quoted reads a quoted value starting at s[at], possibly across lines. It
// returns the value and the index of the closing quote; ok is false when
// s[at] is not a quote or the quote is never closed (then the line is read
// as unquoted, rather than swallowing the rest of the file).
func quoted(s string, at int) (value string, closeAt int, ok bool) {
	if at >= len(s) || (s[at] != '"' && s[at] != '\'') {
		return "", 0, false
	}
	q := s[at]
	var b strings.Builder
	for i := at + 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i, true
		case q == '"' && c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\':
				b.WriteByte(e)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// A CRLF inside a value is a newline, as on every other line.
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// unquoted is a bare value: up to an inline comment (a # after a blank),
// without surrounding blanks.
func unquoted(rest string) string {
	for i := 1; i < len(rest); i++ {
		if rest[i] == '#' && (rest[i-1] == ' ' || rest[i-1] == '\t') {
			rest = rest[:i]
			break
		}
	}
	return strings.Trim(rest, " \t")
}

// Merge adds to user every key of rendered that user lacks, and returns the
// result and the keys it added, in rendered's order. Added keys go at the
// end, each with the comment lines written directly above it in rendered.
// Nothing the user wrote changes: every existing byte stays, including keys
// rendered does not have. Added lines use the user's line ending. A key
// rendered assigns twice is added once, as last assigned (the value a shell
// sourcing the file would see). When nothing is missing, merged is user.
func Merge(user, rendered []byte) (merged []byte, added []string) {
	have := map[string]bool{}
	for _, l := range Parse(user) {
		if l.Key != "" {
			have[l.Key] = true
		}
	}
	tmpl := Parse(rendered)
	last := map[string]int{}
	for i, l := range tmpl {
		if l.Key != "" {
			last[l.Key] = i
		}
	}
	var block []string
	for i, l := range tmpl {
		if l.Key == "" || have[l.Key] || last[l.Key] != i {
			continue
		}
		start := i
		for start > 0 && tmpl[start-1].IsComment() {
			start--
		}
		for _, c := range tmpl[start : i+1] {
			block = append(block, c.Raw)
		}
		added = append(added, l.Key)
	}
	if len(added) == 0 {
		return user, nil
	}
	eol := "\n"
	if bytes.Contains(user, []byte("\r\n")) {
		eol = "\r\n"
	}
	merged = bytes.Clone(user)
	if len(merged) > 0 && !bytes.HasSuffix(merged, []byte("\n")) {
		merged = append(merged, eol...)
	}
	for _, raw := range block {
		raw = strings.ReplaceAll(strings.TrimRight(raw, "\r\n"), "\r\n", "\n")
		merged = append(merged, strings.ReplaceAll(raw, "\n", eol)+eol...)
	}
	return merged, added
}
