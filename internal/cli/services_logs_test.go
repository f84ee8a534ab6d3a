package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/supervise"
	"github.com/onboard-dev/onboard/internal/ui"
)

// A service's log is its rotated files, oldest first, then the current
// one: --tail and --since select from all of it, lines of a log written
// before lines were stamped are shown as they are (and are older than any
// --since), and the stamps are shown only with --timestamps.
func TestServicesLogsSelectsAcrossRotatedFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "onboard.yaml"), []byte("version: 1\nservices:\n  web:\n    run: [web]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(dir, ".onboard", "services", "logs")
	if err := os.MkdirAll(logs, 0o700); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	stamp := func(ago time.Duration, text string) string {
		return now.Add(-ago).Format(supervise.LogStampLayout) + " " + text + "\n"
	}
	files := map[string]string{
		"web.log.3": "legacy 1\nlegacy 2\n", // before stamps
		"web.log.2": stamp(3*time.Hour, "a") + stamp(2*time.Hour, "b"),
		"web.log.1": stamp(90*time.Minute, "c") + stamp(30*time.Minute, "d"),
		"web.log":   stamp(20*time.Minute, "e") + stamp(5*time.Minute, "f") + stamp(time.Minute, "partial"), // still being written
		// Not a rotated file of web's.
		"web.log.x": stamp(time.Minute, "not a log"),
	}
	for name, data := range files {
		if name == "web.log" {
			data = strings.TrimSuffix(data, "\n")
		}
		if err := os.WriteFile(filepath.Join(logs, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := Main(context.Background(), append([]string{"-f", filepath.Join(dir, "onboard.yaml"), "services", "logs"}, args...),
			&ui.Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
		return code, out.String(), errb.String()
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "legacy 1\nlegacy 2\na\nb\nc\nd\ne\nf\npartial\n"},
		{[]string{"--tail", "4"}, "d\ne\nf\npartial\n"},
		{[]string{"-n", "0"}, ""},
		{[]string{"-n", "all", "web"}, "legacy 1\nlegacy 2\na\nb\nc\nd\ne\nf\npartial\n"},
		{[]string{"--since", "1h"}, "d\ne\nf\npartial\n"},
		{[]string{"--since", "10m", "-n", "1"}, "partial\n"},
		{[]string{"--since", now.Add(-150 * time.Minute).UTC().Format(time.RFC3339)}, "b\nc\nd\ne\nf\npartial\n"},
		{[]string{"--since", "100h", "--tail", "3"}, "e\nf\npartial\n"},
		{[]string{"--since", "10s"}, ""},
		{[]string{"-t", "-n", "2"}, stamp(5*time.Minute, "f") + stamp(time.Minute, "partial")},
		{[]string{"--timestamps", "--tail", "9"}, "legacy 1\nlegacy 2\n" + files["web.log.2"] + files["web.log.1"] + files["web.log"]},
	} {
		code, out, errs := run(tc.args...)
		if code != 0 || out != tc.want {
			t.Errorf("services logs %s: exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", strings.Join(tc.args, " "), code, out, tc.want, errs)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tail", "-3"}, `--tail "-3": want a number of lines, 0 or more (or all)`},
		{[]string{"--tail", "x"}, `--tail "x": want a number of lines, 0 or more (or all)`},
		{[]string{"-n", ""}, `--tail "": want a number of lines`},
		{[]string{"--since", "yesterday"}, `--since "yesterday": want a duration such as 10m or 1h30m, or an RFC3339 time such as 2026-03-04T15:04:05Z`},
		{[]string{"--since", "-1h"}, `--since "-1h": a duration back from now cannot be negative`},
		{[]string{"--since", "2026-03-04"}, `--since "2026-03-04": want a duration`},
		{[]string{"nosuch"}, `no service "nosuch" in the checklist (its services: web)`},
	} {
		code, out, errs := run(tc.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, "onboard: "+tc.want) || !strings.Contains(errs, "Run 'onboard services logs --help' for usage.") {
			t.Errorf("services logs %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", strings.Join(tc.args, " "), code, out, errs, tc.want)
		}
	}
}
