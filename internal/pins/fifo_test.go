//go:build unix

package pins

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO named like a pin file must be refused, not opened: opening it
// would block the run until something writes to it.
func TestFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, ".nvmrc"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := ReadDir(dir, ".nvmrc", "node")
	if want := ".nvmrc: is not a regular file"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
