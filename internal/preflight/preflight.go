// Package preflight finds, before anything changes, everything that would
// stop `onboard up` part-way: taken ports, a Docker daemon that does not
// answer, a checkout onboard cannot write, too little disk space, missing
// environment variables. It reports every problem at once, so a newcomer
// fixes them in one go instead of one failed run at a time.
package preflight

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/bytesize"
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// Port is a port a service's readiness probe waits on: it must be free
// before the service starts, or the probe would see whatever holds it.
type Port struct {
	Service string // service:NAME
	Port    int
}

// Spec is what to check.
type Spec struct {
	Root    string   // the checkout
	Environ []string // the environment commands will get
	Ports   []Port
	// Own are the services this checklist's supervisor runs now: their
	// ports are theirs, not a conflict.
	Own map[string]bool
	// Compose names the compose services, which need a Docker daemon.
	Compose []string
	// Disk is the free space the checkout's file system must have; 0
	// asks nothing.
	Disk int64
	// DiskShown is Disk as the checklist writes it.
	DiskShown string
	// Env are variables that must be set and not empty.
	Env []string
	// Runner asks Docker; nil is run.System.
	Runner run.Runner
}

// Check runs every check and returns every problem, each one sentence
// that says what is wrong and what to do; nil when all is well.
func Check(ctx context.Context, s Spec) []string {
	var problems []string
	seen := map[int]bool{}
	for _, p := range s.Ports {
		if seen[p.Port] || s.Own[p.Service] {
			continue
		}
		seen[p.Port] = true
		if err := supervise.Preflight(p.Port); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v: stop that process, or change the port in the checklist", p.Service, err))
		}
	}
	// Compose services this checklist already runs have a daemon: asking
	// it again would only cost a run its time.
	s.Compose = slices.DeleteFunc(slices.Clone(s.Compose), func(id string) bool { return s.Own[id] })
	if len(s.Compose) > 0 {
		if err := docker(ctx, s); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if err := probeWritable(s.Root); err != nil {
		problems = append(problems, fmt.Sprintf("the checkout %s is not writable (%v): onboard writes files and its state there; make it writable", s.Root, unwrap(err)))
	}
	if s.Disk > 0 {
		want := s.DiskShown
		if want == "" {
			want = bytesize.Format(s.Disk)
		}
		free, err := freeSpace(s.Root)
		switch {
		case errors.Is(err, errors.ErrUnsupported):
		case err != nil:
			problems = append(problems, fmt.Sprintf("cannot tell the free disk space of %s (%v); the checklist asks for %s", s.Root, err, want))
		case free < s.Disk:
			problems = append(problems, fmt.Sprintf("only %s free on the disk of %s; the checklist asks for %s (preflight.disk): make room", bytesize.Format(free), s.Root, want))
		}
	}
	for _, name := range s.Env {
		if lookup(s.Environ, name) == "" {
			problems = append(problems, fmt.Sprintf("the environment variable %s is not set (preflight.env asks for it): set it, then run onboard again", name))
		}
	}
	return problems
}

// docker asks the Docker daemon for its version: a compose service cannot
// start without one, and "Cannot connect to the Docker daemon" half-way
// through a run is the failure preflight exists to move to the start.
func docker(ctx context.Context, s Spec) error {
	var out bytes.Buffer
	err := run.Or(s.Runner).Run(ctx, run.Command{
		Argv: []string{"docker", "version", "--format", "{{.Server.Version}}"}, Env: s.Environ,
		Output: &out, Timeout: 15 * time.Second,
	})
	who := strings.Join(s.Compose, ", ")
	var nf *run.NotFoundError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &nf):
		return fmt.Errorf("docker is not installed, and %s runs with Docker Compose: install Docker", who)
	}
	msg := lastLine(out.String())
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("the Docker daemon does not answer (%s), and %s runs with Docker Compose: start Docker", msg, who)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range slices.Backward(lines) {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

func lookup(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val // the last one wins, as for a process
		}
	}
	return v
}

// probeWritable creates and removes a file in the checkout at root,
// through rootfs as every write in a checkout is.
func probeWritable(root string) error {
	r, err := rootfs.Open(root)
	if err != nil {
		return err
	}
	defer r.Close()
	f, name, err := r.CreateTemp(".", ".onboard-preflight-")
	if err != nil {
		return err
	}
	f.Close()
	_ = r.Remove(name)
	return nil
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
