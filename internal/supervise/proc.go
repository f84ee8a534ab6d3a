package supervise

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// DefaultStopTimeout is how long a service has to exit after its stop
// signal before its process group gets SIGKILL.
const DefaultStopTimeout = 10 * time.Second

// Spec is a service process to start.
//
// A command is an argv list (run directly) or a shell string. A shell
// string that is one plain command — words, quotes, no expansions,
// redirections, pipes or builtins, optionally prefixed with `exec`, as in
// `postgres -D .onboard/pgdata -p 5433` or `go run ./cmd/api` — is turned
// into argv and run directly as well, so it gets everything below. Any
// other shell string runs in the in-process shell of internal/run (see
// Start for what that costs).
type Spec struct {
	Name  string   // service name, for messages
	Shell string   // a shell string, or
	Argv  []string // a program and its arguments
	Dir   string   // working directory; "" is the current one
	Env   []string // the complete environment; nil inherits onboard's
	// Output receives stdout and stderr interleaved (the log file, teed
	// into a *LogProbe with io.MultiWriter). nil discards. An *os.File is
	// handed to the process directly; any other writer is fed from a pipe.
	Output io.Writer
	// Used when ctx of Start ends, and by Stop for its zero arguments.
	StopTimeout time.Duration // 0: DefaultStopTimeout
	StopSignal  os.Signal     // nil: SIGTERM
	// Runner starts the process; nil is run.System.
	Runner run.Runner
}

// ExitError is a service process that exited non-zero or on a signal.
type ExitError struct {
	Code   int       // exit status; 128+signal when killed by a signal
	Signal os.Signal // the signal that killed it, or nil
}

func (e *ExitError) Error() string {
	if e.Signal != nil {
		return "killed by " + signalName(e.Signal)
	}
	return fmt.Sprintf("exit status %d", e.Code)
}
