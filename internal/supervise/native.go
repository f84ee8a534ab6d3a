package supervise

import "fmt"

// NativeUnsupportedError is a native service (a `run:` command onboard
// supervises itself) on an OS where onboard cannot supervise processes:
// no process groups, no signals, no way yet to stop a service's whole
// tree (Windows). It says what works instead.
type NativeUnsupportedError struct {
	Name string // the service
	OS   string // runtime.GOOS
}

func (e *NativeUnsupportedError) Error() string {
	return fmt.Sprintf("service %s: onboard cannot run native services on %s yet; "+
		"run onboard inside WSL2 (a Linux distribution on Windows: `wsl --install`), "+
		"or declare the service with `compose:` so that Docker Compose runs it", e.Name, e.OS)
}
