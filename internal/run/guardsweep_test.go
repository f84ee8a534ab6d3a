package run

import (
	"errors"
	"reflect"
	"testing"
)

// guardTable is the process table the macOS guard (400) sees once its
// child, the onboard that worked (500), has died and launchd (1) adopted
// the child's children:
//
//	401 still below the guard
//	510 a step the child started (watched), group 510
//	├─ 511 (group 510)
//	├─ 512 left with setsid (group 512)
//	│  └─ 513
//	└─ 514 detached (spared), 515 below it
//	521 orphan in the group of 520, a watched step that exited; 522 below it
//	530 another process with the pid of a watched one (start differs); 531 in its group
//	540 a watched step now a zombie; 541 in its group
//	600 someone else's
func guardTable() []procEntry {
	return []procEntry{
		{Pid: 1, PPid: 0, Pgid: 1, Start: 1},
		{Pid: 400, PPid: 300, Pgid: 400, Start: 400},
		{Pid: 401, PPid: 400, Pgid: 400, Start: 401},
		{Pid: 510, PPid: 1, Pgid: 510, Start: 510},
		{Pid: 511, PPid: 510, Pgid: 510, Start: 511},
		{Pid: 512, PPid: 510, Pgid: 512, Start: 512},
		{Pid: 513, PPid: 512, Pgid: 512, Start: 513},
		{Pid: 514, PPid: 510, Pgid: 514, Start: 514},
		{Pid: 515, PPid: 514, Pgid: 514, Start: 515},
		{Pid: 521, PPid: 1, Pgid: 520, Start: 521},
		{Pid: 522, PPid: 521, Pgid: 522, Start: 522},
		{Pid: 530, PPid: 1, Pgid: 530, Start: 9999},
		{Pid: 531, PPid: 530, Pgid: 530, Start: 10000},
		{Pid: 540, PPid: 1, Pgid: 540, Start: 540, Zombie: true},
		{Pid: 541, PPid: 1, Pgid: 540, Start: 541},
		{Pid: 600, PPid: 1, Pgid: 600, Start: 600},
	}
}

var (
	guardWatched = map[Ref]bool{
		{Pid: 510, Start: 510}: true, {Pid: 520, Start: 520}: true,
		{Pid: 530, Start: 530}: true, {Pid: 540, Start: 540}: true,
	}
	guardSpared = map[Ref]bool{{Pid: 514, Start: 514}: true}
)

func TestSweepList(t *testing.T) {
	got := pidsOf(sweepList(guardTable(), 400, guardWatched, guardSpared))
	want := []int{401, 510, 511, 512, 513, 521, 522, 541}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sweepList = %v, want %v", got, want)
	}
	if got := sweepList(guardTable(), 400, nil, nil); !reflect.DeepEqual(pidsOf(got), []int{401}) {
		t.Errorf("sweepList with nothing watched = %v, want only what is below the guard: [401]", pidsOf(got))
	}
}

// fakeProcs is a process table that kills act on: a killed process leaves
// it, and a process may fork once as it is killed (a new member of its
// group, which the next round must find).
type fakeProcs struct {
	tab    []procEntry
	forks  map[int]procEntry // pid → the process it starts when killed
	killed [][]int
	err    error
}

func (f *fakeProcs) table() ([]procEntry, error) { return f.tab, f.err }

func (f *fakeProcs) kill(list []Ref) {
	f.killed = append(f.killed, pidsOf(list))
	for _, r := range list {
		for i, e := range f.tab {
			if e.ref() == r {
				f.tab = append(f.tab[:i], f.tab[i+1:]...)
				break
			}
		}
		if child, ok := f.forks[r.Pid]; ok {
			f.tab = append(f.tab, child)
			delete(f.forks, r.Pid)
		}
	}
}

func TestSweep(t *testing.T) {
	f := &fakeProcs{
		tab:   guardTable(),
		forks: map[int]procEntry{511: {Pid: 516, PPid: 1, Pgid: 510, Start: 516}},
	}
	var counts []int
	sweep(f.table, f.kill, 400, guardReport{watched: guardWatched, spared: guardSpared}, func(n int) { counts = append(counts, n) })
	want := [][]int{{401, 510, 511, 512, 513, 521, 522, 541}, {516}}
	if !reflect.DeepEqual(f.killed, want) {
		t.Errorf("kill rounds = %v, want %v", f.killed, want)
	}
	if !reflect.DeepEqual(counts, []int{8, 1}) {
		t.Errorf("Killed told %v, want [8 1]", counts)
	}
	left := pidsOf(refsOf(f.tab))
	if wantLeft := []int{1, 400, 514, 515, 530, 531, 540, 600}; !reflect.DeepEqual(left, wantLeft) {
		t.Errorf("left running %v, want %v", left, wantLeft)
	}
}

// A table that cannot be read kills nothing: a guess could hit another
// user's process.
func TestSweepUnreadableTable(t *testing.T) {
	f := &fakeProcs{tab: guardTable(), err: errors.New("sysctl: no")}
	sweep(f.table, f.kill, 400, guardReport{watched: guardWatched}, nil)
	if len(f.killed) != 0 {
		t.Errorf("killed %v with no table", f.killed)
	}
}

func refsOf(tab []procEntry) []Ref {
	var out []Ref
	for _, e := range tab {
		out = append(out, e.ref())
	}
	return out
}
