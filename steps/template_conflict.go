package steps

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/onboard-dev/onboard/internal/diff"
	"github.com/onboard-dev/onboard/internal/dotenv"
	"github.com/onboard-dev/onboard/internal/engine"
)

// A template's dest that onboard did not write, or that changed since it
// wrote it, is the user's: this file decides what becomes of it. Without
// a terminal it is kept and the item fails with the diff; on one the user
// is asked (keep, take onboard's version, or for an env file merge); with
// Deps.Force onboard's version is taken. Taking it always backs the
// user's version up first.

// conflict says why dest is the user's.
func (it *templateStep) conflict(env *engine.Env) string {
	if env.Prior["written"] == "" {
		return it.t.Dest.Value + " exists and onboard did not write it"
	}
	return it.t.Dest.Value + " was changed since onboard wrote it"
}

// resolve settles a conflict over dest (see the top of this file).
func (it *templateStep) resolve(ctx context.Context, env *engine.Env, f *found) error {
	dest, src := it.t.Dest.Value, it.t.Src.Value
	why := it.conflict(env)
	shown := diff.Masked(it.deps.Secrets, dest+" (yours)", dest+" (from "+src+")", f.cur, f.want)
	if !it.deps.Force && env.Choose != nil {
		options := []string{"keep yours (the step stays not met)", "take onboard's version (yours is backed up)"}
		if looksDotenv(dest) {
			options = append(options, "merge: keep every line of yours, add the keys you lack")
		}
		n, err := env.Choose(ctx, why+":\n"+indent(shown, "    ")+"What should onboard do?", options)
		if err != nil {
			return err
		}
		switch n {
		case 0:
			fmt.Fprint(env.Log, shown)
			return fmt.Errorf("kept your %s as you chose; onboard's version differs as shown below", dest)
		case 2:
			merged, added := dotenv.Merge(f.cur, f.want)
			if err := it.write(env, f, merged); err != nil {
				return err
			}
			env.Record("merge", "dotenv")
			it.chosenMerge = true
			it.note = "; merged as you chose"
			if len(added) > 0 {
				it.note += ", added " + strings.Join(added, ", ")
			}
			return nil
		}
	} else if !it.deps.Force {
		if env.Confirm == nil {
			fmt.Fprint(env.Log, shown)
			return fmt.Errorf("kept your %s: it %s; onboard's version differs as shown below", dest, strings.TrimPrefix(why, dest+" "))
		}
		q := why + ":\n" + indent(shown, "    ") + "    Overwrite it (a backup is kept)?"
		ok, err := env.Confirm(ctx, q)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprint(env.Log, shown)
			return fmt.Errorf("kept your %s as you chose; onboard's version differs as shown below", dest)
		}
	}
	backup, err := f.root.Backup(dest, f.cur, it.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Log, "%s: backed up your version to %s\n", dest, backup)
	if err := it.write(env, f, f.want); err != nil {
		return err
	}
	it.note = "; your version is in " + backup
	return nil
}

// looksDotenv tells env files, which can be merged key by key.
func looksDotenv(dest string) bool {
	b := filepath.Base(dest)
	return b == ".env" || strings.HasPrefix(b, ".env.") || strings.HasSuffix(b, ".env")
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
