package pins

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	version "github.com/hashicorp/go-version"
)

// contentLines splits text into trimmed, non-empty lines with comments
// (from the comment marker to the end of the line) removed.
func contentLines(text, comment string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, comment); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// firstWord is the version in one-version files (.nvmrc, .python-version…):
// the first word of the first line that is not a comment. pyenv allows
// several lines (several Pythons); the first is the one `python` runs.
func firstWord(file, text, example string) (string, error) {
	lines := contentLines(text, "#")
	if len(lines) == 0 {
		return "", emptyError(file, example)
	}
	return strings.Fields(lines[0])[0], nil
}

func emptyError(file, example string) error {
	return errorf(file, "is empty; it should hold a version like %s", example)
}

var (
	// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
	numeric    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?(\d{1,9}(?:\.\d{1,9})*)$`) })
	prerelease = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^v?\d+(\.\d+)*[-.]?(alpha|beta|preview|pre|rc|dev|a|b)[-.]?\d*$`)
	})
	digit = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d`) })
)

// release turns the version v (raw with any distribution prefix already
// removed) into a Pin with the "same minor, newer patch" constraint.
func release(file, raw, v, example string) (Pin, error) {
	m := numeric().FindStringSubmatch(v)
	if m == nil {
		return Pin{}, notNumber(file, raw, example)
	}
	var segs [3]int
	parts := strings.Split(m[1], ".")
	for i := 0; i < len(parts) && i < 3; i++ {
		segs[i], _ = strconv.Atoi(parts[i]) // at most 9 digits: cannot fail
	}
	var c string
	switch len(parts) {
	case 1:
		c = fmt.Sprintf(">= %d, < %d", segs[0], segs[0]+1)
	case 2:
		c = fmt.Sprintf(">= %d.%d, < %d.%d", segs[0], segs[1], segs[0], segs[1]+1)
	default:
		// A fourth number and beyond (corretto-17.0.9.8.1) is a vendor
		// build: the tool reports only X.Y.Z, so that is what is compared.
		c = fmt.Sprintf(">= %d.%d.%d, < %d.%d", segs[0], segs[1], segs[2], segs[0], segs[1]+1)
	}
	return Pin{Raw: raw, Resolved: m[1], Constraint: c}, nil
}

// notNumber says why raw is not a version onboard can check.
func notNumber(file, raw, example string) error {
	switch {
	case raw == "system":
		return errorf(file, "%q means whatever is installed; onboard needs a version number to check, like %s", raw, example)
	case strings.HasPrefix(raw, "ref:"), strings.HasPrefix(raw, "path:"):
		return errorf(file, "%q is not a released version; pin a number like %s", raw, example)
	case !digit().MatchString(raw):
		// lts/iron, lts/*, node, stable, latest: resolving them needs the
		// network and changes over time, so there is nothing to compare to.
		return errorf(file, "%q is an alias; onboard checks versions offline, so pin a number like %s", raw, example)
	case prerelease().MatchString(raw):
		return errorf(file, "%q is a pre-release; onboard checks release versions, so pin one like %s", raw, example)
	}
	return errorf(file, "%q is not a version number; write one like %s", raw, example)
}

// parseNode reads .nvmrc and .node-version: "20", "v20.11.1".
func parseNode(file, _, text string) (Pin, error) {
	v, err := firstWord(file, text, "20.11.1")
	if err != nil {
		return Pin{}, err
	}
	return release(file, v, v, "20.11.1")
}

// parsePython reads .python-version (pyenv): "3.12.1", "3.12".
func parsePython(file, _, text string) (Pin, error) {
	v, err := firstWord(file, text, "3.12.1")
	if err != nil {
		return Pin{}, err
	}
	return release(file, v, v, "3.12.1")
}

// parseRuby reads .ruby-version (rbenv, chruby, rvm): "3.2.2", "ruby-3.2.2".
func parseRuby(file, _, text string) (Pin, error) {
	v, err := firstWord(file, text, "3.2.2")
	if err != nil {
		return Pin{}, err
	}
	return release(file, v, strings.TrimPrefix(v, "ruby-"), "3.2.2")
}

// parseTerraform reads .terraform-version (tfenv): "1.7.0".
func parseTerraform(file, _, text string) (Pin, error) {
	v, err := firstWord(file, text, "1.7.0")
	if err != nil {
		return Pin{}, err
	}
	if v == "min-required" || v == "latest-allowed" || strings.HasPrefix(v, "latest") {
		return Pin{}, errorf(file, "%q asks tfenv to pick a version online; onboard checks versions offline, so pin a number like 1.7.0", v)
	}
	return release(file, v, v, "1.7.0")
}

// asdfNames maps checklist tool names to the names asdf plugins use in
// .tool-versions where the two differ.
var asdfNames = map[string]string{
	"node":    "nodejs",
	"python3": "python",
	"go":      "golang",
	"rustc":   "rust",
	"cargo":   "rust",
}

// asdfExamples are versions for error messages, by asdf name.
var asdfExamples = map[string]string{
	"nodejs":    "20.11.1",
	"python":    "3.12.1",
	"golang":    "1.22.3",
	"ruby":      "3.2.2",
	"terraform": "1.7.0",
	"java":      "temurin-17.0.9+9",
	"rust":      "1.75.0",
}

// parseToolVersions reads asdf's .tool-versions: lines of "name version
// [fallback…]". The first version is the one asdf uses.
func parseToolVersions(file, tool, text string) (Pin, error) {
	name := tool
	if n, ok := asdfNames[tool]; ok {
		name = n
	}
	example := asdfExamples[name]
	if example == "" {
		example = "1.2.3"
	}
	lines := contentLines(text, "#")
	if len(lines) == 0 {
		return Pin{}, errorf(file, "is empty; it should hold a line like %q", name+" "+example)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		// mise also accepts the tool's own name ("node", "go"), so take either.
		if f[0] != name && f[0] != tool {
			continue
		}
		if len(f) < 2 {
			return Pin{}, errorf(file, "the %s line has no version; write one like %q", f[0], name+" "+example)
		}
		raw := f[1]
		switch name {
		case "java":
			return release(file, raw, javaVersion(raw), "17.0.9")
		case "rust":
			return rustRelease(file, raw)
		}
		return release(file, raw, raw, example)
	}
	what := name
	if name != tool {
		what = fmt.Sprintf("%s (the checklist's %s)", name, tool)
	}
	return Pin{}, errorf(file, "has no line for %s; add one like %q", what, name+" "+example)
}

var (
	// javaDist is an asdf-java name: distribution, "-", version, then an
	// optional build ("temurin-17.0.9+9", "liberica-javafx-17.0.9+11").
	javaDist = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*?-(\d+(?:\.\d+)*)(?:[+_].*)?$`)
	})
	javaPlain = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+(?:\.\d+)*)[+_].*$`) })
)

// javaVersion extracts the Java version from an asdf-java or mise name;
// what is left when nothing matches is reported as not a number.
func javaVersion(raw string) string {
	if m := javaDist().FindStringSubmatch(raw); m != nil {
		return m[1]
	}
	if m := javaPlain().FindStringSubmatch(raw); m != nil {
		return m[1]
	}
	return raw
}

var (
	rustChannel = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(stable|beta|nightly)(-.*)?$`) })
	// rustHost is a version with a host triple: "1.75.0-x86_64-unknown-linux-gnu".
	rustHost = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+\.\d+(?:\.\d+)?)-[a-z0-9_]+-[a-z0-9_.-]+$`) })
)

func rustRelease(file, raw string) (Pin, error) {
	if rustChannel().MatchString(raw) {
		return Pin{}, errorf(file, "%q is a channel name, not a version; onboard cannot check a channel, so pin a number like 1.75.0", raw)
	}
	v := raw
	if m := rustHost().FindStringSubmatch(raw); m != nil {
		v = m[1]
	}
	return release(file, raw, v, "1.75.0")
}

// parseRustToolchain reads rust-toolchain.toml, and rust-toolchain, which is
// either the same TOML or (the legacy form) just the channel.
func parseRustToolchain(file, _, text string) (Pin, error) {
	lines := contentLines(text, "#")
	if len(lines) == 0 {
		return Pin{}, errorf(file, "is empty; it should hold [toolchain] with channel = \"1.75.0\"")
	}
	if !strings.HasPrefix(lines[0], "[") && !strings.Contains(lines[0], "=") {
		return rustRelease(file, strings.Fields(lines[0])[0])
	}
	// A minimal TOML reader: onboard needs one key, and a TOML library
	// would be a dependency for it.
	section := ""
	for _, l := range lines {
		if strings.HasPrefix(l, "[") {
			section = strings.TrimSpace(strings.Trim(l, "[]"))
			continue
		}
		key, val, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		if !(section == "toolchain" && key == "channel") && !(section == "" && key == "toolchain.channel") {
			continue
		}
		val = strings.TrimSpace(val)
		if len(val) < 2 || (val[0] != '"' && val[0] != '\'') || val[len(val)-1] != val[0] {
			return Pin{}, errorf(file, "the channel value must be quoted, like channel = \"1.75.0\"")
		}
		return rustRelease(file, val[1:len(val)-1])
	}
	return Pin{}, errorf(file, "has no channel in [toolchain]; add channel = \"1.75.0\"")
}

var goVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+\.\d+(\.\d+)?((rc|beta)\d+)?$`) })

// parseGoMod reads the go and toolchain lines of go.mod. Unlike the other
// files it yields a minimum, not a range; see [Read] for why.
func parseGoMod(file, _, text string) (Pin, error) {
	lines := contentLines(text, "//")
	if len(lines) == 0 {
		return Pin{}, errorf(file, "is empty; it should hold a line like \"go 1.22\"")
	}
	var goLine, toolchain string
	inBlock := false // go and toolchain are never inside require ( … ) blocks
	for _, l := range lines {
		f := strings.Fields(l)
		switch {
		case inBlock:
			inBlock = f[0] != ")"
		case f[len(f)-1] == "(":
			inBlock = true
		case f[0] == "go" && goLine == "":
			if len(f) != 2 || !goVersion().MatchString(f[1]) {
				return Pin{}, errorf(file, "%q is not a Go version line; write one like \"go 1.22\"", l)
			}
			goLine = f[1]
		case f[0] == "toolchain" && toolchain == "":
			if len(f) != 2 {
				return Pin{}, errorf(file, "%q is not a toolchain line; write one like \"toolchain go1.22.5\"", l)
			}
			toolchain = f[1]
		}
	}
	raw, min := goLine, goLine
	// "toolchain default" means no suggestion; anything else names a Go,
	// with an optional custom-build suffix ("go1.22.5-bigcorp").
	if toolchain != "" && toolchain != "default" {
		v, ok := strings.CutPrefix(toolchain, "go")
		if i := strings.IndexAny(v, "-+"); i >= 0 {
			v = v[:i]
		}
		if !ok || !goVersion().MatchString(v) {
			return Pin{}, errorf(file, "toolchain %q is not a Go toolchain name; write one like go1.22.5", toolchain)
		}
		if min == "" || newer(v, min) {
			raw, min = toolchain, v
		}
	}
	if min == "" {
		return Pin{}, errorf(file, "has no go line; add one like \"go 1.22\"")
	}
	return Pin{Raw: raw, Resolved: min, Constraint: ">= " + min}, nil
}

// newer reports whether Go version a is newer than b. Both passed goVersion,
// which go-version parses.
func newer(a, b string) bool {
	va, err1 := version.NewVersion(a)
	vb, err2 := version.NewVersion(b)
	return err1 == nil && err2 == nil && va.GreaterThan(vb)
}
