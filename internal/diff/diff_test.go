package diff

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want file of each testdata/*.txtar from the output")

func TestUnified(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"same", "a\n", "a\n", "--- a\n+++ b\n"},
		{"from nothing", "", "x\ny\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"to nothing", "x\ny\n", "", "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n"},
		{
			"two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n",
			"--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n",
		},
		{"close changes share a hunk", "1\n2\n3\n4\n5\n6\n7\n8\n", "X\n2\n3\n4\n5\n6\n7\nY\n",
			"--- a\n+++ b\n@@ -1,8 +1,8 @@\n-1\n+X\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n"},
		{"no final newline", "a\nb", "a\nb\n", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unified("a", "b", []byte(tt.a), []byte(tt.b)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestGolden diffs the a and b of each testdata/*.txtar, masking the
// values listed in its secrets file if it has one, and compares the
// output with its want file. go test -run Golden -update rewrites them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string][]byte{}
			for _, f := range ar.Files {
				parts[f.Name] = f.Data
			}
			var secrets []string
			if s := strings.TrimSpace(string(parts["secrets"])); s != "" {
				secrets = strings.Split(s, "\n")
			}
			got := Masked(secrets, "a (yours)", "b (onboard's)", parts["a"], parts["b"])
			if *update {
				for i := range ar.Files {
					if ar.Files[i].Name == "want" {
						ar.Files[i].Data = []byte(got)
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want, ok := parts["want"]; !ok || got != string(want) {
				t.Errorf("%s: got\n%s\nwant\n%s", file, got, want)
			}
		})
	}
}

// Every secret is masked, on changed and unchanged lines alike, and in a
// multi-line secret each line is masked.
func TestMasked(t *testing.T) {
	a := "USER=ada\nPASSWORD=hunter2-hunter2\nKEY=-----BEGIN\nabcdefgh\n"
	b := "USER=ada\nPASSWORD=s3cr3t-new\nKEY=-----BEGIN\nabcdefgh\n"
	got := Masked([]string{"hunter2-hunter2", "s3cr3t-new", "-----BEGIN\nabcdefgh"}, "a", "b", []byte(a), []byte(b))
	want := "--- a\n+++ b\n@@ -1,4 +1,4 @@\n USER=ada\n-PASSWORD=****\n+PASSWORD=****\n KEY=****\n ****\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, s := range []string{"hunter2", "s3cr3t", "abcdefgh"} {
		if strings.Contains(got, s) {
			t.Errorf("%q shows in the diff", s)
		}
	}
	if got := Masked(nil, "a", "b", []byte(a), []byte(b)); got != Unified("a", "b", []byte(a), []byte(b)) {
		t.Errorf("no secrets, yet the diff changed:\n%s", got)
	}
}

// Texts beyond maxCells are shown whole, every line removed, then every
// line added, so a huge file costs no quadratic time or memory.
func TestLarge(t *testing.T) {
	var a, b strings.Builder
	for i := range 2001 {
		a.WriteString("line\n")
		if i == 1000 {
			b.WriteString("changed\n")
		} else {
			b.WriteString("line\n")
		}
	}
	got := Unified("a", "b", []byte(a.String()), []byte(b.String()))
	want := "--- a\n+++ b\n@@ -1,2001 +1,2001 @@\n" + strings.Repeat("-line\n", 2001) +
		strings.Repeat("+line\n", 1000) + "+changed\n" + strings.Repeat("+line\n", 1000)
	if got != want {
		t.Errorf("got %d bytes starting %q, want %d bytes", len(got), got[:min(len(got), 80)], len(want))
	}
}
