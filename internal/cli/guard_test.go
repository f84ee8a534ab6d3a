package cli

import (
	"strings"
	"testing"
)

// The guard is put above every command that may start a process, and
// only there: unknown commands count as starting one.
func TestStartsProcesses(t *testing.T) {
	for args, want := range map[string]bool{
		"": true, "up": true, "check": true, "verify": true, "preflight": true,
		"services up": true, "services down": true, "retry": true, "redo x": true,
		"https://example.com/a.git": true, "nosuchcommand": true,
		"plan": false, "validate": false, "version": false, "trust": false, "schema": false,
		"status": false, "report": false, "skip x": false, "unskip x": false, "inputs": false,
	} {
		var argv []string
		if args != "" {
			argv = strings.Fields(args)
		}
		if got := startsProcesses(argv); got != want {
			t.Errorf("startsProcesses(%q) = %v, want %v", args, got, want)
		}
	}
}
