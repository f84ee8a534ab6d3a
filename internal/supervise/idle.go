package supervise

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// LastStatusName is where a detached supervisor that exited because no
// service was running anymore leaves what it knew of each one, so that
// `onboard services status` can still say which failed and why.
const LastStatusName = "last-status.json"

// idleGrace is how long a detached supervisor with no service running and
// no request in progress waits before it exits. It is short: `onboard up`
// asks for the next service within microseconds of the last answer, and a
// client that finds the supervisor gone starts another.
const idleGrace = time.Second

// activity counts the control requests in progress and when the last one
// ended: a supervisor is idle only when none is in progress.
type activity struct {
	mu   sync.Mutex
	busy int
	last time.Time
}

func newActivity() *activity { return &activity{last: time.Now()} }

func (a *activity) begin() {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.busy++
	a.mu.Unlock()
}

func (a *activity) end() {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.busy--
	a.last = time.Now()
	a.mu.Unlock()
}

// whenIdle runs fn, holding off new requests, when no request is in
// progress and none ended within d; it reports what fn returned (false
// when it did not run).
func (a *activity) whenIdle(d time.Duration, fn func() bool) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.busy == 0 && time.Since(a.last) >= d && fn()
}

// nothingRuns reports whether no service is starting, running or waiting
// to restart: what is left has failed, completed or been stopped.
func nothingRuns(list []Status) bool {
	for _, s := range list {
		if s.Active() {
			return false
		}
	}
	return true
}

// LastStatus is what the supervisor that exited when idle left in dir
// (.onboard/services), and when; ok is false when there is none.
type LastStatus struct {
	Exited   time.Time `json:"exited"`
	Services []Status  `json:"services"`
}

// writeLastStatus leaves list in dir (.onboard/services), atomically.
func writeLastStatus(dir *rootfs.Root, list []Status) error {
	data, err := json.MarshalIndent(LastStatus{Exited: time.Now(), Services: list}, "", "  ")
	if err != nil {
		return err
	}
	return dir.WriteFile(LastStatusName, append(data, '\n'), 0o600)
}

// ReadLastStatus reads what an idle supervisor left in dir when it exited.
func ReadLastStatus(dir string) (LastStatus, bool) {
	var last LastStatus
	data, err := os.ReadFile(filepath.Join(dir, LastStatusName))
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		return last, false
	}
	if json.Unmarshal(data, &last) != nil {
		return last, false
	}
	return last, true
}
