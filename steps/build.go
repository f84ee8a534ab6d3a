// Package steps holds one file per kind of checklist item. Each turns its
// part of onboard.yaml into an engine.Item: the engine decides, steps act.
package steps

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// Build turns a loaded checklist into engine nodes, in the file's order.
func Build(f *config.File, deps Deps) []*engine.Node {
	var nodes []*engine.Node
	if f.Repo != nil {
		nodes = append(nodes, repoNode(f.Repo, deps))
	}
	for _, in := range f.Inputs {
		nodes = append(nodes, inputNode(in, deps))
	}
	for _, t := range f.Tools {
		n := toolNode(t, deps)
		n.Expect = t.Expect.Value
		nodes = append(nodes, n)
	}
	for _, s := range f.Steps {
		var n *engine.Node
		switch s.Kind {
		case config.KindRun:
			n = runNode(s, deps)
		case config.KindManual:
			n = manualNode(s)
		case config.KindTemplate:
			n = templateNode(s, deps)
		default:
			// An unknown kind must never be left out silently: it fails
			// when it runs.
			n = &engine.Node{Item: unsupported{kind: s.Kind}}
		}
		n.Item = gate(n.Item, s, deps.CI)
		n.ID = engine.StepID(s.ID.Value)
		n.Line = s.Pos.Line
		n.Fix, n.Optional = s.Fix.Value, s.Optional
		n.Name = s.Name.Value
		n.Expect = s.Expect.Value
		for _, need := range s.Needs {
			n.Needs = append(n.Needs, engine.ID(config.CanonicalID(need.Value)))
		}
		n.Needs = appendMissing(n.Needs, usedTools(f, s)...)
		if n.Hash == "" {
			n.Hash, n.LegacyHash = hashes(s)
		}
		nodes = append(nodes, n)
	}
	for _, svc := range f.Services {
		n := serviceNode(f, svc, deps)
		n.Expect = svc.Expect.Value
		nodes = append(nodes, n)
	}
	// `needs: [repo]` in a checklist without a repo section names nothing
	// that can fail: drop such edges rather than wait on a node that never
	// runs.
	ids := map[engine.ID]bool{}
	for _, id := range IDs(f) {
		ids[id] = true
	}
	for _, n := range nodes {
		kept := n.Needs[:0]
		for _, need := range n.Needs {
			if ids[need] {
				kept = append(kept, need)
			}
		}
		n.Needs = kept
	}
	return nodes
}

// IDs are the ids of the nodes Build makes, in the same order, without
// building them: what --only and --skip are checked against before the
// run's dependencies (answers, the stack) exist.
func IDs(f *config.File) []engine.ID {
	var ids []engine.ID
	if f.Repo != nil {
		ids = append(ids, engine.RepoID)
	}
	for _, in := range f.Inputs {
		ids = append(ids, engine.InputID(in.Name))
	}
	for _, t := range f.Tools {
		ids = append(ids, engine.ToolID(t.Name))
	}
	for _, s := range f.Steps {
		ids = append(ids, engine.StepID(s.ID.Value))
	}
	for _, svc := range f.Services {
		ids = append(ids, engine.ServiceID(svc.Name))
	}
	return ids
}

// hash is the definition hash of an item: any change to what the checklist
// says about it changes the hash, and the state forgets what it knew. Where
// it says it does not: positions are left out, so that a maintainer who
// moves an item, or adds one above it, neither asks every returning
// developer to confirm manual steps again, nor lifts their skips, forgets
// learned durations or restarts their services.
func hash(v any) string {
	h, _ := hashes(v)
	return h
}

// hashes is hash and the legacy hash, which onboard recorded before
// positions were left out (2026-12): State.Adopt maps what was recorded
// under it to the new one, so that upgrading forgets nothing.
func hashes(v any) (current, legacy string) {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	legacy = hex.EncodeToString(sum[:8])
	sum = sha256.Sum256(withoutPositions(b))
	return hex.EncodeToString(sum[:8]), legacy
}

// posField is how a config.Pos encodes: `"Pos":{"Line":N,"Col":N}`. In
// JSON a string's own quotes are escaped, so this text occurs only as a
// field, never inside a value.
var posField = []byte(`"Pos":{"Line":`)

// withoutPositions drops every Pos field from b, the JSON of a config
// value.
func withoutPositions(b []byte) []byte {
	if !bytes.Contains(b, posField) {
		return b
	}
	out := make([]byte, 0, len(b))
	for {
		i := bytes.Index(b, posField)
		if i < 0 {
			return append(out, b...)
		}
		end := bytes.IndexByte(b[i:], '}')
		if end < 0 {
			return append(out, b...)
		}
		head := b[:i]
		rest := b[i+end+1:]
		// One field less: drop the comma that separated it.
		if len(head) > 0 && head[len(head)-1] == ',' {
			head = head[:len(head)-1]
		} else if len(rest) > 0 && rest[0] == ',' {
			rest = rest[1:]
		}
		out = append(out, head...)
		b = rest
	}
}

// usedTools are the implicit edges "tools before the steps that use them"
// (DESIGN.md): a step whose command starts with a checklist tool's name
// waits for that tool's check, so a missing `go` is reported as the tool
// failing, not as `go mod download: command not found`.
func usedTools(f *config.File, s *config.Step) []engine.ID {
	var out []engine.ID
	for _, c := range []config.Command{s.Run, s.Check} {
		prog := ""
		if c.Argv != nil {
			prog = c.Argv[0]
		} else if fields := strings.Fields(c.Shell); len(fields) > 0 {
			prog = fields[0]
		}
		for _, t := range f.Tools {
			if prog != "" && prog == t.Name {
				out = append(out, engine.ToolID(t.Name))
			}
		}
	}
	return out
}

func appendMissing(list []engine.ID, ids ...engine.ID) []engine.ID {
	for _, id := range ids {
		found := false
		for _, have := range list {
			found = found || have == id
		}
		if !found {
			list = append(list, id)
		}
	}
	return list
}
