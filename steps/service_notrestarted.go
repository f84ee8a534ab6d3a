package steps

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// NotRestarted says, once per service, which running service kept running
// although a template step of this run rewrote a file in its working
// directory (.env, by a template or merge: dotenv) that it does not
// declare: neither `restart_on: [file:PATH]`, `restart_on: [step:ID]` nor
// `depends_on` that step. onboard cannot know what a program reads (a
// dotenv library reads .env with no command naming it), so it neither
// restarts such a service on a guess nor stays silent: it says what to
// add. fixed holds the steps (by id, "env") that applied in this run and
// when they finished; statuses is asked only when a file concerns some
// service, so a run that rewrote nothing makes no call to the supervisor.
func NotRestarted(f *config.File, fixed map[string]time.Time, statuses func() []supervise.Status) []string {
	type concern struct {
		dest string
		done time.Time
	}
	concerns := map[string][]concern{} // by service
	for _, st := range f.Steps {
		done, ok := fixed[st.ID.Value]
		if st.Template == nil || !ok {
			continue
		}
		dest := filepath.ToSlash(filepath.Clean(st.Template.Dest.Value))
		for _, svc := range f.Services {
			if svc.Compose == nil && inDir(dest, svc.Dir.Value) && !declares(svc, st.ID.Value, dest) {
				concerns[svc.Name] = append(concerns[svc.Name], concern{dest, done})
			}
		}
	}
	if len(concerns) == 0 {
		return nil
	}
	var out []string
	for _, st := range statuses() {
		for _, c := range concerns[st.Name] {
			// Started after the write (by this run, for another reason):
			// it read the new file.
			if !st.Active() || st.Since.IsZero() || st.Since.After(c.done) {
				continue
			}
			out = append(out, fmt.Sprintf("service:%s was not restarted: %s changed; if %s reads it, add `restart_on: [file:%s]`",
				st.Name, c.dest, st.Name, c.dest))
			break // once per service
		}
	}
	return out
}

// inDir reports whether the repository file dest is directly in the
// service directory dir ("" is the repository root): where a program that
// runs there finds it by its bare name.
func inDir(dest, dir string) bool {
	if dir == "" {
		dir = "."
	}
	return filepath.ToSlash(filepath.Dir(dest)) == filepath.ToSlash(filepath.Clean(dir))
}

// declares reports whether svc says it reads dest, written by step id:
// restart_on that file or that step, or depends_on that step.
func declares(svc *config.Service, id, dest string) bool {
	for _, r := range svc.RestartOn {
		if path, ok := strings.CutPrefix(r.Value, "file:"); ok && filepath.ToSlash(filepath.Clean(path)) == dest {
			return true
		}
		if r.Value == "step:"+id {
			return true
		}
	}
	for _, d := range svc.DependsOn {
		if d.Name.Value == id {
			return true
		}
	}
	return false
}
