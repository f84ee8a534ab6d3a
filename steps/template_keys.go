package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/onboard-dev/onboard/internal/diff"
	"github.com/onboard-dev/onboard/internal/dotenv"
	"github.com/onboard-dev/onboard/internal/engine"
)

// With `merge: dotenv`, each key is merged three ways: onboard remembers
// (as a hash, in state) the value it last wrote for each key. On `up`:
//
//   - a key whose rendered value changed (a new answer) and that the user
//     has not edited since onboard wrote it is updated, in place;
//   - a key the user edited, and that onboard would now change, is a
//     conflict: on a terminal the user keeps theirs or takes onboard's,
//     key by key, without one the step fails naming the key, and --force takes
//     onboard's (the file is backed up first);
//   - a key the user edited while onboard's value stayed the same, a key
//     onboard never wrote, and a key the template does not have stay as
//     they are; a key the file lacks is added.

// keyPlan is what a merge must do besides adding the missing keys.
type keyPlan struct {
	stale     []string // onboard's value changed and the user's is onboard's old one
	conflicts []string // the user changed it, and onboard's value changed too
	// unrecorded differ from the render, and onboard has no record of
	// what it wrote to dest at all (template_baseline.go): kept as the
	// user's, and said so.
	unrecorded []string
	// theirs differ from the render, and were kept as the user's for want
	// of a record on an earlier run (said then): --force still takes
	// onboard's.
	theirs []string
}

// theirsMark is the record of a key kept as the user's for want of a
// record: no hash, so that neither an update nor a conflict is ever
// derived from it.
const theirsMark = ""

// planKeys compares dest (cur) with the render (want), key by key, against
// prior, the hash of what onboard last wrote for each key; recorded is
// false when onboard has no record of dest at all.
func planKeys(cur, want []byte, prior map[string]string, recorded bool) keyPlan {
	var p keyPlan
	have := dotenv.Values(cur)
	for k, w := range dotenv.Values(want) {
		c, ok := have[k]
		if !ok || c == w {
			continue
		}
		last, known := prior[k]
		switch {
		case !known && !recorded:
			p.unrecorded = append(p.unrecorded, k)
		case known && last == theirsMark:
			p.theirs = append(p.theirs, k)
		case !known:
			// Never written by onboard: the user's.
		case sum([]byte(c)) == last:
			p.stale = append(p.stale, k)
		case sum([]byte(w)) != last:
			p.conflicts = append(p.conflicts, k)
		}
	}
	sort.Strings(p.stale)
	sort.Strings(p.conflicts)
	sort.Strings(p.unrecorded)
	sort.Strings(p.theirs)
	return p
}

// unrecordedNote tells the user which keys were kept as theirs for want of
// a record, and how to take onboard's values instead.
func (it *templateStep) unrecordedNote(keys []string) string {
	return fmt.Sprintf("kept your %s: onboard has no record of the values it wrote to %s, so they count as yours; `onboard --force` takes onboard's (your file is backed up)",
		strings.Join(keys, ", "), it.t.Dest.Value)
}

// recordKeys remembers, for each key of the render, the value onboard
// wrote: the render's when final has it, the earlier record otherwise
// (the user's edit stays theirs). seen are keys whose new rendered value
// the user saw and declined: recorded as written, so the same choice is
// not asked again until the render changes. theirs are keys kept as the
// user's for want of a record (theirsMark), unless final has the render's
// value.
func recordKeys(env *engine.Env, final, want []byte, prior map[string]string, seen, theirs []string) {
	fv := dotenv.Values(final)
	rec := map[string]string{}
	for k, w := range dotenv.Values(want) {
		if last, ok := prior[k]; ok {
			rec[k] = last
		}
		if v, ok := fv[k]; ok && v == w {
			rec[k] = sum([]byte(w))
		}
	}
	for _, k := range seen {
		if w, ok := dotenv.Values(want)[k]; ok {
			rec[k] = sum([]byte(w))
		}
	}
	for _, k := range theirs {
		if w, ok := dotenv.Values(want)[k]; ok && fv[k] != w {
			rec[k] = theirsMark
		}
	}
	data, _ := json.Marshal(rec)
	env.Record("keys", string(data))
}

// mergeKeys is Apply with `merge: dotenv`: update the stale keys, settle
// the conflicting ones, add the missing ones, and write.
func (it *templateStep) mergeKeys(ctx context.Context, env *engine.Env, f *found) error {
	dest := it.t.Dest.Value
	prior := f.prior
	take := f.keys.stale
	var kept []string
	var notes []string
	if it.deps.Force {
		// --force, as the note about keys without a record says: the
		// user asks for onboard's values.
		f.keys.conflicts = append(append(f.keys.conflicts, f.keys.unrecorded...), f.keys.theirs...)
		sort.Strings(f.keys.conflicts)
		f.keys.unrecorded, f.keys.theirs = nil, nil
	}
	if len(f.keys.conflicts) > 0 {
		taken, err := it.resolveKeys(ctx, env, f)
		if err != nil {
			return err
		}
		for _, k := range f.keys.conflicts {
			if !slices.Contains(taken, k) {
				kept = append(kept, k)
			}
		}
		if len(taken) > 0 {
			backup, err := f.root.Backup(dest, f.cur, it.now())
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Log, "%s: backed up your version to %s\n", dest, backup)
			take = append(append([]string(nil), take...), taken...)
			notes = append(notes, "took onboard's "+strings.Join(taken, ", ")+"; your version is in "+backup)
		}
		if len(kept) > 0 {
			notes = append(notes, "kept your "+strings.Join(kept, ", "))
		}
	}
	data := dotenv.Update(f.cur, f.want, take)
	data, added := dotenv.Merge(data, f.want)
	if err := it.write(env, f, data); err != nil {
		return err
	}
	recordKeys(env, data, f.want, prior, kept, slices.Concat(f.keys.unrecorded, f.keys.theirs))
	if len(f.keys.stale) > 0 {
		notes = append([]string{strings.Join(f.keys.stale, ", ") + " updated"}, notes...)
	}
	if len(f.keys.unrecorded) > 0 {
		notes = append(notes, it.unrecordedNote(f.keys.unrecorded))
	}
	if len(added) > 0 {
		notes = append(notes, "added "+strings.Join(added, ", "))
	}
	it.note = "; " + strings.Join(notes, "; ")
	return nil
}

// resolveKeys settles the keys the user changed that onboard would now
// change too, and returns those whose onboard value is taken. On a
// terminal each key is its own question, with its own diff: a user who
// wants onboard's new password may still keep their own database host.
// With --force every one is taken; without a terminal it fails with the
// masked diff in the log.
func (it *templateStep) resolveKeys(ctx context.Context, env *engine.Env, f *found) (taken []string, err error) {
	dest := it.t.Dest.Value
	switch {
	case it.deps.Force:
		return f.keys.conflicts, nil
	case env.Choose != nil:
		for i, k := range f.keys.conflicts {
			why := fmt.Sprintf("you changed %s in %s, and onboard's value changed too", k, dest)
			if n := len(f.keys.conflicts); n > 1 {
				why += fmt.Sprintf(" (key %d of %d)", i+1, n)
			}
			shown := it.keysDiff(f, []string{k})
			c, err := env.Choose(ctx, why+":\n"+indent(shown, "    ")+"What should onboard do with "+k+"?",
				[]string{"keep yours (asked again only when onboard's value changes again)", "take onboard's (your file is backed up)"})
			if err != nil {
				return nil, err
			}
			if c == 1 {
				taken = append(taken, k)
			}
		}
		return taken, nil
	}
	keys := strings.Join(f.keys.conflicts, ", ")
	fmt.Fprint(env.Log, it.keysDiff(f, f.keys.conflicts))
	return nil, fmt.Errorf("kept your %s: you changed %s in %s, and onboard's value changed too; onboard's values differ as shown below", dest, keys, dest)
}

// keysDiff is the diff, secrets masked, between dest as it is and dest
// with onboard's values of keys.
func (it *templateStep) keysDiff(f *found, keys []string) string {
	dest, src := it.t.Dest.Value, it.t.Src.Value
	theirs := dotenv.Update(f.cur, f.want, keys)
	// The user's value of a key that holds a secret is a secret too, in
	// the changed lines and in the lines around them.
	secrets := append([]string(nil), it.deps.Secrets...)
	cur, want := dotenv.Values(f.cur), dotenv.Values(f.want)
	for k := range want {
		for _, sec := range it.deps.Secrets {
			if sec != "" && strings.Contains(want[k], sec) && cur[k] != "" {
				secrets = append(secrets, cur[k])
			}
		}
	}
	return diff.Masked(secrets, dest+" (yours)", dest+" (from "+src+")", f.cur, theirs)
}
