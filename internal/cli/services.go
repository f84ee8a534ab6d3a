package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/supervise"
	"github.com/onboard-dev/onboard/steps"
)

// daemonCommand is the hidden command the detached supervisor runs as:
// `onboard services _daemon`, started by Connect in .onboard/services.
const daemonCommand = "_daemon"

func (a *app) servicesCommand() *cobra.Command {
	svc := &cobra.Command{
		Use:   "services",
		Short: "Control the local service stack",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return &UsageError{errMissingSubcommand(cmd)}
		},
	}
	up := &cobra.Command{
		Use:   "up [NAME...]",
		Short: "Start services (and what they need); in the foreground unless -d",
		Example: `  onboard services up            # every service, in the foreground; Ctrl-C stops them
  onboard services up -d api     # api and what it needs, in the background`,
		ValidArgsFunction: a.completeServices,
		RunE: func(cmd *cobra.Command, names []string) error {
			detach, _ := cmd.Flags().GetBool("detach")
			if a.opts.json && !detach {
				return errJSONForeground
			}
			return a.servicesUp(cmd.Context(), names, detach)
		},
	}
	up.Flags().BoolP("detach", "d", false, "start in the background and return when healthy")
	a.jsonFlag(up, "with -d: events as JSON lines on stdout (docs/events.md)")
	// A converge of the services: no --only, the names given are its
	// --only (all the services without any).
	a.runFlags(up, flagFile|flagYes|flagSet|flagSkip|flagJobs|flagForce|flagVerbose)
	down := &cobra.Command{
		Use:   "down [NAME...]",
		Short: "Stop services (all, and the supervisor, without names)",
		Example: `  onboard services down          # every service, and the supervisor exits
  onboard services down db       # db and what depends on it`,
		ValidArgsFunction: a.completeServices,
		RunE: func(cmd *cobra.Command, names []string) error {
			return a.servicesDown(cmd.Context(), names)
		},
	}
	status := &cobra.Command{
		Use:   "status",
		Short: "Show the state, health and ports of every service",
		Example: `  onboard services status
  onboard services status --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.servicesStatus(cmd.Context())
		},
	}
	a.jsonFlag(status, "the supervisor and every service as one JSON object on stdout")
	logs := &cobra.Command{
		Use:   "logs [NAME...]",
		Short: "Show service logs",
		Example: `  onboard services logs                  # every service's log, prefixed with its name
  onboard services logs -F api           # follow api's log until Ctrl-C
  onboard services logs -n 50 --since 10m db`,
		ValidArgsFunction: a.completeServices,
		RunE: func(cmd *cobra.Command, names []string) error {
			opts, err := logsFlags(cmd)
			if err != nil {
				return err
			}
			return a.servicesLogs(cmd.Context(), names, opts)
		},
	}
	logs.Flags().BoolP("follow", "F", false, "follow the logs")
	logs.Flags().StringP("tail", "n", "all", "show only the last `N` lines of each service's log")
	logs.Flags().String("since", "", "show lines since `D`: a duration (10m, 1h30m) or an RFC3339 time (2026-03-04T15:04:05Z)")
	logs.Flags().BoolP("timestamps", "t", false, "show when onboard received each line")
	restart := &cobra.Command{
		Use:   "restart [NAME...]",
		Short: "Restart services (all without names)",
		Example: `  onboard services restart        # every service the supervisor runs
  onboard services restart api`,
		ValidArgsFunction: a.completeServices,
		RunE: func(cmd *cobra.Command, names []string) error {
			return a.servicesRestart(cmd.Context(), names)
		},
	}
	daemon := &cobra.Command{
		Use:    daemonCommand,
		Short:  "The detached service supervisor (started by onboard itself)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			dir, err := os.Getwd()
			if err != nil {
				return err
			}
			return supervise.RunDaemon(dir)
		},
	}
	// Each finds the checklist (and so .onboard/services) as every command
	// does; the daemon is started in that directory and reads no flags.
	for _, c := range []*cobra.Command{down, status, logs, restart} {
		a.runFlags(c, flagFile)
	}
	groupFlags(svc)
	svc.AddCommand(up, down, status, logs, restart, daemon)
	for _, c := range svc.Commands() {
		c.SilenceErrors, c.SilenceUsage = true, true
	}
	return svc
}

// servicesDir is .onboard/services of the checkout whose checklist the
// flags name.
func (a *app) servicesDir() (string, error) {
	_, root, err := a.findChecklist("")
	if err != nil {
		return "", err
	}
	if err := engine.RealDirs(root, engine.DirName, filepath.Join(engine.DirName, "services")); err != nil {
		return "", err
	}
	return filepath.Join(root, engine.DirName, "services"), nil
}

// daemonArgv re-executes this binary as the supervisor. argv[0] is
// "onboard" whatever the file is called, which is also how the test
// binary knows to act as onboard.
func daemonArgv() (path string, args []string) {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return exe, []string{"onboard", "services", daemonCommand}
}

// localStack is a supervisor inside this process (`services up` in the
// foreground).
type localStack struct{ sup *supervise.Supervisor }

func (l localStack) Start(ctx context.Context, spec supervise.ServiceSpec) error {
	return l.sup.Start(ctx, spec)
}

func (l localStack) Statuses(_ context.Context, names ...string) ([]supervise.Status, error) {
	return l.sup.Status(names...), nil
}

// servicesUp converges the services (and what they need) and, in the
// foreground, shows their output until Ctrl-C, then stops them.
func (a *app) servicesUp(ctx context.Context, names []string, detach bool) error {
	f, _, _, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	if len(f.Services) == 0 {
		return errors.New("the checklist has no services")
	}
	var known []string
	for _, s := range f.Services {
		known = append(known, s.Name)
	}
	var only []engine.ID
	for _, n := range names {
		if !slices.Contains(known, n) {
			return unknownService(n, known)
		}
		only = append(only, engine.ServiceID(n))
	}
	if len(names) == 0 {
		for _, s := range f.Services {
			only = append(only, engine.ServiceID(s.Name))
		}
	}
	if detach {
		return a.converge(ctx, engine.Up, convergeOpts{only: only})
	}

	dir, err := a.servicesDir()
	if err != nil {
		return err
	}
	ctl, err := supervise.Listen(dir)
	if errors.Is(err, supervise.ErrBusy) {
		return fmt.Errorf("the services already run under another supervisor (pid %d): `onboard services logs -F` shows them, `onboard services down` stops them", supervise.SupervisorPid(dir))
	}
	if err != nil {
		return err
	}
	defer ctl.Close()
	notices := a.streams.Above(a.streams.Err)
	sup, err := supervise.New(dir, supervise.Options{
		Output: a.streams.Above(a.streams.Out),
		Prefix: a.streams.ServicePrefix(supervise.PrefixWidth),
		Notify: func(msg string) { fmt.Fprintf(notices, "onboard | %s\n", msg) },
	})
	if err != nil {
		return err
	}
	// Signals are ours from here: the first stops the services in order,
	// a second kills them at once.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	stopAll := func() {
		done := make(chan struct{})
		go func() {
			select {
			case <-sigs:
				fmt.Fprintln(a.streams.Err, "onboard | second interrupt: killing every service")
				sup.Kill()
			case <-done:
			}
		}()
		_ = sup.Stop(nil, false)
		close(done)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-runCtx.Done():
		}
	}()
	// status, logs, restart and down work from another terminal as they do
	// with the detached supervisor; a down ends this command.
	go ctl.Serve(runCtx, sup, cancel)
	err = a.converge(runCtx, engine.Up, convergeOpts{only: only, stack: func(context.Context, bool) (steps.Stack, error) {
		return localStack{sup}, nil
	}})
	if err != nil || runCtx.Err() != nil {
		stopAll()
		if err == nil {
			err = context.Canceled
		}
		return err
	}
	fmt.Fprintln(a.streams.Err, "onboard | every service is up; Ctrl-C stops them")
	<-runCtx.Done()
	fmt.Fprintln(a.streams.Err, "onboard | stopping (Ctrl-C again to kill)")
	stopAll()
	fmt.Fprintln(a.streams.Err, "onboard | every service is stopped")
	return nil
}

func (a *app) servicesDown(ctx context.Context, names []string) error {
	dir, err := a.servicesDir()
	if err != nil {
		return err
	}
	c, err := supervise.Dial(ctx, dir)
	if errors.Is(err, supervise.ErrNoSupervisor) {
		if err := a.checkServiceNames(names, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.streams.Err, "No services are running.")
		return nil
	}
	if err != nil {
		return err
	}
	if len(names) > 0 {
		list, err := c.Statuses(ctx)
		if err != nil {
			return err
		}
		if err := a.checkServiceNames(names, supervisedNames(list)); err != nil {
			return err
		}
	}
	if err := c.Stop(ctx, names); err != nil {
		return err
	}
	if len(names) == 0 {
		fmt.Fprintln(a.streams.Err, "Stopped every service and the supervisor.")
	} else {
		fmt.Fprintf(a.streams.Err, "Stopped %s (and what depends on it).\n", strings.Join(names, ", "))
	}
	return nil
}

// servicesRestart restarts the named services, or, without names, every
// service the supervisor knows (running, stopped or failed), in the order
// they first started: dependencies first, as `docker compose restart`.
func (a *app) servicesRestart(ctx context.Context, names []string) error {
	dir, err := a.servicesDir()
	if err != nil {
		return err
	}
	c, err := supervise.Dial(ctx, dir)
	if errors.Is(err, supervise.ErrNoSupervisor) {
		if err := a.checkServiceNames(names, nil); err != nil {
			return err
		}
		return errors.New("no services are running: `onboard up` starts them")
	}
	if err != nil {
		return err
	}
	list, err := c.Statuses(ctx)
	if err != nil {
		return err
	}
	if err := a.checkServiceNames(names, supervisedNames(list)); err != nil {
		return err
	}
	if len(names) == 0 {
		names = supervisedNames(list)
		if len(names) == 0 {
			return errors.New("the supervisor runs no service: `onboard up` starts them")
		}
	}
	if err := c.Restart(ctx, names...); err != nil {
		var fe *supervise.FailedError
		if errors.As(err, &fe) {
			a.printFailure(fe)
		}
		return err
	}
	fmt.Fprintf(a.streams.Err, "Restarted %s.\n", strings.Join(names, ", "))
	return nil
}

// supervisedNames are the names of the services a supervisor knows, in
// its order.
func supervisedNames(list []supervise.Status) []string {
	names := make([]string, 0, len(list))
	for _, s := range list {
		names = append(names, s.Name)
	}
	return names
}

// checkServiceNames refuses, as a usage error, a name that is neither a
// service of the checklist nor one the supervisor knows (also). When the
// checklist cannot be read the names are left to the supervisor to judge:
// stopping the stack must work even while onboard.yaml is broken.
func (a *app) checkServiceNames(names, also []string) error {
	if len(names) == 0 {
		return nil
	}
	inChecklist, err := a.checklistServices()
	if err != nil {
		return nil
	}
	for _, n := range names {
		if !slices.Contains(inChecklist, n) && !slices.Contains(also, n) {
			return unknownService(n, inChecklist)
		}
	}
	return nil
}

// unknownService is the usage error of a service name that names nothing.
func unknownService(name string, services []string) error {
	msg := fmt.Sprintf("no service %q in the checklist", name)
	switch {
	case len(services) == 0:
		msg += " (it has no services)"
	default:
		msg += " (its services: " + strings.Join(services, ", ") + ")"
	}
	return &UsageError{errors.New(msg)}
}

// checklistServices are the names of the checklist's services, in its
// order.
func (a *app) checklistServices() ([]string, error) {
	f, _, _, err := a.loadChecklist("")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(f.Services))
	for _, s := range f.Services {
		names = append(names, s.Name)
	}
	return names, nil
}

func (a *app) printFailure(fe *supervise.FailedError) {
	fmt.Fprintf(a.streams.Err, "\n✗ %s failed: %s\n", fe.Name, fe.Reason)
	for _, l := range fe.Tail {
		fmt.Fprintf(a.streams.Err, "  │ %s\n", l)
	}
	fmt.Fprintf(a.streams.Err, "  log: %s\n", fe.Log)
}

func (a *app) servicesStatus(ctx context.Context) error {
	dir, err := a.servicesDir()
	if err != nil {
		return err
	}
	var list []supervise.Status
	pid := 0
	c, err := supervise.Dial(ctx, dir)
	switch {
	case errors.Is(err, supervise.ErrNoSupervisor):
	case err != nil:
		return err
	default:
		pid = c.Pid()
		if list, err = c.Statuses(ctx); err != nil {
			return err
		}
	}
	// A supervisor that exited because nothing ran left how it left
	// each service: a failed one stays visible, with its reason.
	last, hasLast := supervise.LastStatus{}, false
	if pid == 0 {
		last, hasLast = supervise.ReadLastStatus(dir)
	}
	if a.opts.json {
		if list == nil {
			list = []supervise.Status{}
		}
		enc := json.NewEncoder(a.streams.Out)
		enc.SetIndent("", "  ")
		out := map[string]any{"supervisor_pid": pid, "services": list}
		if hasLast {
			out["last_exit"] = last
		}
		return enc.Encode(out)
	}
	if pid == 0 && !hasLast {
		fmt.Fprintln(a.streams.Out, "No services are running (no supervisor). `onboard up` starts them.")
		return nil
	}
	if pid == 0 {
		fmt.Fprintf(a.streams.Out, "No services are running: the supervisor exited at %s, when none was left running. It left them so:\n", last.Exited.Local().Format("15:04:05"))
		list = last.Services
	} else {
		fmt.Fprintf(a.streams.Out, "supervisor pid %d\n", pid)
	}
	var rows [][]string
	now := time.Now()
	for _, s := range list {
		health, pidS, up, ports := s.Health, "-", "-", strings.Join(s.Ports, ",")
		if health == "" {
			health = "-"
		}
		if ports == "" {
			ports = "-"
		}
		if s.Pid > 0 {
			pidS = fmt.Sprint(s.Pid)
		}
		if s.Active() && !s.Since.IsZero() && s.State != supervise.StateBackoff {
			up = now.Sub(s.Since).Round(time.Second).String()
		}
		state := string(s.State)
		if s.State == supervise.StateBackoff {
			state += fmt.Sprintf(" (restart in %s)", time.Until(s.NextStart).Round(100*time.Millisecond))
		}
		rows = append(rows, []string{s.Name, state, health, pidS, up, fmt.Sprint(s.Restarts), ports})
	}
	a.streams.Table([]string{"NAME", "STATE", "HEALTH", "PID", "UPTIME", "RESTARTS", "PORTS"}, rows)
	for _, s := range list {
		if s.Error != "" {
			fmt.Fprintf(a.streams.Out, "%s: %s\n", s.Name, s.Error)
		}
	}
	return nil
}
