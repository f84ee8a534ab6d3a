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

// Status is what `onboard services status` shows of one service.
type Status struct {
	Name     string    `json:"name"`
	Backend  string    `json:"backend"` // "process" or "compose"
	State    State     `json:"state"`
	Health   string    `json:"health,omitempty"` // "" when the service has no probe
	Pid      int       `json:"pid,omitempty"`
	Since    time.Time `json:"since,omitempty"` // start of the current run
	Restarts int       `json:"restarts"`
	// NextStart is when a service in backoff is started again.
	NextStart time.Time `json:"next_start,omitempty"`
	Error     string    `json:"error,omitempty"`
	// Tail holds the last lines of output of a failed service.
	Tail []string `json:"tail,omitempty"`
	Hash string   `json:"hash,omitempty"`
	Log  string   `json:"log,omitempty"` // the log file
}

// Active reports whether the service is running or on its way to running.
func (s Status) Active() bool {
	return s.State == StateStarting || s.State == StateRunning || s.State == StateBackoff
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
