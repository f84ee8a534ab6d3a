package run

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// job holds the whole process tree of a started program: a Job Object.
// Windows has no process groups; a process that the program starts is in
// its job too, so terminating the job kills the tree, and the job's
// kill-on-close limit kills whatever is left of it when the job is closed:
// once the program has exited (so what a step leaves in the background
// ends with the step), or when onboard dies and Windows closes its
// handles (as Pdeathsig does on Linux). The zero job holds nothing: the
// job could not be made (onboard runs in a job that forbids nested jobs,
// before Windows 8) and only the program itself is killed.
type job struct{ o *jobObject }

type jobObject struct {
	mu sync.Mutex // terminate (Stop, Kill) and close (exit) may race
	h  windows.Handle
}

// holdTree puts the started program pid in a new Job Object. A process it
// starts in the moment between its start and this call is not in the job:
// Go starts no process suspended, which would close that gap.
func holdTree(pid int) job {
	h, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return job{}
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		_ = windows.CloseHandle(h)
		return job{}
	}
	p, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		_ = windows.CloseHandle(h)
		return job{}
	}
	defer windows.CloseHandle(p)
	if err := windows.AssignProcessToJobObject(h, p); err != nil {
		_ = windows.CloseHandle(h)
		return job{}
	}
	return job{o: &jobObject{h: h}}
}

// terminate kills every process of the job; it reports whether there was
// a job to terminate.
func (j job) terminate() bool {
	if j.o == nil {
		return false
	}
	j.o.mu.Lock()
	defer j.o.mu.Unlock()
	if j.o.h == 0 {
		return false
	}
	return windows.TerminateJobObject(j.o.h, 1) == nil
}

// close closes the job, which kills what is left in it.
func (j job) close() {
	if j.o == nil {
		return
	}
	j.o.mu.Lock()
	defer j.o.mu.Unlock()
	if j.o.h != 0 {
		_ = windows.CloseHandle(j.o.h)
		j.o.h = 0
	}
}
