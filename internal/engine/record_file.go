package engine

import (
	"errors"
)

// ErrReadOnlyWorkspace is a write asked of a read-only run's workspace
// (check), which writes nothing in the checkout.
var ErrReadOnlyWorkspace = errors.New("a read-only run writes nothing in the checkout")

// WriteRecord writes name (a file of the state directory, such as
// last-run.json) atomically and owner-only, through the checkout's
// confined root like state.json: a symlink planted below .onboard cannot
// send it elsewhere, and a reader sees the old record or the new one.
func (w *Workspace) WriteRecord(name string, data []byte) error {
	if w.fs == nil {
		return ErrReadOnlyWorkspace
	}
	return w.fs.WriteFile(DirName+"/"+name, data, 0o600)
}
