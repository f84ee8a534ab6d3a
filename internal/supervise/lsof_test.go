package supervise

import (
	"os"
	"strings"
	"testing"
)

// The samples in testdata/lsof are hand-written in the format of macOS's
// lsof (see its README.md), not captured on a Mac.
func TestParseLsofListen(t *testing.T) {
	tests := []struct {
		name    string
		out     string // a file in testdata/lsof, or the output itself
		port    int
		pid     int
		command string
	}{
		{"IPv6 and IPv4 listeners of one process", "@postgres.txt", 5433, 41872, "postgres"},
		{"escaped command name", "@escaped.txt", 8080, 2318, "Code Helper (Plugin)"},
		{"wildcard address", "@wildcard.txt", 6380, 41880, "redis-server"},
		// lsof prints nothing, and exits 1, when nothing listens.
		{"nothing", "", 5433, 0, ""},
		// A line for another port (a prefix of ours) or another state
		// never names a holder.
		{"another port", "@postgres.txt", 543, 0, ""},
		{"not listening", "COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\ncurl 9001 ada 5u IPv4 0xa 0t0 TCP 127.0.0.1:61022->127.0.0.1:5433 (ESTABLISHED)\n", 5433, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []byte(tt.out)
			if len(tt.out) > 0 && tt.out[0] == '@' {
				var err error
				if out, err = os.ReadFile("testdata/lsof/" + tt.out[1:]); err != nil {
					t.Fatal(err)
				}
			}
			pid, command, err := parseLsofListen(out, tt.port)
			if err != nil || pid != tt.pid || command != tt.command {
				t.Errorf("parseLsofListen(port %d) = %d, %q, %v; want %d, %q", tt.port, pid, command, err, tt.pid, tt.command)
			}
		})
	}
}

func TestParseLsofListenRefusesABadPid(t *testing.T) {
	out := "COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\npostgres x ada 7u IPv4 0x5 0t0 TCP 127.0.0.1:5433 (LISTEN)\n"
	if pid, _, err := parseLsofListen([]byte(out), 5433); err == nil {
		t.Errorf("pid %d, want an error for pid x", pid)
	}
}

func TestUnescapeLsof(t *testing.T) {
	for in, want := range map[string]string{
		"redis-server":     "redis-server",
		`Google\x20Chrome`: "Google Chrome",
		`a\tb\\c`:          "a\tb\\c",
		`trailing\`:        `trailing\`,
		`bad\xZZ`:          `bad\xZZ`,
		`short\x2`:         `short\x2`,
		`other\q`:          `other\q`,
		`caf\xc3\xa9`:      "café",
	} {
		if got := unescapeLsof(in); got != want {
			t.Errorf("unescapeLsof(%q) = %q, want %q", in, got, want)
		}
	}
}

// The command whose table parseLsofListen reads: numeric, full command
// names, TCP listeners on the port only.
func TestLsofArgs(t *testing.T) {
	got := strings.Join(lsofArgs(5433), " ")
	if want := "lsof -nP +c 0 -iTCP:5433 -sTCP:LISTEN"; got != want {
		t.Errorf("lsofArgs = %q, want %q", got, want)
	}
}
