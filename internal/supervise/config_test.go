package supervise

import (
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

func TestProbeFor(t *testing.T) {
	s := func(v string) config.String { return config.String{Value: v} }
	for _, tc := range []struct {
		ready config.Ready
		want  string // the probe's String(), or "error"
		port  int
	}{
		{config.Ready{TCP: s("127.0.0.1:5433")}, "tcp 127.0.0.1:5433", 5433},
		{config.Ready{TCP: s("5433")}, "error", 0},
		{config.Ready{HTTP: s("http://127.0.0.1:8080/healthz")}, "http http://127.0.0.1:8080/healthz", 8080},
		{config.Ready{HTTP: s("http://localhost/")}, "http http://localhost/", 80},
		{config.Ready{HTTP: s("localhost:8080")}, "error", 0},
		{config.Ready{Exec: config.Command{Argv: []string{"redis-cli", "ping"}}}, "exec redis-cli ping", 0},
		{config.Ready{Exec: config.Command{Shell: "pg_isready -p 5433"}}, "exec pg_isready -p 5433", 0},
		{config.Ready{Log: s(`ready to accept`)}, "log /ready to accept/", 0},
		{config.Ready{Log: s(`(`)}, "error", 0},
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
