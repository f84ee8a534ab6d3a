// Package tools finds out which developer tools are installed and which
// versions they are, and checks those versions against the constraints
// written in onboard.yaml.
//
// The pieces, one file each:
//
//   - table.go: the built-in probe table (argv, stream, pattern per tool).
//   - parse.go: reading a version out of a tool's output.
//   - version.go: [Normalize] and [Satisfies] (hashicorp/go-version syntax).
//   - probe.go: [Probe] runs one version command as a child process.
//   - errors.go: the typed errors a probe can fail with.
//   - cache.go: [Cache] runs each distinct probe once per run.
//
// Version probes are bounded by the tools, not by onboard: some take hundreds
// of milliseconds (pyenv shims, rustup proxies, the JVM), so callers should
// probe only the tools something needs, and through one shared [Cache].
package tools
