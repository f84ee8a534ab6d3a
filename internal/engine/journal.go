package engine

import (
	"fmt"
	"strings"
	"time"
)

// Skip is a person's decision, made with `onboard skip`, to leave an item
// out of every run until its definition changes or `onboard unskip`.
type Skip struct {
	Reason string    `json:"reason"`
	User   string    `json:"user,omitempty"`
	At     time.Time `json:"at"`
	// Hash is the definition the decision was made about: a changed
	// definition is a new item, and the skip no longer holds.
	Hash string `json:"hash"`
}

// Describe is how a skip is shown: "by ada on 2026-12-03 11:20 UTC: no VPN here".
func (s *Skip) Describe() string {
	who := ""
	if s.User != "" {
		who = "by " + s.User + " "
	}
	return fmt.Sprintf("%son %s: %s", who, s.At.UTC().Format("2006-01-02 15:04 UTC"), s.Reason)
}

// SetSkip records a skip of id.
func (s *State) SetSkip(id ID, sk *Skip) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Skips == nil {
		s.Skips = map[ID]*Skip{}
	}
	s.Skips[id] = sk
}

// Unskip forgets a skip; it reports whether there was one.
func (s *State) Unskip(id ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.Skips[id]
	delete(s.Skips, id)
	return ok
}

// SkipOf is the skip in force for the item with this definition hash:
// nil when there is none, or when it was made for another definition.
func (s *State) SkipOf(id ID, hash string) *Skip {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sk, ok := s.Skips[id]; ok && sk.Hash == hash {
		return sk
	}
	return nil
}

// liftStale forgets the skips whose item's definition changed (or whose
// item is gone), and returns the ids it lifted, for a warning.
func (s *State) liftStale(nodes []*Node) []ID {
	hashes := map[ID]string{}
	for _, n := range nodes {
		hashes[n.ID] = n.Hash
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var lifted []ID
	for id, sk := range s.Skips {
		if h, ok := hashes[id]; !ok || h != sk.Hash {
			lifted = append(lifted, id)
			delete(s.Skips, id)
		}
	}
	return lifted
}

// Item returns a copy of what the last run recorded about id, or nil.
func (s *State) Item(id ID) *ItemState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.Items[id]; ok {
		cp := *st
		return &cp
	}
	return nil
}

// markEnded records an outcome the item reached without running (blocked
// by what it needs), keeping what earlier runs recorded, so `onboard
// status` and `onboard retry` know about it.
func (s *State) markEnded(id ID, hash, outcome, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	st := &ItemState{Hash: hash}
	if old, ok := s.Items[id]; ok && old.Hash == hash {
		cp := *old
		st = &cp
	}
	st.Outcome, st.Detail, st.Started, st.Ended = outcome, detail, now, now
	s.Items[id] = st
}

// journalSkip ends an item a person skipped with `onboard skip`.
func (r *runner) journalSkip(n *Node) bool {
	sk := r.ws.State.SkipOf(n.ID, n.Hash)
	if sk == nil {
		return false
	}
	r.mu.Lock()
	if r.skipped == nil {
		r.skipped = map[ID]*Skip{}
	}
	r.skipped[n.ID] = sk
	r.sum.Skips = append(r.sum.Skips, SkippedItem{ID: n.ID.String(), Reason: sk.Reason, User: sk.User, At: sk.At})
	r.mu.Unlock()
	r.finish(n, OutcomeSkipped, Event{Detail: sk.Describe()})
	return true
}

// asIfMet says which of the item's needs a person skipped: it ran as if
// they were met, and its line says so.
func (r *runner) asIfMet(n *Node) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, need := range n.Needs {
		if _, ok := r.skipped[need]; ok {
			ids = append(ids, need.String())
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return "ran as if " + strings.Join(ids, ", ") + " were met (skipped)"
}

// SkippedItem is an item skipped on purpose, in a run's summary.
type SkippedItem struct {
	ID     string    `json:"id"`
	Reason string    `json:"reason"`
	User   string    `json:"user,omitempty"`
	At     time.Time `json:"at"`
}

// WithDependents is ids and every item that depends on them, directly or
// not, in the order of nodes.
func WithDependents(nodes []*Node, ids []ID) []ID {
	in := map[ID]bool{}
	for _, id := range ids {
		in[id] = true
	}
	// nodes may list a dependent before what it needs: repeat until
	// nothing more is added.
	for grew := true; grew; {
		grew = false
		for _, n := range nodes {
			if in[n.ID] {
				continue
			}
			for _, need := range n.Needs {
				if in[need] {
					in[n.ID], grew = true, true
					break
				}
			}
		}
	}
	var out []ID
	for _, n := range nodes {
		if in[n.ID] {
			out = append(out, n.ID)
		}
	}
	return out
}

// Adopt carries what the state recorded under a node's legacy hash (see
// Node.LegacyHash) over to its current hash: item records and skips alike,
// so that the first run of a newer onboard neither asks for manual
// confirmations again nor lifts skips. Call it once the nodes are built,
// before the state is read for them; the next save keeps the new hashes.
func (s *State) Adopt(nodes []*Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range nodes {
		if n.LegacyHash == "" || n.LegacyHash == n.Hash {
			continue
		}
		if st, ok := s.Items[n.ID]; ok && st.Hash == n.LegacyHash {
			cp := *st
			cp.Hash = n.Hash
			s.Items[n.ID] = &cp
		}
		if sk, ok := s.Skips[n.ID]; ok && sk.Hash == n.LegacyHash {
			cp := *sk
			cp.Hash = n.Hash
			s.Skips[n.ID] = &cp
		}
	}
}
