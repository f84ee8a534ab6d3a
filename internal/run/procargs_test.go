package run

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
)

// procargs2 builds a kern.procargs2 buffer as macOS lays it out.
func procargs2(argc int32, path string, pad int, rest ...string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(argc))
	b = append(b, path...)
	b = append(b, make([]byte, pad)...)
	for _, s := range rest {
		b = append(b, s...)
		b = append(b, 0)
	}
	return b
}

func TestArgsFromProcargs2(t *testing.T) {
	tests := []struct {
		name string
		buf  []byte
		want []string
		ok   bool
	}{
		{"arguments, then the environment",
			procargs2(3, "/bin/sh", 4, "sh", "-c", "sleep 1000 &", "PATH=/usr/bin", "HOME=/Users/ann"),
			[]string{"sh", "-c", "sleep 1000 &"}, true},
		{"a path with spaces, one NUL",
			procargs2(1, "/Applications/Visual Studio Code.app/Contents/MacOS/Electron", 1, "Code"),
			[]string{"Code"}, true},
		{"an empty argument", procargs2(2, "/bin/echo", 2, "echo", ""), []string{"echo", ""}, true},
		{"fewer arguments than argc", procargs2(3, "/bin/sh", 1, "sh"), nil, false},
		{"argc 0", procargs2(0, "/bin/sh", 1), nil, false},
		{"no path end", binary.LittleEndian.AppendUint32(nil, 1), nil, false},
		{"too short", []byte{1, 0}, nil, false},
	}
	for _, tt := range tests {
		got, ok := argsFromProcargs2(tt.buf)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestShortCommand(t *testing.T) {
	if got := shortCommand([]string{"sleep", "1000"}); got != "sleep 1000" {
		t.Errorf("shortCommand = %q", got)
	}
	long := shortCommand([]string{"node", strings.Repeat("x", 100)})
	if len(long) != 80 || !strings.HasSuffix(long, "...") || !strings.HasPrefix(long, "node xxx") {
		t.Errorf("shortCommand of a long line = %q (%d bytes), want 80 bytes ending in ...", long, len(long))
	}
}
