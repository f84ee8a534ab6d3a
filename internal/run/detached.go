package run

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// detached are the processes started with [Command.Detach] — meant to
// outlive onboard — which the end-of-run sweeps spare, with what runs below
// them. When a [Guard] watches this process, each is also written to the
// pipe to the guard, so that its own sweep spares them too.
var detached struct {
	sync.Mutex
	refs  map[Ref]bool
	guard *os.File
}

// abandoned is set by Abandon: no process starts any more.
var abandoned atomic.Bool

var errAbandoned = errors.New("onboard is stopping: its terminal or its guard is gone")

func setGuardPipe(f *os.File) {
	detached.Lock()
	defer detached.Unlock()
	detached.guard = f
}

// spare records a detached process.
func spare(r Ref) {
	detached.Lock()
	defer detached.Unlock()
	if detached.refs == nil {
		detached.refs = map[Ref]bool{}
	}
	detached.refs[r] = true
	if detached.guard != nil {
		_, _ = fmt.Fprintf(detached.guard, "%d %d\n", r.Pid, r.Start)
	}
}

func spared() map[Ref]bool {
	detached.Lock()
	defer detached.Unlock()
	out := make(map[Ref]bool, len(detached.refs))
	for r := range detached.refs {
		out[r] = true
	}
	return out
}

// Leftover is a process that still ran below onboard when its work was
// done: something a step started in the background and did not stop.
type Leftover struct {
	Pid     int
	Command string // its command line, shortened
}
