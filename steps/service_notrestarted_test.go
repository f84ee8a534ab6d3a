package steps

import (
	"strings"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/supervise"
)

func str(s string) config.String { return config.String{Value: s} }

// Only a running service that started before the write, in whose
// directory the file is, and that declares it in no way, is named.
func TestNotRestarted(t *testing.T) {
	write := time.Now()
	before, after := write.Add(-time.Minute), write.Add(time.Second)
	f := &config.File{
		Steps: []*config.Step{{ID: str("env"), Template: &config.Template{Dest: str("./.env")}}},
		Services: []*config.Service{
			{Name: "plain"},
			{Name: "byfile", RestartOn: []config.String{str("file:.env")}},
			{Name: "bystep", RestartOn: []config.String{str("step:env")}},
			{Name: "bydep", DependsOn: []config.Dependency{{Name: str("env"), Condition: str("completed")}}},
			{Name: "elsewhere", Dir: str("web")},
			{Name: "fresh"},
			{Name: "stopped"},
		},
	}
	running := func(name string, since time.Time) supervise.Status {
		return supervise.Status{Name: name, State: supervise.StateRunning, Since: since}
	}
	statuses := func() []supervise.Status {
		return []supervise.Status{running("plain", before), running("byfile", before), running("bystep", before),
			running("bydep", before), running("elsewhere", before), running("fresh", after), {Name: "stopped", State: supervise.StateStopped}}
	}
	got := NotRestarted(f, map[string]time.Time{"env": write}, statuses)
	if len(got) != 1 || !strings.HasPrefix(got[0], "service:plain was not restarted: .env changed;") {
		t.Errorf("got %q, want one message for plain", got)
	}
	if got := NotRestarted(f, nil, func() []supervise.Status { t.Fatal("statuses asked for"); return nil }); got != nil {
		t.Errorf("nothing applied: got %q", got)
	}
}
