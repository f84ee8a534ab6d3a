package config

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	version "github.com/hashicorp/go-version"
	"github.com/onboard-dev/onboard/internal/pins"
	yaml "go.yaml.in/yaml/v4"
)

func (d *decoder) services(n *yaml.Node) []*Service {
	fs, _ := d.fields(n, "services", nil)
	var out []*Service
	for _, f := range fs {
		if !idPattern().MatchString(f.key) {
			d.errorf(f.knode, "service name %q must start with a letter or digit and hold only letters, digits, '.', '_' and '-'", f.key)
			continue
		}
		if s := d.service(f); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) service(f field) *Service {
	what := "service " + strconvQuote(f.key)
	s := &Service{Name: f.key, Pos: pos(f.knode)}
	fs, ok := d.fields(f.value, what, serviceKeys)
	if !ok {
		return nil
	}
	var how []field
	for _, g := range fs {
		w := what + " " + g.key
		switch g.key {
		case "run":
			how = append(how, g)
			s.Run, _ = d.command(g.value, w)
		case "compose":
			how = append(how, g)
			s.Compose = d.compose(g.value, w, f.key)
		case "setup":
			s.Setup = d.setup(g.value, w)
		case "ready":
			s.Ready = d.ready(g.value, w)
		case "depends_on":
			s.DependsOn = d.dependsOn(g.value, w)
		case "restart":
			if restartBool(d, g.value, w) {
				continue
			}
			if r, ok := d.str(g.value, w, restarts...); ok {
				if contains(restarts, r.Value) {
					s.Restart = r
				} else {
					d.errs.add(r.Pos, "%s: %q is not a restart policy (no, on-failure, always)%s", w, r.Value, suggest(r.Value, restarts))
				}
			}
		case "max_restarts":
			s.MaxRestarts, _ = d.integer(g.value, w, 0, 1000)
		case "env":
			s.Env = d.env(g.value, w)
		case "dir":
			s.Dir, _ = d.nonEmpty(g.value, w)
			d.confined(s.Dir, w)
		case "restart_on":
			for _, r := range d.stringList(g.value, w, false) {
				kind, target, _ := strings.Cut(r.Value, ":")
				switch {
				case kind == "step" && target != "":
				case kind == "file" && target != "":
					d.confined(String{Value: target, Pos: r.Pos}, w)
				default:
					d.errs.add(r.Pos, "%s: %q is not a trigger; write step:ID (a step that applied) or file:PATH (a file that changed)", w, r.Value)
					continue
				}
				s.RestartOn = append(s.RestartOn, r)
			}
		case "stop_timeout":
			s.StopTimeout, _ = d.duration(g.value, w)
		case "expect":
			s.Expect, _ = d.duration(g.value, w)
		case "stop_signal":
			if sig, ok := d.str(g.value, w); ok {
				name := sig.Value
				if !strings.HasPrefix(name, "SIG") {
					name = "SIG" + name
				}
				if contains(stopSignals, name) {
					s.StopSignal = String{Value: name, Pos: sig.Pos}
				} else {
					d.errs.add(sig.Pos, "%s: unknown signal %q (one of %s)%s", w, sig.Value, strings.Join(stopSignals, ", "), suggest(strings.ToUpper(name), stopSignals))
				}
			}
		}
	}
	switch len(how) {
	case 0:
		d.errs.add(s.Pos, "%s has nothing to start: give it run (a command) or compose (a Docker Compose service)", what)
	case 2:
		d.errorf(how[1].knode, "%s has both run and compose: a service is started one way", what)
	}
	return s
}

func (d *decoder) compose(n *yaml.Node, what, name string) *Compose {
	c := &Compose{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, what, composeKeys)
	for _, f := range fs {
		switch f.key {
		case "file":
			c.File, _ = d.nonEmpty(f.value, what+".file")
			d.confined(c.File, what+".file")
		case "service":
			c.Service, _ = d.nonEmpty(f.value, what+".service")
		}
	}
	if c.File.Pos.Line == 0 && ok {
		d.errs.add(c.Pos, "%s: file is missing: the docker-compose.yml that defines the service", what)
	}
	if c.Service.Value == "" {
		// Docker Compose users name the onboard service after the compose one.
		c.Service = String{Value: name, Pos: c.Pos}
	}
	return c
}

func (d *decoder) setup(n *yaml.Node, what string) *Setup {
	s := &Setup{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, what, setupKeys)
	for _, f := range fs {
		w := what + "." + f.key
		switch f.key {
		case "run":
			s.Run, _ = d.command(f.value, w)
		case "creates":
			s.Creates, _ = d.nonEmpty(f.value, w)
			d.confined(s.Creates, w)
		case "check":
			s.Check, _ = d.command(f.value, w)
		}
	}
	if s.Run.IsZero() && ok {
		d.errs.add(s.Pos, "%s: run is missing: the one-shot command to prepare the service", what)
	}
	return s
}

func (d *decoder) ready(n *yaml.Node, what string) *Ready {
	r := &Ready{Pos: pos(d.resolve(n))}
	fs, ok := d.fields(n, what, readyKeys)
	if !ok {
		return r
	}
	var probes []field
	for _, f := range fs {
		w := what + "." + f.key
		switch f.key {
		case "tcp":
			probes = append(probes, f)
			if s, ok := d.str(f.value, w); ok && d.hostPort(s, w) {
				r.TCP = s
			}
		case "http":
			probes = append(probes, f)
			if s, ok := d.str(f.value, w); ok && d.httpURL(s, w) {
				r.HTTP = s
			}
		case "exec":
			probes = append(probes, f)
			r.Exec, _ = d.command(f.value, w)
		case "log":
			probes = append(probes, f)
			if s, ok := d.regex(f.value, w); ok {
				r.Log = *s
			}
		case "interval":
			r.Interval, _ = d.duration(f.value, w)
		case "timeout":
			r.Timeout, _ = d.duration(f.value, w)
		case "failures":
			r.Failures, _ = d.integer(f.value, w, 1, 1000)
		}
	}
	switch len(probes) {
	case 0:
		d.errs.add(r.Pos, "%s has no probe: give it one of tcp, http, exec or log", what)
	case 1:
	default:
		d.errorf(probes[1].knode, "%s has both %s and %s: one probe decides readiness", what, probes[0].key, probes[1].key)
	}
	return r
}

func (d *decoder) hostPort(s String, what string) bool {
	host, port, err := net.SplitHostPort(s.Value)
	if err != nil || host == "" {
		d.errs.add(s.Pos, "%s: %q is not host:port, like 127.0.0.1:5432", what, s.Value)
		return false
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		d.errs.add(s.Pos, "%s: port %q must be a number from 1 to 65535", what, port)
		return false
	}
	return true
}

func (d *decoder) httpURL(s String, what string) bool {
	u, err := url.Parse(s.Value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.errs.add(s.Pos, "%s: %q is not an http:// or https:// URL", what, s.Value)
		return false
	}
	return true
}

// dependsOn decodes {name: condition} or, as Docker Compose allows, a list
// of names, which means "started".
func (d *decoder) dependsOn(n *yaml.Node, what string) []Dependency {
	r := d.resolve(n)
	var out []Dependency
	if r.Kind == yaml.SequenceNode {
		for _, name := range d.stringList(n, what, false) {
			out = append(out, Dependency{Name: name, Condition: String{Value: Started, Pos: name.Pos}})
		}
		return out
	}
	fs, _ := d.fields(n, what, nil)
	for _, f := range fs {
		c, ok := d.str(f.value, what+"."+f.key)
		if !ok {
			continue
		}
		if !contains(conditions, c.Value) {
			d.errs.add(c.Pos, "%s.%s: %q is not a condition (started, healthy, completed)%s", what, f.key, c.Value, suggest(c.Value, conditions))
			continue
		}
		out = append(out, Dependency{Name: String{Value: f.key, Pos: pos(f.knode)}, Condition: c})
	}
	return out
}

// constraint decodes a tool version: a hashicorp/go-version constraint, or
// `from FILE` for a pin kept in a standard file.
func (d *decoder) constraint(n *yaml.Node, what, tool string) (String, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return s, false
	}
	v := strings.TrimSpace(s.Value)
	if file, isFrom := strings.CutPrefix(v, "from "); isFrom {
		file = strings.TrimSpace(file)
		if file == "" {
			d.errs.add(s.Pos, "%s: `from` needs a file, like \"from .nvmrc\"", what)
			return s, false
		}
		if err := pins.Validate(file, tool); err != nil {
			d.errs.add(s.Pos, "%s: %v", what, err)
			return s, false
		}
		return s, true
	}
	if v == "" {
		d.errs.add(s.Pos, "%s: the version constraint is empty; write one like \">= 1.22\" or leave the key out", what)
		return s, false
	}
	if _, err := version.NewConstraint(v); err != nil {
		d.errs.add(s.Pos, "%s: %q is not a version constraint; write one like \">= 1.22\", \"~> 25.1\" or \">= 1.2, < 2\"", what, s.Value)
		return s, false
	}
	return s, true
}

func strconvQuote(s string) string { return strconv.Quote(s) }
