//go:build unix

package steps

import (
	"bytes"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// harness runs a template item the way the engine does (check → apply →
// verify) and carries what it records from one run to the next, as
// state.json does.
type harness struct {
	t       *testing.T
	root    string
	deps    Deps
	state   map[string]string
	log     bytes.Buffer
	confirm func(ctx context.Context, question string) (bool, error)
	environ []string
}

func newHarness(t *testing.T, files map[string]string) *harness {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		write(t, filepath.Join(root, name), content)
	}
	return &harness{t: t, root: root, environ: []string{"GREETING=hello", "HOME=/home/ada"}}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) read(name string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.root, name))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *harness) node(tm config.Template) *engine.Node {
	s := &config.Step{ID: config.String{Value: "env"}, Kind: config.KindTemplate, Template: &tm}
	n := templateNode(s, h.deps)
	n.Item.(*templateStep).now = func() time.Time { return time.Date(2026, 11, 25, 10, 15, 0, 0, time.UTC) }
	return n
}

func (h *harness) env() *engine.Env {
	recorded := map[string]string{}
	env := &engine.Env{Root: h.root, Environ: h.environ, Log: &h.log, Confirm: h.confirm, Prior: maps.Clone(h.state)}
	env.Record = func(k, v string) {
		recorded[k] = v
		if env.Prior == nil {
			env.Prior = map[string]string{}
		}
		env.Prior[k] = v
	}
	h.state = recorded // the engine keeps what this run records, failed or not
	return env
}

// up converges the item once and returns the outcome as the engine would
// name it, with the detail shown to the user.
func (h *harness) up(n *engine.Node) (outcome, detail string) {
	h.t.Helper()
	ctx := context.Background()
	env := h.env()
	res, err := n.Item.Check(ctx, env)
	if err != nil {
		return engine.OutcomeFailed, "check failed: " + err.Error()
	}
	if res.Status == engine.Met {
		return engine.OutcomeOK, res.Detail
	}
	if err := n.Item.Apply(ctx, env); err != nil {
		return engine.OutcomeFailed, err.Error()
	}
	res, err = n.Item.Check(ctx, env)
	if err != nil || res.Status != engine.Met {
		h.t.Fatalf("the fix did not fix: %v %+v", err, res)
	}
	return engine.OutcomeFixed, res.Detail
}

func (h *harness) check(n *engine.Node) engine.Result {
	h.t.Helper()
	res, err := n.Item.Check(context.Background(), h.env())
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

func tmpl(src, dest string) config.Template {
	return config.Template{Src: config.String{Value: src}, Dest: config.String{Value: dest}}
}

func TestTemplateRenderData(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // a regular expression matching the whole render
	}{
		{"inputs", `user={{ .Inputs.user }}`, `user=ada`},
		{"env", `{{ .Env.GREETING }} from {{ .Env.HOME }}`, `hello from /home/ada`},
		{"os arch project", `{{ .OS }}/{{ .Arch }} {{ .Project }}`, regexp.QuoteMeta(runtime.GOOS + "/" + runtime.GOARCH + " acme")},
		{"default on empty", `{{ .Inputs.empty | default "x" }} {{ .Inputs.user | default "x" }}`, `x ada`},
		{"default on unset env through index", `{{ index .Env "UNSET_VAR" | default "vim" }}`, `vim`},
		{"quote", `{{ quote .Inputs.tricky }}`, regexp.QuoteMeta(`"a \"b\" #c"`)},
		{"lower upper trim", `{{ upper "ab" }}{{ lower "CD" }}[{{ trim "  e \n" }}]`, `ABcd\[e\]`},
		{"b64enc", `{{ b64enc "user:pass" }}`, `dXNlcjpwYXNz`},
		{"randAlphaNum", `{{ randAlphaNum 24 }}`, `[A-Za-z0-9]{24}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string]string{"in.tmpl": tt.text})
			h.deps = Deps{Inputs: map[string]string{"user": "ada", "empty": "", "tricky": `a "b" #c`}, Project: "acme"}
			if outcome, detail := h.up(h.node(tmpl("in.tmpl", "out"))); outcome != engine.OutcomeFixed {
				t.Fatalf("%s: %s", outcome, detail)
			}
			if got := h.read("out"); !regexp.MustCompile(`^` + tt.want + `$`).MatchString(got) {
				t.Errorf("render %q does not match %q", got, tt.want)
			}
		})
	}
}

func TestTemplateRenderErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"missing input", `{{ .Inputs.nope }}`, `cannot render in.tmpl: .*map has no entry for key "nope"`},
		{"unset env", `{{ .Env.NOT_SET }}`, `map has no entry for key "NOT_SET"`},
		{"no exec", `{{ exec "id" }}`, `function "exec" not defined`},
		{"no file reads", `{{ readFile "/etc/passwd" }}`, `function "readFile" not defined`},
		{"no env func", `{{ env "HOME" }}`, `function "env" not defined`},
		{"syntax", `{{ .Inputs.user `, `cannot render in.tmpl: template: in.tmpl:1: unclosed action`},
		{"rand bounds", `{{ randAlphaNum -1 }}`, `want a length from 0 to 4096`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string]string{"in.tmpl": tt.text})
			h.deps = Deps{Inputs: map[string]string{"user": "ada"}}
			outcome, detail := h.up(h.node(tmpl("in.tmpl", "out")))
			if outcome != engine.OutcomeFailed || !regexp.MustCompile(tt.want).MatchString(detail) {
				t.Errorf("%s: %q, want failed matching %q", outcome, detail, tt.want)
			}
			if _, err := os.Stat(filepath.Join(h.root, "out")); err == nil {
				t.Error("a failed render wrote its destination")
			}
		})
	}
}

func TestTemplateConverges(t *testing.T) {
	h := newHarness(t, map[string]string{"conf/app.tmpl": "greeting={{ .Env.GREETING }}\n"})
	n := h.node(tmpl("conf/app.tmpl", "conf/local/app.ini"))
	if outcome, detail := h.up(n); outcome != engine.OutcomeFixed || detail != "conf/local/app.ini matches conf/app.tmpl" {
		t.Fatalf("first run: %s %q", outcome, detail)
	}
	if got := h.read("conf/local/app.ini"); got != "greeting=hello\n" {
		t.Fatalf("wrote %q", got)
	}
	if outcome, _ := h.up(n); outcome != engine.OutcomeOK {
		t.Fatalf("second run: %s", outcome)
	}
	// The environment changed, the file is still onboard's: rewritten.
	h.environ = []string{"GREETING=hi"}
	if outcome, _ := h.up(n); outcome != engine.OutcomeFixed || h.read("conf/local/app.ini") != "greeting=hi\n" {
		t.Fatalf("after a change: %s %q", outcome, h.read("conf/local/app.ini"))
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Join(h.root, "conf/local"))
	if len(entries) != 1 {
		t.Errorf("conf/local holds %v", entries)
	}
}

// A file that already holds exactly the render is onboard's, even when the
// state forgot it (a new checkout of the state, a state file removed).
func TestTemplateExistingRenderIsMet(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "x={{ .Env.GREETING }}\n", "out": "x=hello\n"})
	n := h.node(tmpl("t", "out"))
	if outcome, _ := h.up(n); outcome != engine.OutcomeOK {
		t.Fatalf("%s", outcome)
	}
	h.environ = []string{"GREETING=hi"}
	if outcome, _ := h.up(n); outcome != engine.OutcomeFixed || h.read("out") != "x=hi\n" {
		t.Fatalf("%s %q", outcome, h.read("out"))
	}
}

// The state is keyed by dest: moving the step, or changing its src or mode,
// does not make onboard forget what it wrote.
func TestTemplateHashIsTheDest(t *testing.T) {
	a := templateNode(&config.Step{Kind: config.KindTemplate, Template: &config.Template{Src: config.String{Value: "a"}, Dest: config.String{Value: ".env"}, Pos: config.Pos{Line: 3}}}, Deps{})
	b := templateNode(&config.Step{Kind: config.KindTemplate, Template: &config.Template{Src: config.String{Value: "b"}, Dest: config.String{Value: ".env"}, Mode: config.String{Value: "0600"}, Pos: config.Pos{Line: 9}}}, Deps{})
	c := templateNode(&config.Step{Kind: config.KindTemplate, Template: &config.Template{Src: config.String{Value: "a"}, Dest: config.String{Value: ".env2"}}}, Deps{})
	if a.Hash != b.Hash || a.Hash == c.Hash {
		t.Errorf("hashes %s %s %s", a.Hash, b.Hash, c.Hash)
	}
}

func TestTemplateConfinement(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "target"), "outside\n")
	tests := []struct {
		name  string
		setup func(root string)
		src   string
		dest  string
		want  string
	}{
		{name: "dotdot dest", dest: "../x", want: `^check failed: \.\./x leaves the repository`},
		{name: "dotdot inside the path", dest: "a/../../x", want: `^check failed: a/\.\./\.\./x leaves the repository`},
		{name: "absolute dest", dest: filepath.Join(outside, "abs"), want: `is an absolute path; onboard reads and writes only inside the repository`},
		{name: "dotdot src", src: "../t", dest: "x", want: `^check failed: \.\./t leaves the repository`},
		{
			name:  "dest is a symlink to outside",
			setup: func(root string) { symlink(t, filepath.Join(outside, "target"), filepath.Join(root, ".env")) },
			dest:  ".env",
			want:  `^check failed: cannot write \.env: it leads outside the repository through a symlink`,
		},
		{
			name:  "dangling symlink to outside",
			setup: func(root string) { symlink(t, filepath.Join(outside, "nothing-yet"), filepath.Join(root, ".env")) },
			dest:  ".env",
			want:  `cannot write \.env: it leads outside the repository through a symlink`,
		},
		{
			name:  "parent is a symlink to outside",
			setup: func(root string) { symlink(t, outside, filepath.Join(root, "conf")) },
			dest:  "conf/new.ini",
			want:  `cannot write conf/new\.ini: it leads outside the repository through a symlink`,
		},
		{
			name:  "relative symlink up and out",
			setup: func(root string) { symlink(t, "../../../../../../../../"+outside, filepath.Join(root, "up")) },
			dest:  "up/target",
			want:  `cannot write up/target: it leads outside`,
		},
		{
			name:  "src is a symlink to outside",
			setup: func(root string) { symlink(t, filepath.Join(outside, "target"), filepath.Join(root, "evil.tmpl")) },
			src:   "evil.tmpl",
			dest:  "x",
			want:  `^check failed: cannot read evil\.tmpl: it leads outside the repository through a symlink`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string]string{"t": "inside\n"})
			if tt.setup != nil {
				tt.setup(h.root)
			}
			if tt.src == "" {
				tt.src = "t"
			}
			outcome, detail := h.up(h.node(tmpl(tt.src, tt.dest)))
			if outcome != engine.OutcomeFailed || !regexp.MustCompile(tt.want).MatchString(detail) {
				t.Errorf("%s: %q, want failed matching %q", outcome, detail, tt.want)
			}
			entries, _ := os.ReadDir(outside)
			if len(entries) != 1 || string(must(os.ReadFile(filepath.Join(outside, "target")))) != "outside\n" {
				t.Errorf("something was written outside the repository: %v", entries)
			}
		})
	}
}

// A symlink that stays inside the repository is fine.
func TestTemplateSymlinkInside(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "v\n", "real/.keep": ""})
	symlink(t, "real", filepath.Join(h.root, "link"))
	if outcome, detail := h.up(h.node(tmpl("t", "link/out"))); outcome != engine.OutcomeFixed {
		t.Fatalf("%s %q", outcome, detail)
	}
	if h.read("real/out") != "v\n" {
		t.Error("not written through the symlink")
	}
}

func TestTemplateModeWhateverTheUmask(t *testing.T) {
	for _, umask := range []int{0o077, 0} {
		for _, mode := range []string{"", "0600", "0640", "0755"} {
			want := os.FileMode(0o644)
			if mode != "" {
				want = os.FileMode(must(strconv.ParseUint(mode, 8, 32)))
			}
			t.Run(mode, func(t *testing.T) {
				old := syscall.Umask(umask)
				defer syscall.Umask(old)
				h := newHarness(t, map[string]string{"t": "x\n"})
				tm := tmpl("t", "sub/out")
				tm.Mode = config.String{Value: mode}
				if outcome, detail := h.up(h.node(tm)); outcome != engine.OutcomeFixed {
					t.Fatalf("%s %q", outcome, detail)
				}
				info := must(os.Stat(filepath.Join(h.root, "sub/out")))
				if info.Mode().Perm() != want {
					t.Errorf("umask %04o: mode %04o, want %04o", umask, info.Mode().Perm(), want)
				}
			})
		}
	}
}

// A wrong mode alone is not met, and the fix changes only the mode: the
// file is not rewritten (same inode, same bytes) and it is no conflict even
// when onboard did not write it.
func TestTemplateModeOnly(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "x\n", "out": "x\n"})
	path := filepath.Join(h.root, "out")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	before := must(os.Stat(path)).Sys().(*syscall.Stat_t).Ino
	tm := tmpl("t", "out")
	tm.Mode = config.String{Value: "0600"}
	n := h.node(tm)
	if res := h.check(n); res.Status != engine.NotMet || res.Detail != "out has mode 0644, not 0600" {
		t.Fatalf("check: %+v", res)
	}
	if outcome, detail := h.up(n); outcome != engine.OutcomeFixed || detail != "out matches t; mode set to 0600" {
		t.Fatalf("%s %q", outcome, detail)
	}
	info := must(os.Stat(path))
	if info.Mode().Perm() != 0o600 || info.Sys().(*syscall.Stat_t).Ino != before {
		t.Errorf("mode %04o, inode changed: %v", info.Mode().Perm(), info.Sys().(*syscall.Stat_t).Ino != before)
	}
}

const envTemplate = "# Database\nDB_PASSWORD={{ .Inputs.db_password }}\nPORT=5432\n"

func TestTemplateNeverClobbers(t *testing.T) {
	for _, neverWritten := range []bool{false, true} {
		t.Run(map[bool]string{false: "changed since written", true: "never written"}[neverWritten], func(t *testing.T) {
			h := newHarness(t, map[string]string{".env.example": envTemplate})
			h.deps = Deps{Inputs: map[string]string{"db_password": "s3cr3t-pw"}, Secrets: []string{"s3cr3t-pw"}}
			n := h.node(tmpl(".env.example", ".env"))
			why := "it was changed since onboard wrote it"
			if neverWritten {
				why = "it exists and onboard did not write it"
			} else if outcome, _ := h.up(n); outcome != engine.OutcomeFixed {
				t.Fatal(outcome)
			}
			mine := "# Database\nDB_PASSWORD=mine\nPORT=5432\nDEBUG=1\n"
			write(t, filepath.Join(h.root, ".env"), mine)

			res := h.check(n)
			if res.Status != engine.NotMet || res.Detail != ".env "+strings.TrimPrefix(why, "it ") || !strings.Contains(res.Fix, "run onboard in a terminal") {
				t.Errorf("check: %+v", res)
			}
			h.log.Reset()
			outcome, detail := h.up(n)
			if outcome != engine.OutcomeFailed || detail != "kept your .env: "+why+"; onboard's version differs as shown below" {
				t.Errorf("%s %q", outcome, detail)
			}
			if h.read(".env") != mine {
				t.Error("the user's file changed")
			}
			wantDiff := "--- .env (yours)\n+++ .env (from .env.example)\n@@ -1,4 +1,3 @@\n # Database\n-DB_PASSWORD=mine\n+DB_PASSWORD=****\n PORT=5432\n-DEBUG=1\n"
			if h.log.String() != wantDiff {
				t.Errorf("diff in the log:\n%s\nwant:\n%s", h.log.String(), wantDiff)
			}
			// Still a conflict on the next run: keeping it is not forgetting it.
			if outcome, _ := h.up(n); outcome != engine.OutcomeFailed || h.read(".env") != mine {
				t.Errorf("second run: %s", outcome)
			}
			backups, _ := filepath.Glob(filepath.Join(h.root, ".env.onboard-backup-*"))
			if len(backups) != 0 {
				t.Errorf("backups without an overwrite: %v", backups)
			}
		})
	}
}

func TestTemplateForceBacksUp(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "v={{ .Env.GREETING }}\n", "out": "mine\n"})
	h.deps.Force = true
	n := h.node(tmpl("t", "out"))
	outcome, detail := h.up(n)
	if outcome != engine.OutcomeFixed || detail != "out matches t; your version is in out.onboard-backup-20261125T101500Z" {
		t.Fatalf("%s %q", outcome, detail)
	}
	if h.read("out") != "v=hello\n" || h.read("out.onboard-backup-20261125T101500Z") != "mine\n" {
		t.Errorf("out %q, backup %q", h.read("out"), h.read("out.onboard-backup-20261125T101500Z"))
	}
	if perm := must(os.Stat(filepath.Join(h.root, "out.onboard-backup-20261125T101500Z"))).Mode().Perm(); perm != 0o600 {
		t.Errorf("backup mode %04o", perm)
	}
	// A second backup in the same second does not overwrite the first.
	write(t, filepath.Join(h.root, "out"), "mine again\n")
	if outcome, detail := h.up(n); outcome != engine.OutcomeFixed || !strings.HasSuffix(detail, "out.onboard-backup-20261125T101500Z-2") {
		t.Fatalf("%s %q", outcome, detail)
	}
	if h.read("out.onboard-backup-20261125T101500Z-2") != "mine again\n" || h.read("out.onboard-backup-20261125T101500Z") != "mine\n" {
		t.Error("backups")
	}
}

func TestTemplateAsksOnATerminal(t *testing.T) {
	for _, yes := range []bool{true, false} {
		t.Run(map[bool]string{true: "yes", false: "no"}[yes], func(t *testing.T) {
			h := newHarness(t, map[string]string{"t": "token={{ .Inputs.token }}\n"})
			h.deps = Deps{Inputs: map[string]string{"token": "tok-123456"}, Secrets: []string{"tok-123456"}}
			n := h.node(tmpl("t", "out"))
			if outcome, _ := h.up(n); outcome != engine.OutcomeFixed {
				t.Fatal(outcome)
			}
			write(t, filepath.Join(h.root, "out"), "token=mine\n")
			var asked []string
			h.confirm = func(_ context.Context, q string) (bool, error) {
				asked = append(asked, q)
				return yes, nil
			}
			outcome, detail := h.up(n)
			wantQ := "out was changed since onboard wrote it:\n" +
				"    --- out (yours)\n    +++ out (from t)\n    @@ -1,1 +1,1 @@\n    -token=mine\n    +token=****\n" +
				"    Overwrite it (a backup is kept)?"
			if len(asked) != 1 || asked[0] != wantQ {
				t.Errorf("asked %q\nwant %q", asked, wantQ)
			}
			if yes {
				if outcome != engine.OutcomeFixed || h.read("out") != "token=tok-123456\n" || h.read("out.onboard-backup-20261125T101500Z") != "token=mine\n" {
					t.Errorf("%s %q", outcome, detail)
				}
				return
			}
			if outcome != engine.OutcomeFailed || detail != "kept your out as you chose; onboard's version differs as shown below" || h.read("out") != "token=mine\n" {
				t.Errorf("%s %q", outcome, detail)
			}
		})
	}
}

func TestTemplateMergeDotenv(t *testing.T) {
	h := newHarness(t, map[string]string{".env.example": "# Database\nDB_URL=postgres://localhost/{{ .Project }}\n"})
	h.deps.Project = "acme"
	tm := tmpl(".env.example", ".env")
	tm.Merge = config.String{Value: "dotenv"}
	tm.Mode = config.String{Value: "0600"}
	n := h.node(tm)
	if outcome, detail := h.up(n); outcome != engine.OutcomeFixed || detail != ".env has every key of .env.example" {
		t.Fatalf("%s %q", outcome, detail)
	}
	// The user changes a value and adds their own; the template gains a key.
	mine := "# Database\nDB_URL=postgres://me@db/acme # mine\nMY_OWN=1\n"
	write(t, filepath.Join(h.root, ".env"), mine)
	write(t, filepath.Join(h.root, ".env.example"), "# Database\nDB_URL=postgres://localhost/{{ .Project }}\n\n# Cache\nREDIS_URL=redis://localhost:6379\n")
	if res := h.check(n); res.Status != engine.NotMet || res.Detail != ".env lacks REDIS_URL of .env.example" {
		t.Errorf("check: %+v", res)
	}
	outcome, detail := h.up(n)
	if outcome != engine.OutcomeFixed || detail != ".env has every key of .env.example; added REDIS_URL" {
		t.Fatalf("%s %q", outcome, detail)
	}
	if got := h.read(".env"); got != mine+"# Cache\nREDIS_URL=redis://localhost:6379\n" {
		t.Errorf("merged %q", got)
	}
	if perm := must(os.Stat(filepath.Join(h.root, ".env"))).Mode().Perm(); perm != 0o600 {
		t.Errorf("mode %04o", perm)
	}
	// Converged: a second run changes nothing.
	before := h.read(".env")
	if outcome, _ := h.up(n); outcome != engine.OutcomeOK || h.read(".env") != before {
		t.Errorf("second run: %s", outcome)
	}
}

// A render with randAlphaNum differs every time: a file onboard wrote from
// it stays met until the template changes.
func TestTemplateRandomIsStable(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "key={{ randAlphaNum 16 }}\n"})
	n := h.node(tmpl("t", "out"))
	if outcome, _ := h.up(n); outcome != engine.OutcomeFixed {
		t.Fatal(outcome)
	}
	first := h.read("out")
	if outcome, _ := h.up(n); outcome != engine.OutcomeOK || h.read("out") != first {
		t.Fatalf("second run: %s, %q → %q", outcome, first, h.read("out"))
	}
	write(t, filepath.Join(h.root, "t"), "key={{ randAlphaNum 16 }}\nmore=1\n")
	if outcome, _ := h.up(n); outcome != engine.OutcomeFixed || !strings.HasSuffix(h.read("out"), "more=1\n") {
		t.Fatalf("after a template change: %s", outcome)
	}
	// Changed by the user: a conflict, as always.
	write(t, filepath.Join(h.root, "out"), "key=mine\n")
	if outcome, _ := h.up(n); outcome != engine.OutcomeFailed || h.read("out") != "key=mine\n" {
		t.Fatalf("user's change: %s", outcome)
	}
}

func TestTemplateWriteErrors(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "x\n", "conf": "a file where a directory should be\n"})
	outcome, detail := h.up(h.node(tmpl("t", "conf/.env")))
	if outcome != engine.OutcomeFailed || detail != "cannot write conf/.env: not a directory" {
		t.Errorf("%s %q", outcome, detail)
	}
	if h.state["written"] != "" {
		t.Error("a failed write was recorded as written")
	}

	h = newHarness(t, map[string]string{"t": "x\n", "dir/.keep": ""})
	if err := os.Mkdir(filepath.Join(h.root, "dir/out"), 0o755); err != nil {
		t.Fatal(err)
	}
	if outcome, detail := h.up(h.node(tmpl("t", "dir/out"))); outcome != engine.OutcomeFailed || detail != "check failed: cannot write dir/out: it is not a regular file" {
		t.Errorf("%s %q", outcome, detail)
	}
}

// A directory that refuses writes: mode 0555 for a normal user; root
// writes through modes, so as root the directory is made immutable
// (chattr +i), which the kernel enforces even for root.
func TestTemplateReadOnlyDir(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "old\n", "ro/out": "old\n"})
	n := h.node(tmpl("t", "ro/out"))
	if outcome, _ := h.up(n); outcome != engine.OutcomeOK {
		t.Fatal(outcome)
	}
	write(t, filepath.Join(h.root, "t"), "new\n")
	ro := filepath.Join(h.root, "ro")
	want := "cannot write ro/out: permission denied"
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", ro).CombinedOutput(); err != nil {
			t.Fatalf("chattr +i (needed to refuse root a write): %v %s", err, out)
		}
		defer exec.Command("chattr", "-i", ro).Run()
		want = "cannot write ro/out: operation not permitted"
	} else {
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(ro, 0o755)
	}
	outcome, detail := h.up(n)
	if outcome != engine.OutcomeFailed || detail != want {
		t.Errorf("%s %q", outcome, detail)
	}
	if h.read("ro/out") != "old\n" {
		t.Error("the old file changed")
	}
}

func TestTemplateGitWarning(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git is not installed; .ci/run installs it")
		}
		t.Skip("git is not installed")
	}
	h := newHarness(t, map[string]string{".env.example": "TOKEN={{ .Inputs.token }}\n", ".env": "TOKEN=old\n"})
	h.environ = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null")
	for _, args := range [][]string{{"init", "-q"}, {"add", ".env"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = h.root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	h.deps = Deps{Inputs: map[string]string{"token": "tok-secret"}, Secrets: []string{"tok-secret"}, Force: true}
	_, detail := h.up(h.node(tmpl(".env.example", ".env")))
	if !strings.Contains(detail, "; warning: .env holds a secret and is tracked by git: run `git rm --cached .env` and add it to .gitignore") {
		t.Errorf("no warning: %q", detail)
	}
	// Untracked: no warning.
	h.deps.Force = false
	_, detail = h.up(h.node(tmpl(".env.example", "other")))
	if strings.Contains(detail, "warning") {
		t.Errorf("warning for an untracked file: %q", detail)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestTemplateDiskFull writes into a 16 KiB tmpfs: the write fails with a
// clear error naming the path, the old file stays, and no temp file is left.
func TestTemplateDiskFull(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "old\n"})
	full := filepath.Join(h.root, "full")
	if err := os.Mkdir(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", full).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mounting a small tmpfs (CI runs as root): %v %s", err, out)
		}
		t.Skipf("cannot mount a small tmpfs here: %v %s", err, out)
	}
	defer exec.Command("umount", full).Run()
	n := h.node(tmpl("t", "full/out"))
	if outcome, _ := h.up(n); outcome != engine.OutcomeFixed {
		t.Fatal(outcome)
	}
	write(t, filepath.Join(h.root, "t"), strings.Repeat("x", 64<<10))
	outcome, detail := h.up(n)
	if outcome != engine.OutcomeFailed || detail != "cannot write full/out: no space left on device" {
		t.Errorf("%s %q", outcome, detail)
	}
	if h.read("full/out") != "old\n" {
		t.Error("the old file changed")
	}
	entries, _ := os.ReadDir(full)
	if len(entries) != 1 {
		t.Errorf("left behind in full/: %v", entries)
	}
}
