package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/ui"
)

// TestUserEditedEnvSurvives100Runs is the promise "never lose a user's
// work" at scale: after the user edits .env, a hundred runs of onboard up,
// with and without merge, leave it byte for byte as they wrote it.
func TestUserEditedEnvSurvives100Runs(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // never the user's trust store
	for _, merge := range []string{"", ", merge: dotenv"} {
		dir := t.TempDir()
		write := func(name, data string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(".env.example", "# the database\nDB_HOST=localhost\nDB_PORT=5432\n")
		write("onboard.yaml", "version: 1\nsteps:\n  - id: env\n    template: {src: .env.example, dest: .env"+merge+"}\n")
		run := func() (int, string) {
			var out, errb bytes.Buffer
			code := Main(context.Background(), []string{"--yes", "-f", filepath.Join(dir, "onboard.yaml")},
				&ui.Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
			return code, errb.String()
		}
		if code, msg := run(); code != 0 {
			t.Fatalf("first run: exit %d\n%s", code, msg)
		}
		mine := "# mine\nDB_HOST=my-laptop   # keep\nDB_PORT=6543\nEXTRA='a b'\n"
		write(".env", mine)
		for i := 0; i < 100; i++ {
			code, msg := run()
			if merge == "" && code != ExitFailed || merge != "" && code != ExitOK {
				t.Fatalf("run %d (%q): exit %d\n%s", i, merge, code, msg)
			}
			got, err := os.ReadFile(filepath.Join(dir, ".env"))
			if err != nil || string(got) != mine {
				t.Fatalf("run %d (%q): .env is now %q (%v)", i, merge, got, err)
			}
		}
	}
}
