package supervise

import (
	"strings"
	"time"
)

// State is where a service is in its life.
type State string

// Service states.
const (
	StateStarting  State = "starting"  // setup or process started, not ready yet
	StateRunning   State = "running"   // ready (its probe passed), or started when it has none
	StateBackoff   State = "backoff"   // crashed; waiting to be restarted
	StateFailed    State = "failed"    // given up on: see Error and Tail
	StateCompleted State = "completed" // exited 0 and is not restarted
	StateStopped   State = "stopped"   // stopped on request
)

// Health values of a service with a readiness probe.
const (
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// Status is what `onboard services status` shows of one service. It is
// also what the supervisor answers over its socket.
type Status struct {
	Name    string `json:"name"`
	Backend string `json:"backend"` // "process" or "compose"
	State   State  `json:"state"`
	// Health is "" when the service has no probe, and when it is stopped
	// or completed: a service that is not meant to run has no health. A
	// failed one, or one in backoff, is unhealthy.
	Health string `json:"health,omitempty"`
	Pid    int    `json:"pid,omitempty"`
	// Since is the start of the current run: zero (and left out of the
	// JSON) when no process runs.
	Since    time.Time `json:"since,omitzero"`
	Restarts int       `json:"restarts"`
	// NextStart is when a service in backoff is started again; zero
	// otherwise.
	NextStart time.Time `json:"next_start,omitzero"`
	// Ports are the addresses (host:port) the service serves, from its
	// tcp or http probe, while it is starting or running.
	Ports []string `json:"ports,omitempty"`
	Error string   `json:"error,omitempty"`
	// Tail holds the last lines of output of a failed service.
	Tail []string `json:"tail,omitempty"`
	Hash string   `json:"hash,omitempty"`
	// Replaced says that the program the service's process runs was
	// replaced (rebuilt) since it started: "…/app was replaced since it
	// started". Empty when not, and outside Linux.
	Replaced string `json:"replaced,omitempty"`
	Log      string `json:"log,omitempty"` // the log file
}

// Active reports whether the service is running or on its way to running.
func (s Status) Active() bool {
	return s.State == StateStarting || s.State == StateRunning || s.State == StateBackoff
}

// settle records that no process of the service runs any more: it is
// stopped, completed, failed or waiting in backoff. A stopped or completed
// service loses its health (it is not meant to run); a failed or crashed
// one with a probe is unhealthy.
func (s *Status) settle(state State) {
	s.State, s.Pid, s.Since, s.NextStart = state, 0, time.Time{}, time.Time{}
	switch {
	case s.Health == "":
	case state == StateFailed || state == StateBackoff:
		s.Health = HealthUnhealthy
	default:
		s.Health = ""
	}
}

// Healthy reports whether the service is running and, when it has a probe,
// its probe passes.
func (s Status) Healthy() bool {
	return s.State == StateRunning && (s.Health == "" || s.Health == HealthHealthy)
}

// lastLines is the last n lines of a tail buffer.
func (b *tailBuffer) lastLines(n int) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimRight(string(b.buf), "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}
