package run

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// argsFromProcargs2 reads the arguments out of what macOS's sysctl
// kern.procargs2 returns for a process: argc (a 32-bit int, little endian
// on both of macOS's architectures), the executable's path, NUL padding,
// then argc NUL-terminated arguments, then the environment. ok is false
// when buf is not in that shape. Pure, so that it is tested on Linux.
func argsFromProcargs2(buf []byte) (args []string, ok bool) {
	if len(buf) < 4 {
		return nil, false
	}
	argc := int(int32(binary.LittleEndian.Uint32(buf)))
	rest := buf[4:]
	i := bytes.IndexByte(rest, 0) // end of the executable's path
	if argc <= 0 || i < 0 {
		return nil, false
	}
	rest = bytes.TrimLeft(rest[i:], "\x00")
	for range argc {
		j := bytes.IndexByte(rest, 0)
		if j < 0 {
			return nil, false
		}
		args = append(args, string(rest[:j]))
		rest = rest[j+1:]
	}
	return args, true
}

// shortCommand is a command line for a message: args joined by spaces,
// cut to 80 bytes (as commandLine on Linux).
func shortCommand(args []string) string {
	s := strings.TrimRight(strings.Join(args, " "), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
