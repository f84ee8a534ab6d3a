package supervise

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
)

// ProbeFor builds the probe a ReadySpec describes: nil, nil when there is
// none. dir and env (the complete environment) are those of exec probes.
// A log probe is a *LogProbe: tee the service's output into it.
func ProbeFor(r *ReadySpec, dir string, env []string) (Probe, error) {
	if r == nil {
		return nil, nil
	}
	switch {
	case r.TCP != "":
		if _, _, err := net.SplitHostPort(r.TCP); err != nil {
			return nil, fmt.Errorf("ready.tcp %q: %w", r.TCP, err)
		}
		return &TCPProbe{Addr: r.TCP}, nil
	case r.HTTP != "":
		u, err := url.Parse(r.HTTP)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("ready.http %q: not an http(s) URL", r.HTTP)
		}
		return &HTTPProbe{URL: r.HTTP}, nil
	case r.ExecShell != "" || r.ExecArgv != nil:
		return &ExecProbe{Shell: r.ExecShell, Argv: r.ExecArgv, Dir: dir, Env: env}, nil
	case r.Log != "":
		re, err := regexp.Compile(r.Log)
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
