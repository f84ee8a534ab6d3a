package supervise

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// exeReplaced says how the program a process runs was replaced since it
// started ("" when it was not, or cannot be told): a rebuild deletes or
// renames over the file, so the kernel shows the running image as
// "PATH (deleted)", or PATH is now another file (another device or inode)
// than the one the process maps.
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
