package steps

import (
	"reflect"
	"testing"
)

func TestParseAll(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"{{ .Inputs.x }}\n", nil},
		{"{{ if }}\nok\n{{ end }}\n{{ bogus }}\n", []string{`t:1: missing value for if`, `t:4: function "bogus" not defined`}},
		{"a {{ .X\n", []string{`t:2: unclosed action started at t:1`}},
		{"{{ end }}\n", []string{`t:1: unexpected {{end}}`}},
	} {
		tmpl, errs := parseAll("t", tc.text)
		if !reflect.DeepEqual(errs, tc.want) {
			t.Errorf("parseAll(%q) = %q, want %q", tc.text, errs, tc.want)
		}
		if (tmpl == nil) != (len(tc.want) > 0) {
			t.Errorf("parseAll(%q): template %v with errors %q", tc.text, tmpl, errs)
		}
	}
}

func TestUnknownFields(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"{{ .Inputs.a }}{{ .Env.HOME }}{{ .OS }}{{ .Arch }}{{ .Project }}", 0},
		{"{{ .Input.region }}", 1},
		{"{{ if .Nope }}{{ end }}", 1},
		{"{{ range .Env }}{{ .Anything }}{{ $.Bad }}{{ end }}", 1},
		{"{{ with .Inputs }}{{ .region }}{{ end }}", 0},
	} {
		tmpl, errs := parseAll("t", tc.text)
		if errs != nil {
			t.Fatal(errs)
		}
		if got := unknownFields(tmpl.Tree.Root); len(got) != tc.want {
			t.Errorf("unknownFields(%q) = %q, want %d", tc.text, got, tc.want)
		}
	}
}
