package steps

import (
	"os"
	"sort"
	"strings"
	"text/template"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// A running service is restarted by `up` when what it runs is no longer
// what it would start now, and only then:
//
//   - its definition in onboard.yaml changed;
//   - the answer to an input it uses changed (usedInputs);
//   - a step it depends on (depends_on: {step: completed}) was applied in
//     this run after the service started: a build, a migration;
//   - a program of its process tree was replaced since it started (Linux:
//     /proc/PID/exe is "(deleted)" or another file than the path now);
//   - restart_on: a step:ID that applied (as depends_on), a file:PATH
//     written since the service started.
//
// A service that uses no input (postgres, most of the time) keeps running
// when an answer changes.

// staleReason is why the running service st must restart, "" when it
// need not: "build applied", "its definition changed".
func (s *serviceItem) staleReason(st supervise.Status, env *engine.Env) string {
	if !st.Active() {
		return ""
	}
	want := s.specHash(env.Root, env.Environ)
	if st.Hash != want && !s.sameAsLegacy(st.Hash, want) {
		if definitionPart(st.Hash) != definitionPart(want) {
			return "its definition changed"
		}
		return "an answer it uses changed"
	}
	var applied []string
	for id, at := range env.Applied {
		if id.Kind() == engine.KindStep && !st.Since.IsZero() && st.Since.Before(at) {
			applied = append(applied, id.Name())
		}
	}
	if len(applied) > 0 {
		sort.Strings(applied)
		return strings.Join(applied, ", ") + " applied"
	}
	if st.Replaced != "" {
		return st.Replaced
	}
	return s.changedFile(st, env.Root)
}

// changedFile names the first restart_on file that changed (was written,
// or appeared) since the service started; "" when none did.
func (s *serviceItem) changedFile(st supervise.Status, root string) string {
	if st.Since.IsZero() {
		return ""
	}
	for _, r := range s.svc.RestartOn {
		rel, ok := strings.CutPrefix(r.Value, "file:")
		if !ok {
			continue
		}
		p, err := rootfs.Confine(root, rel)
		if err != nil {
			continue
		}
		if info, err := os.Stat(p); err == nil && info.ModTime().After(st.Since) {
			return rel + " changed"
		}
	}
	return ""
}

// specHash is what a running service must match: its definition, and the
// answers to the inputs it uses. The rest of the environment is left out:
// a new shell's PWD or SHLVL must not restart the stack.
func (s *serviceItem) specHash(root string, environ []string) string {
	s.usesOnce.Do(func() { s.uses = usedInputs(s.file, s.svc, root) })
	var answers []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if rest, ok := strings.CutPrefix(name, inputs.EnvPrefix); ok && s.uses[rest] {
			answers = append(answers, kv)
		}
	}
	if len(answers) == 0 {
		return s.hash
	}
	sort.Strings(answers)
	return s.hash + "-" + hash(answers)
}

// sameAsLegacy reports whether running, the spec hash of a service that
// an onboard from before 2026-12 started, is want under that onboard's
// hash of the definition (positions in it): upgrading onboard restarts no
// service.
func (s *serviceItem) sameAsLegacy(running, want string) bool {
	if s.legacy == "" || definitionPart(running) != s.legacy {
		return false
	}
	_, answers, _ := strings.Cut(want, "-")
	_, runningAnswers, _ := strings.Cut(running, "-")
	return answers == runningAnswers
}

// definitionPart is the part of a specHash that hashes the definition.
func definitionPart(h string) string {
	d, _, _ := strings.Cut(h, "-")
	return d
}

// usedInputs are the inputs a service uses, by the suffix of their
// variable (ONBOARD_INPUT_<suffix>): those whose variable its commands or
// env: values name, or a script its run or setup names as a word reads
// (`run: ./start.sh`), or a script that one names, and so on
// (scriptsNamed), and those its env: templates read (.Inputs.NAME).
// A compose service uses every input: its compose file may read any
// variable.
func usedInputs(f *config.File, svc *config.Service, root string) map[string]bool {
	uses := map[string]bool{}
	text := []string{svc.Run.String()}
	text = append(text, scriptsNamed(root, svc.Dir.Value, svc.Run)...)
	if svc.Setup != nil {
		text = append(text, scriptsNamed(root, svc.Dir.Value, svc.Setup.Run)...)
	}
	if svc.Setup != nil {
		text = append(text, svc.Setup.Run.String(), svc.Setup.Check.String())
	}
	if svc.Ready != nil {
		text = append(text, svc.Ready.Exec.String())
	}
	for _, v := range svc.Env {
		text = append(text, v.Value)
		if t, err := template.New("").Funcs(envFuncs()).Parse(v.Value); err == nil && strings.Contains(v.Value, "{{") {
			for _, name := range inputRefs(t.Tree.Root) {
				uses[envSuffix(name)] = true
			}
		}
	}
	all := strings.Join(text, "\n")
	for _, in := range f.Inputs {
		if svc.Compose != nil || strings.Contains(all, inputs.EnvName(in.Name)) {
			uses[envSuffix(in.Name)] = true
		}
	}
	return uses
}

func envSuffix(name string) string {
	return strings.TrimPrefix(inputs.EnvName(name), inputs.EnvPrefix)
}
