package steps

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/dotenv"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

// templateStep is a `template:` step: it renders a repository file (src)
// with text/template and writes the result to dest, both inside the
// repository.
//
// Templates see this data, and an unknown key is an error
// (missingkey=error), so a typo fails loudly instead of writing "<no value>":
//
//	.Inputs    the answers, by input name: {{ .Inputs.db_password }}
//	.Env       onboard's environment: {{ .Env.HOME }}; an unset variable is
//	           an error, {{ index .Env "EDITOR" | default "vim" }} is not
//	.OS .Arch  runtime.GOOS and runtime.GOARCH: "linux", "amd64"
//	.Project   the checklist's project name
//
// and these functions besides text/template's own (none runs a program or
// reads a file):
//
//	default D V      V, or D when V is empty: {{ .Inputs.port | default "5432" }}
//	quote S          S in double quotes, Go-escaped: {{ quote .Inputs.name }}
//	lower S, upper S S in lower or upper case
//	trim S           S without leading and trailing white space
//	b64enc S         S in standard base64
//	randAlphaNum N   N random letters and digits (crypto/rand)
//
// A file rendered with randAlphaNum differs every time, so it is met when it
// is still what onboard last wrote and neither the template nor an answer
// changed since; with `merge: dotenv` a random value is written once, when
// its key is added.
//
// Check: dest holds the render (with `merge: dotenv`: every key of the
// render) and has exactly the mode (default 0644). A user's work is never
// lost: onboard records the sha256 of what it last wrote, and a dest that
// onboard did not write or that changed since is a conflict — kept and
// reported with a diff without a terminal, asked about on one, overwritten
// with a backup with Deps.Force (template_conflict.go). With `merge:
// dotenv` a changed .env is no conflict: the keys it lacks are added and
// every line it has stays. Files are read and written through rootfs,
// which refuses paths into .git or out of the checkout.
type templateStep struct {
	t    *config.Template
	when *config.When
	deps Deps
	mode fs.FileMode
	now  func() time.Time // backup names; a field so tests can fix it
	// chosenMerge: the user chose, on a terminal, to merge their env file
	// with this template instead of keeping or overwriting it.
	chosenMerge bool
	// note is what the last Apply did ("added REDIS_URL"), shown by the
	// verify check that follows it: Apply itself has no way to report.
	note string
}

// templateNode builds the item of a `template:` step.
func templateNode(s *config.Step, deps Deps) *engine.Node {
	t := s.Template
	it := &templateStep{t: t, when: s.When, deps: deps, mode: 0o644, now: time.Now}
	if t.Mode.Value != "" {
		// The loader accepts only "0" and three octal digits.
		if m, err := strconv.ParseUint(t.Mode.Value, 8, 32); err == nil {
			it.mode = fs.FileMode(m).Perm()
		}
	}
	p := engine.Plan{
		Check: fmt.Sprintf("%s matches %s rendered, mode %04o", t.Dest.Value, t.Src.Value, it.mode),
		Apply: fmt.Sprintf("render %s to %s (a file you changed is never overwritten without a backup)", t.Src.Value, t.Dest.Value),
	}
	if it.merging() {
		p.Check = fmt.Sprintf("%s has every key of %s rendered, mode %04o", t.Dest.Value, t.Src.Value, it.mode)
		p.Apply = fmt.Sprintf("add the keys %s lacks from %s rendered, keeping every line it has", t.Dest.Value, t.Src.Value)
	}
	// The state of a template item is what onboard last wrote to dest, so
	// it is keyed by dest alone: moving the step or changing its src or
	// mode must not make onboard forget that it wrote the file (which would
	// turn the next run into a conflict).
	return &engine.Node{Item: it, Plan: p, Hash: hash(struct{ Kind, Dest string }{config.KindTemplate, t.Dest.Value})}
}

// merging is true for `merge: dotenv`, or when the user chose to merge a
// conflicting env file on a terminal (remembered in state).
func (it *templateStep) merging() bool { return it.t.Merge.Value == "dotenv" || it.chosenMerge }

// found is what Check and Apply both need to know about dest.
type found struct {
	root   *rootfs.Root
	want   []byte // the render
	random bool   // the render used randAlphaNum
	key    string // hash of what a random render depends on
	exists bool
	cur    []byte
	perm   fs.FileMode
	// content: dest holds what the checklist wants, mode aside.
	content bool
	// owned: dest is byte for byte what onboard last wrote.
	owned   bool
	missing []string // merge: keys of the render dest lacks
	keys    keyPlan  // merge: keys to update, and conflicts (template_keys.go)
	// prior: merge: the hash of the value onboard last wrote for each
	// key; recorded: onboard knows what it wrote (template_baseline.go).
	prior    map[string]string
	recorded bool
}

// inspect renders src and reads dest. The caller closes f.root.
func (it *templateStep) inspect(env *engine.Env) (*found, error) {
	dest := it.t.Dest.Value
	root, err := rootfs.Open(env.Root)
	if err != nil {
		return nil, err
	}
	if err := root.Guard(dest, "cannot write"); err != nil {
		root.Close()
		return nil, err
	}
	f := &found{root: root}
	if f.want, f.random, f.key, err = it.render(root, env); err != nil {
		root.Close()
		return nil, err
	}
	info, err := root.Stat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		// Not there (yet); writing it will say what stands in the way.
		return f, nil
	case err != nil:
		root.Close()
		return nil, rootfs.Explain("cannot write", dest, err)
	case !info.Mode().IsRegular():
		root.Close()
		return nil, fmt.Errorf("cannot write %s: it is not a regular file", dest)
	}
	if f.cur, err = root.ReadFile(dest); err != nil {
		root.Close()
		return nil, err
	}
	f.exists, f.perm = true, info.Mode().Perm()
	// Onboard's own: what it recorded writing, or what a run killed before
	// it could save its state was about to write (Intend).
	cur := sum(f.cur)
	f.owned = (env.Prior["written"] != "" && cur == env.Prior["written"]) ||
		(env.Prior["writing"] != "" && cur == env.Prior["writing"])
	switch {
	case it.merging():
		_, f.missing = dotenv.Merge(f.cur, f.want)
		f.prior, f.recorded = it.baseline(root, env, f.cur)
		f.keys = planKeys(f.cur, f.want, f.prior, f.recorded)
		f.content = len(f.missing) == 0 && len(f.keys.stale) == 0 && len(f.keys.conflicts) == 0 &&
			!(it.deps.Force && len(f.keys.unrecorded)+len(f.keys.theirs) > 0)
	case f.random:
		f.content = f.owned && env.Prior["render"] == f.key
	default:
		f.content = bytes.Equal(f.cur, f.want)
	}
	return f, nil
}

func (it *templateStep) Check(ctx context.Context, env *engine.Env) (engine.Result, error) {
	if res, ok := when(it.when); !ok {
		return res, nil
	}
	note := it.note
	it.note = ""
	// The state keeps only what each run records: carry forward what
	// onboard wrote, or the next run would see a file it did not write.
	it.chosenMerge = env.Prior["merge"] == "dotenv"
	for _, k := range []string{"written", "render", "merge", "keys"} {
		if v := env.Prior[k]; v != "" {
			env.Record(k, v)
		}
	}
	f, err := it.inspect(env)
	if err != nil {
		return engine.Result{}, err
	}
	defer f.root.Close()
	dest, src := it.t.Dest.Value, it.t.Src.Value
	switch {
	case !f.exists:
		return engine.Result{Status: engine.NotMet, Detail: dest + " does not exist yet"}, nil
	case f.content && f.perm != it.mode:
		return engine.Result{Status: engine.NotMet, Detail: fmt.Sprintf("%s has mode %04o, not %04o", dest, f.perm, it.mode)}, nil
	case f.content:
		detail := dest + " matches " + src
		if it.merging() {
			detail = dest + " has every key of " + src
			if len(f.keys.unrecorded) > 0 {
				detail += "; " + it.unrecordedNote(f.keys.unrecorded)
			}
			// Said once: the kept keys are recorded as the user's.
			recordKeys(env, f.cur, f.want, f.prior, nil, slices.Concat(f.keys.unrecorded, f.keys.theirs))
		} else if !f.random {
			// Exactly the render: nothing of the user's can be lost by
			// rewriting it, so onboard may treat it as its own.
			env.Record("written", sum(f.cur))
		}
		return engine.Result{Status: engine.Met, Detail: detail + note + it.gitWarning(ctx, env, f.want)}, nil
	case it.merging() && len(f.keys.conflicts) > 0:
		return engine.Result{Status: engine.NotMet, Detail: fmt.Sprintf("you changed %s in %s, and onboard's value changed too", strings.Join(f.keys.conflicts, ", "), dest),
			Fix: "run onboard in a terminal to keep yours or take onboard's, or run onboard --force to take onboard's (your file is backed up)"}, nil
	case it.merging():
		var why []string
		if len(f.missing) > 0 {
			why = append(why, "lacks "+strings.Join(f.missing, ", ")+" of "+src)
		}
		if len(f.keys.stale) > 0 {
			why = append(why, "has an old value of "+strings.Join(f.keys.stale, ", ")+" ("+src+" renders another)")
		}
		return engine.Result{Status: engine.NotMet, Detail: dest + " " + strings.Join(why, "; ")}, nil
	case f.owned:
		return engine.Result{Status: engine.NotMet, Detail: dest + " differs from " + src + " rendered"}, nil
	}
	return engine.Result{Status: engine.NotMet, Detail: it.conflict(env), Fix: fmt.Sprintf(
		"to take onboard's version, run onboard in a terminal and answer yes, or run onboard --force (your file is backed up either way), or move %s away and run onboard again", dest)}, nil
}

func (it *templateStep) Apply(ctx context.Context, env *engine.Env) error {
	f, err := it.inspect(env)
	if err != nil {
		return err
	}
	defer f.root.Close()
	dest := it.t.Dest.Value
	switch {
	case !f.exists:
		if it.merging() {
			// Every key is onboard's: recorded now, so that a key the
			// user edits before the next run is known as an edit.
			recordKeys(env, f.want, f.want, nil, nil, nil)
		}
		return it.write(env, f, f.want)
	case f.content:
		// Only the mode is wrong: fix only the mode.
		if err := f.root.Chmod(dest, it.mode); err != nil {
			return err
		}
		it.note = fmt.Sprintf("; mode set to %04o", it.mode)
		return nil
	case it.merging():
		return it.mergeKeys(ctx, env, f)
	case f.owned:
		return it.write(env, f, f.want)
	}
	return it.resolve(ctx, env, f)
}

// write replaces dest and remembers what it wrote.
func (it *templateStep) write(env *engine.Env, f *found, data []byte) error {
	if env.Intend != nil {
		if err := env.Intend("writing", sum(data)); err != nil {
			return err
		}
	}
	if err := f.root.WriteFile(it.t.Dest.Value, data, it.mode); err != nil {
		return err
	}
	env.Record("written", sum(data))
	if f.random {
		env.Record("render", f.key)
	}
	return nil
}

// gitWarning warns when dest is tracked by git and the render holds a
// secret: committing it would publish the secret.
func (it *templateStep) gitWarning(ctx context.Context, env *engine.Env, rendered []byte) string {
	secret := false
	for _, s := range it.deps.Secrets {
		secret = secret || (s != "" && bytes.Contains(rendered, []byte(s)))
	}
	if !secret {
		return ""
	}
	if _, err := os.Stat(filepath.Join(env.Root, ".git")); err != nil {
		return ""
	}
	dest := it.t.Dest.Value
	// Not on PATH, not tracked, or not a repository: all mean no warning.
	// Through the checklist's Runner, as every command is (a Fake in unit tests).
	if run.Or(it.deps.Runner).Run(ctx, run.Command{Argv: []string{"git", "ls-files", "--error-unmatch", "--", dest}, Dir: env.Root, Env: env.Environ}) != nil {
		return ""
	}
	return fmt.Sprintf("; warning: %s holds a secret and is tracked by git: run `git rm --cached %s` and add it to .gitignore", dest, dest)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
