package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// Traps: YAML that loads without complaint but does not mean what its
// author wrote. Each gets a message that names the fix, not the symptom.

// osAliases are the names people write for an OS that Go (and so `when:
// {os: …}` and `install:`) spells otherwise. An edit distance does not
// find darwin from macos.
var osAliases = map[string]string{
	"macos": "darwin", "mac": "darwin", "osx": "darwin", "macosx": "darwin",
	"win": "windows", "win32": "windows", "win64": "windows",
	"ubuntu": "linux", "debian": "linux", "fedora": "linux", "centos": "linux", "alpine": "linux",
}

// suggestOS is suggest for OS names, aliases first.
func suggestOS(v string) string {
	if goos, ok := osAliases[strings.ToLower(v)]; ok {
		return fmt.Sprintf(" (did you mean %q? onboard names OSes as Go does)", goos)
	}
	return suggest(v, knownOS)
}

// restartBool reports `restart: true|false`: a boolean is no policy, and
// "quote it" would only turn it into an unknown one.
func restartBool(d *decoder, n *yaml.Node, what string) bool {
	r := d.resolve(n)
	if r == nil || r.Kind != yaml.ScalarNode || r.Tag != "!!bool" {
		return false
	}
	fix := "use on-failure or always"
	if strings.EqualFold(r.Value, "false") {
		fix = "use no (the default)"
	}
	d.errorf(r, "%s: %s is not a restart policy: %s", what, r.Value, fix)
	return true
}

// cutByComment warns when an unquoted text holds " #": YAML reads the rest
// of the line as a comment, so `manual: Ask #eng-access for a VPN` asks
// only "Ask". It is a warning, since the text that is left is valid.
func (d *decoder) cutByComment(n *yaml.Node, what string) {
	r := d.resolve(n)
	if r == nil || r.Kind != yaml.ScalarNode || r.Style != 0 || r.Line < 1 {
		return
	}
	lines := strings.Split(string(d.errs.Source), "\n")
	if r.Line > len(lines) {
		return
	}
	line := lines[r.Line-1]
	// The value starts at its column (counted in characters) and is
	// written as is when plain and on one line.
	start := byteOffset(line, r.Column)
	if start < 0 || !strings.HasPrefix(line[start:], r.Value) {
		return
	}
	rest := line[start+len(r.Value):]
	i := strings.Index(rest, "#")
	if i < 0 || strings.TrimSpace(rest[:i]) != "" || strings.TrimSpace(rest[i+1:]) == "" {
		return
	}
	col := r.Column + utf8.RuneCountInString(r.Value) + utf8.RuneCountInString(rest[:i])
	d.warnings = append(d.warnings, Error{Pos: Pos{r.Line, col},
		Msg: fmt.Sprintf("%s is cut at %q: the rest of this line is a YAML comment; quote the text", what, strings.TrimSpace(rest[i:]))})
}

// byteOffset turns a 1-based character column into a byte offset in line.
func byteOffset(line string, col int) int {
	c := 1
	for i := range line {
		if c == col {
			return i
		}
		c++
	}
	if c == col {
		return len(line)
	}
	return -1
}
