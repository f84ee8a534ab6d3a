package supervise

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// replacedIn says which program of a run's process tree was replaced since
// it started ("" when none was): the service's own process, and every one
// below it, since a service whose run is a shell string or a script has a
// shell as its own process and the program that matters (a rebuilt
// ./server) further down. A compose run has no tree here: a container's
// processes are not in our mount namespace.
func replacedIn(inst instance) string {
	p, ok := inst.(*Proc)
	if !ok || p == nil {
		return ""
	}
	for _, pid := range p.pids() {
		if why := exeReplaced(pid); why != "" {
			return why
		}
	}
	return ""
}

// exeReplaced says how the program a process runs was replaced since it
// started ("" when it was not, or cannot be told): a rebuild deletes or
// renames over the file, so the kernel shows the running image as
// "PATH (deleted)", or PATH is now another file (another device or inode)
// than the one the process maps. The running image is the identity
// recorded at start: the kernel keeps it, so nothing needs recording.
func exeReplaced(pid int) string {
	if pid <= 0 {
		return ""
	}
	proc := fmt.Sprintf("/proc/%d/exe", pid)
	link, err := os.Readlink(proc)
	if err != nil {
		return ""
	}
	if path, ok := strings.CutSuffix(link, " (deleted)"); ok {
		return path + " was replaced since it started"
	}
	var running, now syscall.Stat_t
	if syscall.Stat(proc, &running) != nil {
		return ""
	}
	if syscall.Stat(link, &now) != nil {
		// Not reachable from here (another mount namespace, as in a
		// container): nothing to tell.
		return ""
	}
	if running.Dev != now.Dev || running.Ino != now.Ino {
		return link + " was replaced since it started"
	}
	return ""
}
