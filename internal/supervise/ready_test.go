package supervise

import (
	"testing"
)

func TestProbeFor(t *testing.T) {
	for _, tc := range []struct {
		ready ReadySpec
		want  string // the probe's String(), or "error"
		port  int
	}{
		{ReadySpec{TCP: "127.0.0.1:5433"}, "tcp 127.0.0.1:5433", 5433},
		{ReadySpec{TCP: "5433"}, "error", 0},
		{ReadySpec{HTTP: "http://127.0.0.1:8080/healthz"}, "http http://127.0.0.1:8080/healthz", 8080},
		{ReadySpec{HTTP: "http://localhost/"}, "http http://localhost/", 80},
		{ReadySpec{HTTP: "localhost:8080"}, "error", 0},
		{ReadySpec{ExecArgv: []string{"redis-cli", "ping"}}, "exec redis-cli ping", 0},
		{ReadySpec{ExecShell: "pg_isready -p 5433"}, "exec pg_isready -p 5433", 0},
		{ReadySpec{Log: `ready to accept`}, "log /ready to accept/", 0},
		{ReadySpec{Log: `(`}, "error", 0},
	} {
		p, err := ProbeFor(&tc.ready, "", nil)
		got := "error"
		if err == nil {
			got = p.(interface{ String() string }).String()
		}
		if got != tc.want {
			t.Errorf("ProbeFor(%+v) = %q (%v), want %q", tc.ready, got, err, tc.want)
		}
		if err == nil && ProbePort(p) != tc.port {
			t.Errorf("ProbePort(%s) = %d, want %d", got, ProbePort(p), tc.port)
		}
	}
	if p, err := ProbeFor(nil, "", nil); p != nil || err != nil {
		t.Errorf("ProbeFor(nil) = %v, %v", p, err)
	}
}
