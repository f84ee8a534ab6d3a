package steps

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A variable three scripts deep is found, whether the next script is
// named relative to where the service runs or to the script's own
// directory; a cycle ends.
func TestScriptsNamedNested(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"app/start.sh":       "#!/bin/sh\n. ./bin/env.sh\nexec ./server\n",
		"app/bin/env.sh":     "export A=1\n. \"$(dirname \"$0\")/secrets.sh\"\n",
		"app/bin/secrets.sh": "TOKEN=$ONBOARD_INPUT_API_TOKEN\n. ./start.sh # a cycle\n",
	})
	texts := scriptsNamed(root, "app", config.Command{Shell: "sh ./start.sh"})
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, "ONBOARD_INPUT_API_TOKEN") {
		t.Fatalf("the third script was not read: %q", texts)
	}
	if len(texts) != 3 {
		t.Fatalf("read %d files, want each of the 3 once: %q", len(texts), texts)
	}
}

// Scripts are followed maxScriptDepth deep and no further.
func TestScriptsNamedDepth(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for i := 1; i <= maxScriptDepth+2; i++ {
		files[fmt.Sprintf("s%d.sh", i)] = fmt.Sprintf("echo MARK%d\n./s%d.sh\n", i, i+1)
	}
	writeFiles(t, root, files)
	all := strings.Join(scriptsNamed(root, "", config.Command{Argv: []string{"./s1.sh"}}), "\n")
	if !strings.Contains(all, fmt.Sprintf("MARK%d\n", maxScriptDepth)) {
		t.Errorf("script %d not read", maxScriptDepth)
	}
	if strings.Contains(all, fmt.Sprintf("MARK%d\n", maxScriptDepth+1)) {
		t.Errorf("script %d read, past the depth cap", maxScriptDepth+1)
	}
}
