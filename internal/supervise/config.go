package supervise

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"

	"github.com/onboard-dev/onboard/internal/config"
)

// ProbeFor builds the probe a service's `ready:` block describes: nil, nil
// when there is none. dir and env (the complete environment) are those of
// exec probes. A log probe is a *LogProbe: tee the service's output into
// it.
func ProbeFor(r *config.Ready, dir string, env []string) (Probe, error) {
	if r == nil {
		return nil, nil
	}
	switch {
	case r.TCP.Value != "":
		if _, _, err := net.SplitHostPort(r.TCP.Value); err != nil {
			return nil, fmt.Errorf("ready.tcp %q: %w", r.TCP.Value, err)
		}
		return &TCPProbe{Addr: r.TCP.Value}, nil
	case r.HTTP.Value != "":
		u, err := url.Parse(r.HTTP.Value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("ready.http %q: not an http(s) URL", r.HTTP.Value)
		}
		return &HTTPProbe{URL: r.HTTP.Value}, nil
	case !r.Exec.IsZero():
		return &ExecProbe{Shell: r.Exec.Shell, Argv: r.Exec.Argv, Dir: dir, Env: env}, nil
	case r.Log.Value != "":
		re, err := regexp.Compile(r.Log.Value)
		if err != nil {
			return nil, fmt.Errorf("ready.log: %w", err)
		}
		return NewLogProbe(re), nil
	}
	return nil, nil
}

// ProbePort is the TCP port a tcp or http probe waits for (for the port
// preflight), or 0 when the probe names none.
func ProbePort(p Probe) int {
	var hostport string
	switch p := p.(type) {
	case *TCPProbe:
		hostport = p.Addr
	case *HTTPProbe:
		u, err := url.Parse(p.URL)
		if err != nil {
			return 0
		}
		hostport = u.Host
		if u.Port() == "" {
			if u.Scheme == "https" {
				return 443
			}
			return 80
		}
	default:
		return 0
	}
	_, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(port)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}
