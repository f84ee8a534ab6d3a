package initgen

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/steps"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden runs init's detection on one small repository per convention
// (testdata/repos/NAME) and compares the checklist with
// testdata/golden/NAME.yaml. Each result must also load and pass the
// template checks, as `onboard validate` runs them.
func TestGolden(t *testing.T) {
	repos, err := os.ReadDir(filepath.Join("testdata", "repos"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range repos {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "repos", name)
			c, err := Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Render(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range sortedKeys(c.Files) {
				got = append(got, []byte("\n# --- "+f+" ---\n"+c.Files[f])...)
			}
			golden := filepath.Join("testdata", "golden", name+".yaml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("checklist of %s differs from %s:\n--- got\n%s\n--- want\n%s", dir, golden, got, want)
			}
			loads(t, dir, c)
		})
	}
}

// loads copies the fixture, writes the checklist into it and loads it the
// way `onboard validate` does.
func loads(t *testing.T, dir string, c *Checklist) {
	t.Helper()
	tmp := t.TempDir()
	if err := os.CopyFS(tmp, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	data, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range c.Files {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(tmp, config.FileName)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(path)
	if err != nil {
		t.Fatalf("the checklist does not load:\n%v\n%s", err, data)
	}
	if err := steps.CheckTemplates(f, tmp); err != nil {
		t.Fatalf("the checklist's templates do not check: %v", err)
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
