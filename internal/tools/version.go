package tools

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	goversion "github.com/hashicorp/go-version"
)

var (
	// "1.8.0_392": a Java update number.
	// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
	javaUpdate = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+(?:\.\d+)*)_(\d+)(.*)$`) })
	// "3.1.2p20": a Ruby patch level.
	rubyPatch = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+(?:\.\d+)*)p(\d+)(.*)$`) })
	// "1.26rc1", "3.13.0a4", "3.4.0preview1": a prerelease glued to the
	// numbers, optionally with a dot before its number ("1.0beta.2").
	gluedPre = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\d+(?:\.\d+)*)(a|b|alpha|beta|rc|pre|preview|dev)(\.?\d*)$`)
	})
)

// Normalize rewrites a version as a tool prints it into the form
// hashicorp/go-version parses and orders as the tool means it:
//
//   - surrounding space, a leading "v" and trailing punctuation are removed:
//     "v20.20.2" → "20.20.2", "28.2.2," → "28.2.2";
//   - a Java update number becomes build metadata: "1.8.0_392" → "1.8.0+392"
//     (equal to 1.8.0 in comparisons, like any build metadata);
//   - a Ruby patch level becomes build metadata: "3.1.2p20" → "3.1.2+p20";
//   - a prerelease glued to the numbers gets its dash, and the numbers are
//     padded to three: "1.26rc1" → "1.26.0-rc1", "3.13.0a4" → "3.13.0-a4";
//   - a second "+" inside build metadata becomes ".":
//     "3.9.0+3.el8+ge09b16a" → "3.9.0+3.el8.ge09b16a".
//
// Anything else is returned trimmed but unchanged; go-version already reads
// "1.32.4-dispatcher", "2.29.7-desktop.1" and "3.0.2+g19e47ee".
func Normalize(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimLeft(v, "vV")
	v = strings.TrimRightFunc(v, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	})
	if m := javaUpdate().FindStringSubmatch(v); m != nil {
		v = m[1] + m[3] + "+" + m[2]
	} else if m := rubyPatch().FindStringSubmatch(v); m != nil {
		v = m[1] + m[3] + "+p" + m[2]
	} else if m := gluedPre().FindStringSubmatch(v); m != nil {
		v = pad3(m[1]) + "-" + m[2] + strings.TrimPrefix(m[3], ".")
	}
	if i := strings.IndexByte(v, '+'); i >= 0 {
		v = v[:i+1] + strings.ReplaceAll(v[i+1:], "+", ".")
	}
	return v
}

// pad3 pads "1.26" to "1.26.0" and "21" to "21.0.0".
func pad3(core string) string {
	for n := strings.Count(core, "."); n < 2; n++ {
		core += ".0"
	}
	return core
}

// ParseVersion parses a version printed by a tool, after [Normalize].
func ParseVersion(v string) (*goversion.Version, error) {
	parsed, err := goversion.NewVersion(Normalize(v))
	if err != nil {
		return nil, fmt.Errorf("%q is not a version onboard can compare", v)
	}
	return parsed, nil
}

// Satisfies reports whether version (as a tool printed it, see [Normalize])
// meets constraint, written in hashicorp/go-version syntax (">= 1.22",
// "~> 25.1", ">= 1.20, < 2"). An empty constraint accepts any version.
//
// Prereleases compare by their core version unless the constraint itself
// names a prerelease: go1.26rc1 satisfies ">= 1.22" and ">= 1.26" (someone
// trying a release candidate has that release), although go-version alone
// would refuse both. A constraint such as ">= 1.26.0-rc2" keeps go-version's
// own rules, under which only prereleases of 1.26.0 can match it.
//
// It returns an error if the constraint or the version cannot be parsed.
func Satisfies(constraint, version string) (bool, error) {
	if strings.TrimSpace(constraint) == "" {
		if _, err := ParseVersion(version); err != nil {
			return false, err
		}
		return true, nil
	}
	cs, err := goversion.NewConstraint(constraint)
	if err != nil {
		return false, fmt.Errorf("version constraint %q: %w", constraint, err)
	}
	v, err := ParseVersion(version)
	if err != nil {
		return false, err
	}
	if v.Prerelease() != "" && !namesPrerelease(cs) {
		v = v.Core()
	}
	return cs.Check(v), nil
}

func namesPrerelease(cs goversion.Constraints) bool {
	for _, c := range cs {
		if c.Prerelease() {
			return true
		}
	}
	return false
}
