package run

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestReadGuardPipe(t *testing.T) {
	in := "123 456\n" + // detached: spared
		"w 200 7\n" + // started: watched
		"w 201 0\n" +
		"garbage\n" + // skipped, names nothing
		"w x y\n" +
		"\n" +
		" 5 6\n"
	rep := readGuardPipe(strings.NewReader(in))
	wantSpared := map[Ref]bool{{Pid: 123, Start: 456}: true, {Pid: 5, Start: 6}: true}
	wantWatched := map[Ref]bool{{Pid: 200, Start: 7}: true, {Pid: 201, Start: 0}: true}
	if !reflect.DeepEqual(rep.spared, wantSpared) {
		t.Errorf("spared = %v, want %v", rep.spared, wantSpared)
	}
	if !reflect.DeepEqual(rep.watched, wantWatched) {
		t.Errorf("watched = %v, want %v", rep.watched, wantWatched)
	}
}

// What the child writes (spare, watch) is what the guard reads; watch
// writes only when the guard asked for it (macOS), so a Linux child sends
// the spared processes alone.
func TestGuardPipeRoundTrip(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	setGuardPipe(w)
	defer func() {
		setGuardPipe(nil)
		watching.Store(false)
		detached.Lock()
		detached.refs = nil
		detached.Unlock()
	}()
	self := os.Getpid()
	me := RefOf(self)
	watch(self) // not asked: nothing written
	spare(Ref{Pid: 42, Start: 4242})
	watching.Store(true)
	watch(self)
	_ = w.Close()

	lines := bufio.NewScanner(r)
	var got []string
	for lines.Scan() {
		got = append(got, lines.Text())
	}
	want := []string{"42 4242", fmt.Sprintf("w %d %d", me.Pid, me.Start)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pipe lines = %q, want %q", got, want)
	}
	rep := readGuardPipe(strings.NewReader(strings.Join(got, "\n")))
	if !rep.spared[Ref{Pid: 42, Start: 4242}] || !rep.watched[me] || len(rep.spared)+len(rep.watched) != 2 {
		t.Errorf("read back %+v, want 42 spared and %v watched", rep, me)
	}
}
