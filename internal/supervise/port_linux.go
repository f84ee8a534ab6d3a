package supervise

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// PortHolder finds the process listening on TCP port (any local address,
// IPv4 or IPv6), from /proc/net/tcp{,6} (LISTEN sockets and their inodes)
// and the /proc/<pid>/fd links that point at them ("socket:[inode]").
// It returns pid 0 and no error when nothing listens on the port, and
// ErrHolderHidden when something does but its process is not visible to us
// (another user's process when onboard is not root, another namespace).
func PortHolder(port int) (pid int, cmdline string, err error) {
	inodes := map[string]bool{}
	found := false
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		ins, err := listenInodes(f, port)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // no IPv6
			}
			return 0, "", err
		}
		for _, in := range ins {
			found = true
			if in != "0" {
				inodes["socket:["+in+"]"] = true
			}
		}
	}
	if !found {
		return 0, "", nil
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, "", err
	}
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		fdDir := filepath.Join("/proc", d.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			continue // gone, or not ours to see
		}
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
			if err == nil && inodes[link] {
				return pid, procCmdline(pid), nil
			}
		}
	}
	return 0, "", ErrHolderHidden
}

// listenInodes returns the inodes of the LISTEN sockets on port in one of
// /proc/net/tcp{,6}. Lines: "sl local_address rem_address st … uid timeout
// inode …", local_address as HEXIP:HEXPORT, st 0A for LISTEN.
func listenInodes(file string, port int) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	want := fmt.Sprintf(":%04X", port)
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[3] != "0A" || !strings.HasSuffix(f[1], want) {
			continue
		}
		out = append(out, f[9])
	}
	return out, sc.Err()
}

// procCmdline is the command line of pid, NUL separators as spaces,
// shortened to 120 characters.
func procCmdline(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(b) == 0 {
		c, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		return strings.TrimSpace(string(c))
	}
	s := strings.TrimSpace(strings.ReplaceAll(string(bytes.TrimRight(b, "\x00")), "\x00", " "))
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return s
}
