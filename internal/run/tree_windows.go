package run

import "golang.org/x/sys/windows"

// RefOf is the process pid.
func RefOf(pid int) Ref { return Ref{Pid: pid} }

// Alive reports whether a process with this pid runs.
func (r Ref) Alive() bool { return Running(r.Pid) }

// KillTree terminates r. Windows has no process groups, and from a pid
// alone the processes r started cannot be found: a step's tree is held by
// its Job Object (job_windows.go), which a Ref does not reach.
func KillTree(r Ref) {
	h, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, uint32(r.Pid))
	if err != nil {
		return
	}
	defer windows.CloseHandle(h)
	_ = windows.TerminateProcess(h, 1)
}

// Running reports whether pid is a live process: one that can be opened
// and has no exit code yet.
func Running(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		// A process of another user cannot be opened but runs.
		return err == windows.ERROR_ACCESS_DENIED
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return false
	}
	const stillActive = 259 // STILL_ACTIVE
	return code == stillActive
}
