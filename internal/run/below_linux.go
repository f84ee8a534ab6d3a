package run

import (
	"errors"
	"io/fs"
	"os"
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
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	d, err := os.Open(dir)
	if err != nil {
		return nil, true // gone
	}
	tids, _ := d.Readdirnames(-1)
	d.Close()
	buf := make([]byte, 0, 512)
	for _, tid := range tids {
		b, err := readInto(buf, dir+tid+"/children")
		if errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(dir + tid); err != nil {
				continue // the thread ended
			}
			return nil, false // no lists in this kernel
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids, true
}

// readInto reads the small file name into buf's storage (os.ReadFile
// stats first, which a procfs file does not need).
func readInto(buf []byte, name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf = buf[:0]
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil || n == 0 {
			return buf, nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
