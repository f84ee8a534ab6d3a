package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/report"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// verify's last phase: every service the checklist started is healthy,
// then (unless --keep-services) everything stops and every port it served
// is free again, so that CI leaves nothing behind.

// portFreeWait is how long a port may take to close after its service
// stopped.
const portFreeWait = 2 * time.Second

// servicesPhase checks the supervisor's services in root and stops them
// unless keep. It runs even after a failure, so that nothing is left
// running; judge says whether their health counts.
func (a *app) servicesPhase(ctx context.Context, root string, keep, judge bool, v *verdict) *report.Phase {
	start := time.Now()
	p := &report.Phase{Name: report.PhaseServices, Items: []*report.Item{}}
	defer func() { p.Duration = time.Since(start) }()
	// Stopping must happen even when verify was interrupted.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	dir := filepath.Join(root, engine.DirName, "services")
	c, err := supervise.Dial(ctx, dir)
	if errors.Is(err, supervise.ErrNoSupervisor) {
		return p // no service ran
	}
	out := a.resultsOut()
	fmt.Fprintf(out, "\n── %s: every service healthy, then stopped\n", report.PhaseServices)
	if err != nil {
		it := &report.Item{ID: "services", Outcome: engine.OutcomeFailed}
		v.fail(it, true, "cannot reach the service supervisor: "+err.Error())
		p.Items = append(p.Items, it)
		return p
	}
	list, err := c.Statuses(ctx)
	if err != nil {
		it := &report.Item{ID: "services", Outcome: engine.OutcomeFailed}
		v.fail(it, true, "cannot ask the service supervisor: "+err.Error())
		p.Items = append(p.Items, it)
		return p
	}
	var ports []string
	for _, s := range list {
		id := engine.ServiceID(s.Name).String()
		it := &report.Item{ID: id, Outcome: string(s.State), Detail: s.Health, Output: s.Tail}
		if !s.Since.IsZero() {
			it.Duration = time.Since(s.Since)
		}
		healthy := s.State == supervise.StateRunning && (s.Health == "" || s.Health == supervise.HealthHealthy)
		switch {
		case healthy || s.State == supervise.StateCompleted:
			fmt.Fprintf(out, "✓ %s  %s %s\n", id, s.State, s.Health)
		case judge:
			fmt.Fprintf(out, "✗ %s  %s %s\n", id, s.State, s.Health)
			v.fail(it, false, fmt.Sprintf("%s is %s %s after the check, not running and healthy: %s", itemName(id), s.State, s.Health, s.Error))
		}
		ports = append(ports, s.Ports...)
		p.Items = append(p.Items, it)
	}
	if keep {
		fmt.Fprintf(out, "Services left running (--keep-services): `onboard services down` in %s stops them.\n", root)
		return p
	}
	if err := c.Stop(ctx, nil); err != nil {
		it := &report.Item{ID: "services", Outcome: engine.OutcomeFailed}
		v.fail(it, true, "stopping the services failed: "+err.Error())
		p.Items = append(p.Items, it)
		return p
	}
	free := true
	for _, addr := range ports {
		it := &report.Item{ID: "port:" + addr, Outcome: "free"}
		if !portFree(addr) {
			it.Outcome, free = "in use", false
			v.fail(it, false, fmt.Sprintf("port %s is still in use after every service stopped: a service left a process behind (one that detaches itself is not stopped with its group)", addr))
			fmt.Fprintf(out, "✗ %s  still in use after the stop\n", addr)
		}
		p.Items = append(p.Items, it)
	}
	if free {
		fmt.Fprintln(out, "Stopped every service; every port is free.")
	}
	return p
}

// portFree waits up to portFreeWait for nothing to accept on addr.
func portFree(addr string) bool {
	deadline := time.Now().Add(portFreeWait)
	for {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return true
		}
		conn.Close()
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
