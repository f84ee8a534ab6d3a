package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"

	"github.com/onboard-dev/onboard/internal/ui"
)

// docs/ci.md's jobs are YAML their CI reads, and every onboard command in
// them parses with onboard's own command line: the job installs the
// module's command and runs verify with a JUnit report.
func TestCIDocsJobs(t *testing.T) {
	data, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	if len(blocks) != 2 {
		t.Fatalf("docs/ci.md has %d yaml blocks, want the GitHub workflow and the GitLab job", len(blocks))
	}
	root := (&app{streams: &ui.Streams{}}).rootCommand()
	for i, b := range blocks {
		var doc any
		if err := yaml.Unmarshal([]byte(b[1]), &doc); err != nil {
			t.Fatalf("block %d is not YAML: %v", i, err)
		}
		lines := shellLines(doc)
		installs, verifies := 0, 0
		for _, l := range lines {
			if strings.HasPrefix(l, "go install ") {
				installs++
				if !strings.Contains(l, `"github.com/onboard-dev/onboard/cmd/onboard@${ONBOARD_VERSION}"`) {
					t.Errorf("block %d installs %q, not this module's command", i, l)
				}
			}
			if strings.HasPrefix(l, "onboard ") {
				checkExample(t, root, l)
				if strings.HasPrefix(l, "onboard verify ") && strings.Contains(l, "--junit ") {
					verifies++
				}
			}
		}
		if installs != 1 || verifies != 1 {
			t.Errorf("block %d: %d installs and %d `onboard verify --junit`, want one of each: %q", i, installs, verifies, lines)
		}
	}
}

// shellLines are the values of run: (GitHub) and the items of script:
// (GitLab) anywhere in a job file.
func shellLines(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, val := range v {
			switch s := val.(type) {
			case string:
				if k == "run" {
					out = append(out, strings.Split(strings.TrimSpace(s), "\n")...)
				}
			case []any:
				if k == "script" {
					for _, l := range s {
						if str, ok := l.(string); ok {
							out = append(out, str)
						}
					}
					continue
				}
			}
			out = append(out, shellLines(val)...)
		}
	case []any:
		for _, e := range v {
			out = append(out, shellLines(e)...)
		}
	}
	return out
}
