package supervise

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// ErrHolderHidden is a port that something listens on, by a process onboard
// cannot see.
var ErrHolderHidden = errors.New("its holder is not visible (another user's process?)")

// PortInUseError is a port a service needs that is already taken.
type PortInUseError struct {
	Port    int
	PID     int    // 0 when unknown
	Cmdline string // the holder's command line, when known
}

func (e *PortInUseError) Error() string {
	switch {
	case e.PID > 0 && e.Cmdline != "":
		return fmt.Sprintf("port %d is already in use by pid %d (%s)", e.Port, e.PID, e.Cmdline)
	case e.PID > 0:
		return fmt.Sprintf("port %d is already in use by pid %d", e.Port, e.PID)
	}
	return fmt.Sprintf("port %d is already in use (%v)", e.Port, ErrHolderHidden)
}

// Preflight checks that nothing listens on port before a service that
// serves it is started: nil when free (a bind on all interfaces succeeds),
// a *PortInUseError naming the holder otherwise. Where PortHolder is
// unsupported, "taken" comes without the holder.
func Preflight(port int) error {
	// A bind tells "free" in microseconds; reading /proc/net/tcp costs
	// milliseconds (5 ms a file on this project's VMs), paid for every
	// service of a cold start. So /proc is read only to name a holder.
	if l, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(port))); err == nil {
		_ = l.Close()
		return nil
	}
	pid, cmdline, err := PortHolder(port)
	switch {
	case err == nil && pid > 0:
		return &PortInUseError{Port: port, PID: pid, Cmdline: cmdline}
	case err == nil:
		return nil
	case errors.Is(err, ErrHolderHidden):
		return &PortInUseError{Port: port}
	case errors.Is(err, errors.ErrUnsupported):
		l, lerr := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(port)))
		if lerr != nil {
			return &PortInUseError{Port: port}
		}
		_ = l.Close()
		return nil
	}
	return fmt.Errorf("port %d preflight: %w", port, err)
}
