package steps

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/run"
	"github.com/onboard-dev/onboard/internal/tools"
)

// A tool item's check with its version probe faked: the programs on PATH
// are empty files in the checkout's bin/, the probe's output is scripted.
// A tool cannot be installed by onboard, so not met fails with the hint.
func TestToolItem(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tools string   // the checklist's tools:
		bin   []string // programs on PATH
		files map[string]string
		want  []expect
		out   map[string]string // outcome by id; $BIN is the bin folder
		fix   string            // the fix hint of the failed item
		cache bool              // the run's cache of probes, as cli passes it
	}{{
		name:  "installed in a version the checklist accepts",
		tools: `{go: ">= 1.22"}`,
		bin:   []string{"go"},
		want:  []expect{{"go version", exit(0, "go version go1.26.8 linux/amd64\n")}},
		out:   map[string]string{"tool:go": "ok: 1.26.8 (>= 1.22)"},
	}, {
		name:  "too old",
		tools: `{go: ">= 1.22"}`,
		bin:   []string{"go"},
		want:  []expect{{"go version", exit(0, "go version go1.21.0 linux/amd64\n")}},
		out:   map[string]string{"tool:go": "failed: 1.21.0 is installed ($BIN/go), but the checklist needs >= 1.22"},
		fix:   "install go >= 1.22 and make sure it is on PATH, then run onboard again",
	}, {
		name:  "not installed: nothing runs",
		tools: `{go: ">= 1.22"}`,
		out:   map[string]string{"tool:go": "failed: not found (no go on PATH)"},
		fix:   "install go >= 1.22 and make sure it is on PATH, then run onboard again",
	}, {
		name:  "the install hint for this OS",
		tools: `{protoc: {version: "~> 25.1", install: {` + runtime.GOOS + `: install protoc here, plan9: not this one}}}`,
		out:   map[string]string{"tool:protoc": "failed: not found (no protoc on PATH)"},
		fix:   "install protoc here",
	}, {
		name:  "optional and missing: a warning",
		tools: `{docker: {version: ">= 24", optional: true}}`,
		out:   map[string]string{"tool:docker": "warning: not found (no docker on PATH)"},
		fix:   "install docker >= 24 and make sure it is on PATH, then run onboard again",
	}, {
		name:  "the version command fails",
		tools: `{node: ">= 20"}`,
		bin:   []string{"node"},
		want:  []expect{{"node --version", exit(3, "node: cannot open shared object file\n")}},
		out: map[string]string{"tool:node": `failed: "node --version" exited with code 3; the end of its output was:` + "\n" +
			"    node: cannot open shared object file"},
		fix: "install node >= 20 and make sure it is on PATH, then run onboard again",
	}, {
		// macOS's /usr/bin/git without the Command Line Tools.
		name:  "Xcode's tools missing",
		tools: `{git: ">= 2.30"}`,
		bin:   []string{"git"},
		want:  []expect{{"git --version", exit(1, "xcrun: error: invalid active developer path (/Library/Developer/CommandLineTools), missing xcrun at: /Library/Developer/CommandLineTools/usr/bin/xcrun\n")}},
		out: map[string]string{"tool:git": `failed: "git --version" exited with code 1; the Xcode Command Line Tools are missing or broken, as after a macOS upgrade: run ` + "`xcode-select --install`" + `, then run onboard again; the end of its output was:` + "\n" +
			"    xcrun: error: invalid active developer path (/Library/Developer/CommandLineTools), missing xcrun at: /Library/Developer/CommandLineTools/usr/bin/xcrun"},
		fix: "the Xcode Command Line Tools are missing or broken, as after a macOS upgrade: run `xcode-select --install`, then run onboard again",
	}, {
		name:  "a command and pattern of the checklist's own",
		tools: `{protoc: {version: "~> 25.1", command: [protoc, --version], pattern: 'libprotoc (\S+)'}}`,
		bin:   []string{"protoc"},
		want:  []expect{{"protoc --version", exit(0, "libprotoc 25.3\n")}},
		out:   map[string]string{"tool:protoc": "ok: 25.3 (~> 25.1)"},
	}, {
		name:  "the version pinned in .nvmrc",
		tools: `{node: {version: from .nvmrc}}`,
		files: map[string]string{".nvmrc": "v20.11.1\n"},
		bin:   []string{"node"},
		want:  []expect{{"node --version", exit(0, "v20.12.2\n")}},
		out:   map[string]string{"tool:node": "failed: 20.12.2 is installed ($BIN/node), but the checklist needs >= 20.11.1, < 20.12"},
		fix:   "install node >= 20.11.1, < 20.12 and make sure it is on PATH, then run onboard again",
	}, {
		name:  "two tools with one version command: probed once a run",
		tools: `{go: ">= 1.22", golang: {version: "< 2", command: [go, version], pattern: 'go(\d+)\.'}}`,
		bin:   []string{"go"},
		cache: true,
		want:  []expect{{"go version", exit(0, "go version go1.26.8 linux/amd64\n")}},
		out:   map[string]string{"tool:go": "ok: 1.26.8 (>= 1.22)", "tool:golang": "ok: 1 (< 2)"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCheckout(t, "version: 1\ntools: "+tc.tools+"\n")
			bin := filepath.Join(c.root, "bin")
			c.environ = append(c.environ, "PATH="+bin)
			for _, p := range tc.bin {
				c.write("bin/"+p, "", 0o755)
			}
			for name, content := range tc.files {
				c.write(name, content, 0o644)
			}
			deps := Deps{Runner: newFake(t, tc.want)}
			if tc.cache {
				deps.Tools = &tools.Cache{Runner: deps.Runner}
			}
			got := c.up(deps)
			fix := ""
			for id, want := range tc.out {
				want = strings.ReplaceAll(want, "$BIN", bin)
				if got[id].String() != want {
					t.Errorf("%s: got %s, want %s", id, got[id], want)
				}
				if got[id].Fix != "" {
					fix = got[id].Fix
				}
			}
			if fix != tc.fix {
				t.Errorf("fix = %q, want %q", fix, tc.fix)
			}
		})
	}
}

// The probe runs the program found on the checkout's PATH, from the root,
// with the run's environment and LC_ALL=C, so that banners are not
// translated.
func TestToolProbeCommand(t *testing.T) {
	c := newCheckout(t, "version: 1\ntools: {go: \">= 1.22\"}\n")
	bin := filepath.Join(c.root, "bin")
	c.environ = append(c.environ, "PATH="+bin, "LANG=de_DE.UTF-8")
	c.write("bin/go", "", 0o755)
	fake := newFake(t, []expect{{"go version", exit(0, "go version go1.26.8 linux/amd64\n")}})
	c.up(Deps{Runner: fake})
	cmd := fake.Ran()[0]
	if cmd.Path != filepath.Join(bin, "go") || cmd.Dir != c.root || cmd.StopSignal == nil {
		t.Errorf("ran %s in %s, stop signal %v", cmd.Path, cmd.Dir, cmd.StopSignal)
	}
	for name, want := range map[string]string{"LC_ALL": "C", "LANG": "de_DE.UTF-8", "PATH": bin} {
		if v, _ := envValue(cmd.Env, name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
}

// A program gone between its look-up and its start is not found either.
func TestToolItemNotFoundByRunner(t *testing.T) {
	c := newCheckout(t, "version: 1\ntools: {go: \">= 1.22\"}\n")
	c.environ = append(c.environ, "PATH="+filepath.Join(c.root, "bin"))
	c.write("bin/go", "", 0o755)
	fake := newFake(t, []expect{{"go version", run.Result{Err: &run.NotFoundError{Name: "go"}}}})
	if got := c.up(Deps{Runner: fake})["tool:go"]; got.String() != "failed: not found (no go on PATH)" {
		t.Errorf("got %s", got)
	}
}
