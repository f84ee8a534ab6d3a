package supervise

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// PortHolder finds the process listening on TCP port with lsof (macOS has
// no /proc/net/tcp), and its command line with ps. It returns pid 0 and no
// error when nothing listens on the port; ErrHolderHidden when something
// does but lsof does not show it (another user's process: lsof sees only
// one's own unless run as root); errors.ErrUnsupported when there is no
// lsof, so that Preflight says "taken" without the holder.
func PortHolder(port int) (pid int, cmdline string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	env := append(os.Environ(), "LC_ALL=C")
	var out bytes.Buffer
	err = run.Run(ctx, run.Command{Argv: lsofArgs(port), Env: env, Stdout: &out})
	var nf *run.NotFoundError
	var ee *run.ExitError
	switch {
	case errors.As(err, &nf):
		return 0, "", errors.ErrUnsupported
	case errors.As(err, &ee) && ee.Code == 1:
		// lsof found nothing (or not all it looked for): read what it
		// printed, if anything.
	case err != nil:
		return 0, "", err
	}
	pid, command, err := parseLsofListen(out.Bytes(), port)
	if err != nil {
		return 0, "", err
	}
	if pid == 0 {
		// Nothing lsof may show: free, or held by a process it hides.
		l, lerr := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(port)))
		if lerr != nil {
			return 0, "", ErrHolderHidden
		}
		_ = l.Close()
		return 0, "", nil
	}
	// The full command line, as Linux's /proc/PID/cmdline gives it; lsof's
	// command name when ps cannot say (the process just exited).
	out.Reset()
	if run.Run(ctx, run.Command{Argv: []string{"ps", "-o", "command=", "-p", strconv.Itoa(pid)}, Env: env, Stdout: &out}) == nil {
		if s := strings.TrimSpace(out.String()); s != "" {
			command = s
		}
	}
	return pid, command, nil
}
