package steps

import (
	"slices"
	"testing"
)

// Each key of a merged env file, three ways: what onboard last wrote
// (prior), what the file has, what the template renders now.
func TestPlanKeys(t *testing.T) {
	prior := map[string]string{"A": sum([]byte("1")), "B": sum([]byte("1")), "C": sum([]byte("1")), "D": sum([]byte("1"))}
	cur := []byte("A=1\nB=mine\nC=mine\nD=1\nE=user\nF=x\n")
	want := []byte("A=2\nB=1\nC=2\nD=1\nE=tmpl\nG=new\n")
	p := planKeys(cur, want, prior, true)
	// A: onboard's old value, render changed → update. B: edited, render
	// unchanged → kept. C: edited, render changed → conflict. D: same.
	// E: onboard never wrote it → the user's. G: missing → Merge adds it.
	if !slices.Equal(p.stale, []string{"A"}) || !slices.Equal(p.conflicts, []string{"C"}) {
		t.Errorf("planKeys = stale %q, conflicts %q; want [A], [C]", p.stale, p.conflicts)
	}
	if len(p.unrecorded) != 0 {
		t.Errorf("planKeys with a record: unrecorded %q, want none", p.unrecorded)
	}
	// Without any record every key that differs is the user's, and named.
	p = planKeys(cur, want, map[string]string{}, false)
	if len(p.stale)+len(p.conflicts) != 0 || !slices.Equal(p.unrecorded, []string{"A", "B", "C", "E"}) {
		t.Errorf("planKeys without a record = stale %q, conflicts %q, unrecorded %q; want [], [], [A B C E]", p.stale, p.conflicts, p.unrecorded)
	}
}
