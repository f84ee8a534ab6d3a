package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/onboard-dev/onboard/internal/run"
	"github.com/onboard-dev/onboard/internal/ui"
)

// guardMarker marks the onboard process that the guard started.
const guardMarker = "ONBOARD_GUARDED"

// startsNoProcess are the commands that never start a process: they run
// unguarded, without the cost of a second process. The detached
// supervisor is here too: it has a guard of its own.
var startsNoProcess = map[string]bool{
	"onboard plan": true, "onboard schema": true, "onboard validate": true,
	"onboard version": true, "onboard trust": true, "onboard help": true,
	"onboard completion": true, "onboard services " + daemonCommand: true,
	// The journal and the answers read and write onboard's state only.
	"onboard status": true, "onboard report": true, "onboard skip": true,
	"onboard unskip": true, "onboard inputs": true,
}

// Guard makes sure nothing a run starts outlives it, however the run ends:
// for a command that starts processes (steps, checks, git, services) it
// puts a guard process above this one (see run.Guard). In the guard it
// returns the exit code to exit with and true; in the process that does
// the work it returns false, having made it a child subreaper (so what a
// step orphans is still ours) and set SIGHUP — the terminal hung up, or
// the guard was killed — to kill every process below at once and exit
// 129. After the work, call Leftovers.
func Guard(args []string) (code int, guarded bool) {
	if !startsProcesses(args) {
		return 0, false
	}
	code, guarded, err := run.Guard(run.GuardOptions{Marker: guardMarker, Adopt: true})
	if guarded {
		if err != nil {
			fmt.Fprintf(os.Stderr, "onboard: %v\n", err)
		}
		return code, true
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		<-hup
		run.Abandon()
		os.Exit(128 + int(syscall.SIGHUP))
	}()
	return 0, false
}

// startsProcesses reports whether the command args call may start a
// process. Unknown commands count as yes: a guard too many costs a few
// milliseconds, one too few leaves processes running.
func startsProcesses(args []string) bool {
	if len(args) == 2 && args[0] == "services" && args[1] == daemonCommand {
		// The supervisor, twice per start of one: skip building every
		// command to find it.
		return false
	}
	root := (&app{streams: ui.System()}).rootCommand()
	cmd, _, err := root.Find(args)
	if err != nil {
		return true
	}
	return !startsNoProcess[cmd.CommandPath()]
}

// Leftovers stops what the run left running below onboard — something a
// step started in the background and did not stop (services belong under
// `services:`) — and says so on stderr, one line each.
func Leftovers(args []string, streams *ui.Streams) {
	if !startsProcesses(args) {
		return
	}
	left := run.KillLeftovers()
	for _, l := range left {
		fmt.Fprintf(streams.Err, "onboard: stopped `%s` (pid %d): a step left it running in the background; a process meant to keep running is a service (`services:` in onboard.yaml)\n", l.Command, l.Pid)
	}
}
