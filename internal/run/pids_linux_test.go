package run

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Pids reaches the program below a shell: the service's own process (an
// argv shell) and a script in the in-process shell (no pid of its own).
func TestPidsBelowShell(t *testing.T) {
	for name, c := range map[string]Command{
		"argv":  {Argv: []string{"sh", "-c", "sleep 30; :"}},
		"shell": {Shell: "cd . && sleep 30"},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p, err := Start(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Kill()
			deadline := time.Now().Add(5 * time.Second)
			for {
				for _, pid := range Pids(p) {
					if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil && strings.TrimSpace(string(b)) == "sleep" {
						return
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("no sleep among Pids %v", Pids(p))
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
