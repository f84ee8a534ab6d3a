package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// ItemState is what one run remembers of an item.
type ItemState struct {
	Outcome string            `json:"outcome"`
	Hash    string            `json:"hash"`
	Detail  string            `json:"detail,omitempty"`
	Started time.Time         `json:"started"`
	Ended   time.Time         `json:"ended"`
	Data    map[string]string `json:"data,omitempty"`
	// Durations are the last successful applies' times, oldest first:
	// the item's learned time budget is their median.
	Durations []time.Duration `json:"durations_ns,omitempty"`
}

// State is .onboard/state.json. It informs messages and manual
// confirmations; checks still run every time, so a stale or edited state
// file can never make onboard skip real work.
type State struct {
	Version int               `json:"version"`
	Items   map[ID]*ItemState `json:"items"`
	// Skips are the items a person skipped with `onboard skip`.
	Skips map[ID]*Skip `json:"skips,omitempty"`

	mu   sync.Mutex
	path string
}

const stateVersion = 1

// LoadState reads the state file. A missing file is an empty state; a
// corrupt one is an empty state and a warning, never a failed run.
func LoadState(path string) (*State, error) {
	s := &State{Version: stateVersion, Items: map[ID]*ItemState{}, path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("cannot read %s: %w; checking everything again", path, err)
	}
	var onDisk State
	if err := json.Unmarshal(data, &onDisk); err != nil || onDisk.Version != stateVersion || onDisk.Items == nil {
		return s, fmt.Errorf("%s is corrupt; ignoring it and checking everything again", path)
	}
	s.Items, s.Skips = onDisk.Items, onDisk.Skips
	return s, nil
}

// prior returns the item's recorded data when its definition is unchanged.
func (s *State) prior(id ID, hash string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.Items[id]; ok && st.Hash == hash {
		out := make(map[string]string, len(st.Data))
		for k, v := range st.Data {
			out[k] = v
		}
		return out
	}
	return nil
}

// lastOutcome is the recorded outcome of an item with an unchanged definition.
func (s *State) lastOutcome(id ID, hash string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.Items[id]; ok && st.Hash == hash {
		return st.Outcome
	}
	return ""
}

// intend adds k=v to the item's recorded data now (see Env.Intend),
// keeping what the last run recorded if its definition is unchanged.
func (s *State) intend(id ID, hash, k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.Items[id]
	if !ok || st.Hash != hash {
		st = &ItemState{Outcome: "started", Hash: hash}
		s.Items[id] = st
	} else {
		cp := *st
		cp.Data = make(map[string]string, len(st.Data)+1)
		for dk, dv := range st.Data {
			cp.Data[dk] = dv
		}
		st = &cp
		s.Items[id] = st
	}
	if st.Data == nil {
		st.Data = map[string]string{}
	}
	st.Data[k] = v
}

func (s *State) set(id ID, st *ItemState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Items[id] = st
}

// Save writes the state atomically: a crash leaves the old file or the new
// one, never half of one.
func (s *State) Save() error {
	s.mu.Lock()
	data, err := json.MarshalIndent(s, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return rootfs.WriteFile(s.path, append(data, '\n'), 0o600)
}
