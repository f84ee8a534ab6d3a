package run

import (
	"reflect"
	"testing"
)

// sampleTable is a process table as macOS's kern.proc gives it (pid 0 is
// its own parent, 1 is launchd), with onboard at 500 running a step:
//
//	500 onboard
//	├─ 510 sh (group 510, the step)
//	│  ├─ 511 sleep (group 510)
//	│  └─ 512 daemon that left with setsid (group 512)
//	│     └─ 513 its worker (group 512)
//	├─ 520 zombie step (group 520), not yet reaped
//	│  └─ 521 what it started, still running (group 520)
//	└─ 530 the supervisor, detached (group 530)
//	   └─ 531 a service (group 531)
//
// and, outside the tree, 600 (another user's shell) and 700, an orphan
// that launchd adopted but is still in group 510.
var sampleTable = []procEntry{
	{Pid: 0, PPid: 0, Pgid: 0, Start: 1},
	{Pid: 1, PPid: 0, Pgid: 1, Start: 2},
	{Pid: 500, PPid: 400, Pgid: 500, Start: 1000},
	{Pid: 510, PPid: 500, Pgid: 510, Start: 1010},
	{Pid: 511, PPid: 510, Pgid: 510, Start: 1011},
	{Pid: 512, PPid: 510, Pgid: 512, Start: 1012},
	{Pid: 513, PPid: 512, Pgid: 512, Start: 1013},
	{Pid: 520, PPid: 500, Pgid: 520, Start: 1020, Zombie: true},
	{Pid: 521, PPid: 520, Pgid: 520, Start: 1021},
	{Pid: 530, PPid: 500, Pgid: 530, Start: 1030},
	{Pid: 531, PPid: 530, Pgid: 531, Start: 1031},
	{Pid: 600, PPid: 1, Pgid: 600, Start: 1100},
	{Pid: 700, PPid: 1, Pgid: 510, Start: 1200},
}

func pidsOf(refs []Ref) []int {
	var out []int
	for _, r := range refs {
		out = append(out, r.Pid)
	}
	return out
}

func TestTreeIn(t *testing.T) {
	supervisor := map[Ref]bool{{Pid: 530, Start: 1030}: true}
	tests := []struct {
		name   string
		pid    int
		spared map[Ref]bool
		want   []int
	}{
		// Parents before children; the setsid daemon and its worker are
		// found through parent links; a zombie is left out but not what
		// it started; the orphan 700 is not below 500 any more.
		{"everything below", 500, nil, []int{510, 530, 511, 512, 521, 531, 513}},
		{"a detached process and its service are spared", 500, supervisor, []int{510, 511, 512, 521, 513}},
		// A spared ref with another start time is another process.
		{"a reused pid is not spared", 500, map[Ref]bool{{Pid: 530, Start: 9}: true}, []int{510, 530, 511, 512, 521, 531, 513}},
		{"one step", 510, nil, []int{511, 512, 513}},
		{"a leaf", 513, nil, nil},
		{"not in the table", 999, nil, nil},
		// pid 0 is its own parent: no endless loop, and 0 is not its own
		// descendant.
		{"the kernel", 0, nil, []int{1, 600, 700}},
	}
	for _, tt := range tests {
		got := pidsOf(treeIn(sampleTable, tt.pid, tt.spared))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: treeIn(%d) = %v, want %v", tt.name, tt.pid, got, tt.want)
		}
	}
	// Refs carry the start time, so that signalling checks them.
	if got := treeIn(sampleTable, 512, nil); !reflect.DeepEqual(got, []Ref{{Pid: 513, Start: 1013}}) {
		t.Errorf("treeIn(512) = %v, want [{513 1013}]", got)
	}
}

// A parent loop (a table read while pids were reused) ends.
func TestTreeInLoop(t *testing.T) {
	tab := []procEntry{{Pid: 2, PPid: 3}, {Pid: 3, PPid: 2}}
	if got := pidsOf(treeIn(tab, 2, nil)); !reflect.DeepEqual(got, []int{3}) {
		t.Errorf("treeIn over a loop = %v, want [3]", got)
	}
}

func TestGroupIn(t *testing.T) {
	tests := []struct {
		pgid int
		live bool
		want []int
	}{
		// The orphan 700 still counts: it is in the group.
		{510, true, []int{510, 511, 700}},
		{520, true, []int{521}},
		{512, true, []int{512, 513}},
		{999, false, nil},
	}
	for _, tt := range tests {
		if got := groupLiveIn(sampleTable, tt.pgid); got != tt.live {
			t.Errorf("groupLiveIn(%d) = %v, want %v", tt.pgid, got, tt.live)
		}
		if got := pidsOf(groupIn(sampleTable, tt.pgid)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("groupIn(%d) = %v, want %v", tt.pgid, got, tt.want)
		}
	}
	onlyZombie := []procEntry{{Pid: 9, PPid: 1, Pgid: 9, Zombie: true}}
	if groupLiveIn(onlyZombie, 9) {
		t.Error("groupLiveIn: a group of one zombie counts as live")
	}
}

func TestAliveIn(t *testing.T) {
	tests := []struct {
		r    Ref
		want bool
	}{
		{Ref{Pid: 511, Start: 1011}, true},
		{Ref{Pid: 511, Start: 5}, false},    // the pid was reused
		{Ref{Pid: 520, Start: 1020}, false}, // a zombie
		{Ref{Pid: 999, Start: 1}, false},    // gone
	}
	for _, tt := range tests {
		if got := aliveIn(sampleTable, tt.r); got != tt.want {
			t.Errorf("aliveIn(%v) = %v, want %v", tt.r, got, tt.want)
		}
	}
}
