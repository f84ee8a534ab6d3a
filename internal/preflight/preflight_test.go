package preflight

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestCheckReportsEveryProblemAtOnce(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	spec := Spec{
		Root:    t.TempDir(),
		Environ: []string{"SET=1", "EMPTY="},
		Ports:   []Port{{Service: "service:a", Port: port}, {Service: "service:b", Port: port}},
		Env:     []string{"SET", "EMPTY", "MISSING"},
		Disk:    1 << 62,
	}
	got := Check(context.Background(), spec)
	want := []string{"service:a: port", "only ", "EMPTY is not set", "MISSING is not set"}
	if len(got) != len(want) {
		t.Fatalf("problems = %q, want %d of them (one per port, not per service)", got, len(want))
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("problem %d = %q, want it to say %q", i, got[i], w)
		}
	}
	// The service the checklist's supervisor runs holds its own port.
	spec.Own = map[string]bool{"service:a": true, "service:b": true}
	spec.Env, spec.Disk = nil, 0
	if got := Check(context.Background(), spec); len(got) != 0 {
		t.Errorf("own ports: %q", got)
	}
}
