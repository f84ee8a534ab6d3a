//go:build unix

package steps

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

// CheckTemplates reads a src through the same guards as the step: a src
// inside .git, or through a symlink out, is not read (the step reports
// it), while a src in the checkout is checked for unknown inputs.
func TestCheckTemplatesGuards(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "t"), "{{ .Inputs.outside }}\n")
	root := t.TempDir()
	for _, name := range []string{"t", ".git/config"} {
		write(t, filepath.Join(root, name), "{{ .Inputs.nope }}\n")
	}
	if err := os.Symlink(filepath.Join(outside, "t"), filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	step := func(id, src string) *config.Step {
		return &config.Step{ID: config.String{Value: id}, Kind: config.KindTemplate,
			Template: &config.Template{Src: config.String{Value: src}, Dest: config.String{Value: id + ".out"}}}
	}
	f := &config.File{Path: "onboard.yaml", Steps: []*config.Step{step("git", ".git/config"), step("link", "out"), step("ok", "t")}}
	err := CheckTemplates(f, root)
	if err == nil {
		t.Fatal("no error for the unknown input of t")
	}
	msg := err.Error()
	if !strings.Contains(msg, `step "ok": template t uses .Inputs.nope`) || strings.Contains(msg, `"git"`) || strings.Contains(msg, "outside") {
		t.Errorf("got %q", msg)
	}
}
