package supervise

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// lsofArgs is the lsof command whose output parseLsofListen reads: the
// processes with a TCP socket listening on port, numeric (-n: no DNS,
// -P: no service names, both slow), full command names (+c 0; else lsof
// cuts them to 9 characters).
func lsofArgs(port int) []string {
	return []string{"lsof", "-nP", "+c", "0", "-iTCP:" + strconv.Itoa(port), "-sTCP:LISTEN"}
}

// parseLsofListen finds, in lsof's table (COMMAND PID USER FD TYPE DEVICE
// SIZE/OFF NODE NAME), the first process listening on port: its pid and
// command. pid is 0 when no line is a listener on port (lsof prints
// nothing, and exits 1, when it finds nothing). Lines about other ports
// or states are ignored, so that a filter lsof did not apply cannot name
// the wrong process; a listener line whose pid is not a number is an
// error.
func parseLsofListen(out []byte, port int) (pid int, command string, err error) {
	suffix := ":" + strconv.Itoa(port)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		// NAME is "ADDR:PORT (LISTEN)": the last two fields.
		if len(f) < 10 || f[0] == "COMMAND" || f[len(f)-1] != "(LISTEN)" || !strings.HasSuffix(f[len(f)-2], suffix) {
			continue
		}
		pid, err := strconv.Atoi(f[1])
		if err != nil || pid <= 0 {
			return 0, "", fmt.Errorf("lsof line %q: pid %q is not a number", sc.Text(), f[1])
		}
		return pid, unescapeLsof(f[0]), nil
	}
	return 0, "", sc.Err()
}

// unescapeLsof undoes lsof's escapes in a command name: \xNN for a byte
// it will not print (a space among them: "Code\x20Helper"), and the
// C-style \t, \n, \b, \f, \r and \\.
func unescapeLsof(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch c := s[i+1]; c {
		case 'x':
			if i+3 < len(s) {
				if n, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
					b.WriteByte(byte(n))
					i += 3
					continue
				}
			}
			b.WriteByte('\\')
		case 't', 'n', 'b', 'f', 'r', '\\':
			b.WriteByte(map[byte]byte{'t': '\t', 'n': '\n', 'b': '\b', 'f': '\f', 'r': '\r', '\\': '\\'}[c])
			i++
		default:
			b.WriteByte('\\')
		}
	}
	return b.String()
}
