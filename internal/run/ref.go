package run

// Ref names a process by pid and start time, so that a pid the kernel has
// since reused is never signalled. What Start counts is the system's: clock
// ticks since boot on Linux (/proc/PID/stat), microseconds since the epoch
// on macOS (kern.proc's p_starttime); elsewhere it is 0 and a Ref is only a
// pid.
type Ref struct {
	Pid   int
	Start uint64
}
