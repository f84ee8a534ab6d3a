//go:build unix

package rootfs

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets this test binary act as a writer that the kill test
// below can SIGKILL mid-write.
func TestMain(m *testing.M) {
	if dir := os.Getenv("ONBOARD_TEST_KILL_WRITER"); dir != "" {
		root, err := Open(dir)
		if err != nil {
			os.Exit(2)
		}
		for i := 0; ; i++ {
			data := bytes.Repeat([]byte{'a' + byte(i%2)}, 4<<20)
			if err := root.WriteFile(".env", data, 0o600); err != nil {
				os.Exit(3)
			}
		}
	}
	os.Exit(m.Run())
}

// TestWriteSurvivesSIGKILL kills a process that keeps rewriting a 4 MiB
// file at random moments: the file is always one whole version, old or
// new, never a mix or a truncation; the next write leaves no temp files.
func TestWriteSurvivesSIGKILL(t *testing.T) {
	dir := t.TempDir()
	midWrite := 0
	for i := 0; i < 15; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ONBOARD_TEST_KILL_WRITER="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if tmps, _ := filepath.Glob(filepath.Join(dir, "*onboard-tmp*")); len(tmps) > 0 {
			midWrite++
		}
		data, err := os.ReadFile(filepath.Join(dir, ".env"))
		if os.IsNotExist(err) {
			continue // killed before the first rename
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(data) != 4<<20 || (bytes.Count(data, data[:1]) != len(data)) {
			t.Fatalf("kill %d: .env is %d bytes, not one whole version", i, len(data))
		}
	}
	t.Logf("%d of 15 kills landed mid-write (a temp file was left)", midWrite)
	root, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := root.WriteFile(".env", []byte("final\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != ".env" && strings.Contains(e.Name(), "onboard-tmp") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}
