package cli

import (
	"strings"
	"testing"
)

// A workflow command's message and properties are escaped as the runner
// reads them, so a multi-line or '%'-holding message stays one annotation.
func TestAnnotateEscapes(t *testing.T) {
	for _, tc := range []struct {
		file, msg string
		line      int
		want      string
	}{
		{"onboard.yaml", "plain", 12, "::error file=onboard.yaml,line=12::plain\n"},
		{"onboard.yaml", "50% done\nsecond line\r", 3, "::error file=onboard.yaml,line=3::50%25 done%0Asecond line%0D\n"},
		{"a,b:c.yaml", "x: y", 0, "::error file=a%2Cb%3Ac.yaml::x: y\n"},
	} {
		var b strings.Builder
		annotate(&b, "error", tc.file, tc.line, tc.msg)
		if b.String() != tc.want {
			t.Errorf("annotate(%q, %d, %q) = %q, want %q", tc.file, tc.line, tc.msg, b.String(), tc.want)
		}
	}
}
