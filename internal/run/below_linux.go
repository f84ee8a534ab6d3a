package run

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// below lists the processes below pid (children, theirs, …). The kernel's
// per-thread children lists are read rather than every process of /proc:
// the supervisor asks for each service on every status request, and a scan
// of /proc per service would cost a 100-service stack milliseconds each
// time. A kernel without those lists (CONFIG_PROC_CHILDREN off) gets the
// full scan.
func below(pid int) []int {
	var out []int
	seen := map[int]bool{pid: true}
	queue := []int{pid}
	for len(queue) > 0 {
		kids, ok := childrenOf(queue[0])
		queue = queue[1:]
		if !ok {
			out = out[:0]
			for _, r := range descendants(pid) {
				out = append(out, r.Pid)
			}
			return out
		}
		for _, k := range kids {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
				queue = append(queue, k)
			}
		}
	}
	return out
}

// childrenOf reads pid's children from /proc/PID/task/*/children; ok is
// false when the kernel has no such lists. A process gone meanwhile has
// no children (ok).
func childrenOf(pid int) (kids []int, ok bool) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if err != nil {
		return nil, false
	}
	if len(tasks) == 0 {
		_, err := os.Stat(fmt.Sprintf("/proc/%d/task", pid))
		return nil, err != nil // gone: fine; there but no lists: not ok
	}
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // the thread ended
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids, true
}
