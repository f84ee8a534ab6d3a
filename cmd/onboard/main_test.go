package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/onboard-dev/onboard/internal/cli"
	"github.com/onboard-dev/onboard/internal/ui"
)

// TestMain lets the test binary act as the onboard binary inside scripts:
// `exec onboard ...` runs cli.Main in a real child process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"onboard": func() { os.Exit(cli.Main(context.Background(), os.Args[1:], ui.System())) },
	})
}

// TestScripts runs every end-to-end script in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("ONBOARD_UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			// A user's own config must never leak into a test.
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"bytes": cmdBytes,
		},
	})
}

// cmdBytes writes a file from text with Go escapes (\x00, \n, \ufeff), for
// checklists that a txtar archive cannot hold: NUL bytes, invalid UTF-8,
// megabytes of text.
//
//	bytes FILE 'TEXT' [REPEAT]
func cmdBytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: bytes FILE 'TEXT' [REPEAT]")
	}
	s, err := strconv.Unquote(`"` + args[1] + `"`)
	ts.Check(err)
	n := 1
	if len(args) == 3 {
		n, err = strconv.Atoi(args[2])
		ts.Check(err)
	}
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	for range n {
		_, err = f.WriteString(s)
		ts.Check(err)
	}
	ts.Check(f.Close())
}
