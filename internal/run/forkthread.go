package run

import (
	"runtime"
	"sync"
)

// The fork thread: every child that is not detached is started from one
// OS thread that never exits, because Linux's Pdeathsig fires when the
// thread that forked the child exits, not the process, and the Go
// runtime retires idle threads. Starting each child from a thread locked
// for that child's lifetime (as before) kept a thread per running child:
// 100 threads, 4.8 MiB of their stacks, in a supervisor of 100 services.
// Forks are serialised anyway (syscall.ForkLock), so one thread costs no
// parallelism.

var (
	forkOnce sync.Once
	forkReqs chan func()
)

// onForkThread runs f on the fork thread and returns when f has.
func onForkThread(f func()) {
	forkOnce.Do(func() {
		forkReqs = make(chan func())
		go func() {
			// Never unlocked: the thread lives as long as the process.
			runtime.LockOSThread()
			for f := range forkReqs {
				f()
			}
		}()
	})
	done := make(chan struct{})
	forkReqs <- func() {
		defer close(done)
		f()
	}
	<-done
}
