package run

import (
	"context"
	"os"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// jobPids lists the processes in a job (JobObjectBasicProcessIdList).
func jobPids(t *testing.T, j job) []int {
	t.Helper()
	var list struct {
		Assigned, InList uint32
		Pids             [64]uintptr
	}
	j.o.mu.Lock()
	defer j.o.mu.Unlock()
	if err := windows.QueryInformationJobObject(j.o.h, windows.JobObjectBasicProcessIdList,
		uintptr(unsafe.Pointer(&list)), uint32(unsafe.Sizeof(list)), nil); err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, p := range list.Pids[:list.InList] {
		pids = append(pids, int(p))
	}
	return pids
}

// Kill of a step kills what the step started too: the job holds it.
// (Compiled by GOOS=windows go vet on Linux; runs only on Windows.)
func TestJobKillsTheTree(t *testing.T) {
	p, err := startArgv(context.Background(), Command{
		Argv: []string{os.Getenv("ComSpec"), "/c", "ping -n 60 127.0.0.1 >nul"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.job.o == nil {
		t.Fatal("the step has no job")
	}
	var pids []int
	for deadline := time.Now().Add(10 * time.Second); len(pids) < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("job holds %v, want cmd and ping", pids)
		}
		time.Sleep(20 * time.Millisecond)
		pids = jobPids(t, p.job)
	}
	p.Kill()
	if !p.Killed() {
		t.Error("Killed() = false after Kill")
	}
	for _, pid := range pids {
		for deadline := time.Now().Add(5 * time.Second); Running(pid); {
			if time.Now().After(deadline) {
				t.Fatalf("pid %d of the step's job still runs after Kill", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
