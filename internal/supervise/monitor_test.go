package supervise

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A healthy service is probed every HealthyEvery, not in a stream; once a
// probe fails the next come every RecheckEvery, so it is marked unhealthy
// after Failures misses, and healthy again at the first answer.
func TestMonitorCadence(t *testing.T) {
	dir := t.TempDir()
	hitsFile, downFile := filepath.Join(dir, "hits"), filepath.Join(dir, "down")
	hits := func() int {
		b, _ := os.ReadFile(hitsFile)
		return bytes.Count(b, []byte("\n"))
	}
	sup, err := New(t.TempDir(), Options{HealthyEvery: 400 * time.Millisecond, RecheckEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sup.Stop(nil, true) })
	web := shellSpec("web", "sleep 30")
	web.Ready = &ReadySpec{ExecShell: "echo x >> " + hitsFile + "; test ! -e " + downFile}
	if err := sup.Start(context.Background(), web); err != nil {
		t.Fatal(err)
	}
	// Healthy: one probe per 400 ms, about 5 in 2 s (the readiness
	// wait's own probes are over once Start returns).
	time.Sleep(100 * time.Millisecond)
	before := hits()
	time.Sleep(2 * time.Second)
	if n := hits() - before; n < 3 || n > 6 {
		t.Errorf("%d probes of a healthy service in 2 s, want about 5 (every 400 ms)", n)
	}

	if err := os.WriteFile(downFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitHealth(t, sup, "web", HealthUnhealthy, 3*time.Second)
	// At most 400 ms to the first miss, then 2 × 50 ms.
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("unhealthy after %s, want under 1.5 s", took)
	}
	if err := os.Remove(downFile); err != nil {
		t.Fatal(err)
	}
	waitHealth(t, sup, "web", HealthHealthy, 2*time.Second)
}

func waitHealth(t *testing.T, sup *Supervisor, name, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, st := range sup.Status() {
			if st.Name == name && st.Health == want {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not %s after %s: %+v", name, want, within, sup.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
