package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestFixtures reads the version out of every recorded real output in
// testdata/probes/<tool>/*.txt with the tool's built-in pattern.
func TestFixtures(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("testdata", "probes"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, dir := range dirs {
		if !dir.IsDir() {
			continue
		}
		tool := strings.ReplaceAll(dir.Name(), "_", " ")
		entry, ok := Lookup(tool)
		if !ok {
			t.Errorf("testdata/probes/%s: no built-in tool %q", dir.Name(), tool)
			continue
		}
		files, err := filepath.Glob(filepath.Join("testdata", "probes", dir.Name(), "*.txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			covered[tool] = true
			t.Run(dir.Name()+"/"+strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
				output, want := readFixture(t, file)
				got, ok := entry.Parse(output)
				if want == "" {
					if ok {
						t.Fatalf("pattern `%s` found %q in output that holds no version", entry.Pattern, got)
					}
					return
				}
				if !ok {
					t.Fatalf("pattern `%s` found no version in:\n%s", entry.Pattern, output)
				}
				if got != want {
					t.Fatalf("version = %q, want %q", got, want)
				}
				if _, err := ParseVersion(got); err != nil {
					t.Errorf("the extracted version cannot be compared: %v", err)
				}
			})
		}
	}
	for _, name := range Names() {
		if !covered[name] {
			t.Errorf("built-in tool %q has no fixture in testdata/probes/%s/", name, strings.ReplaceAll(name, " ", "_"))
		}
	}
}

// readFixture returns the output and want sections of a fixture and checks
// that its header says where the output came from.
func readFixture(t *testing.T, file string) (output, want string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	comment := string(ar.Comment)
	if !strings.Contains(comment, "command: ") || !strings.Contains(comment, "source: ") {
		t.Errorf("%s: the header must have a command: line and a source: line", file)
	}
	sections := map[string]string{}
	for _, f := range ar.Files {
		sections[f.Name] = string(f.Data)
	}
	output, okOut := sections["output"]
	want, okWant := sections["want"]
	if !okOut || !okWant || len(ar.Files) != 2 {
		t.Fatalf("%s: want exactly an output and a want section", file)
	}
	return output, strings.TrimSpace(want)
}
