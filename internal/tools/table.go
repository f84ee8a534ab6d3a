package tools

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Stream says where a tool prints its version.
//
// It documents the tool's habit only: [Probe] always reads standard output
// and standard error combined, so a tool that moves its banner from one
// stream to the other between releases is still read.
type Stream int

const (
	// Stdout means the version is printed on standard output.
	Stdout Stream = iota + 1
	// Stderr means the version is printed on standard error (java -version).
	Stderr
	// Both means different releases or wrappers use either stream.
	Both
)

// String returns "stdout", "stderr" or "stdout+stderr".
func (s Stream) String() string {
	switch s {
	case Stdout:
		return "stdout"
	case Stderr:
		return "stderr"
	case Both:
		return "stdout+stderr"
	}
	return "unknown stream"
}

// Entry is one row of the built-in probe table: how to ask a tool for its
// version and how to read the answer.
type Entry struct {
	// Name is the tool's name as written under tools: in onboard.yaml.
	Name string
	// Argv is the command that prints the version, run without a shell.
	Argv []string
	// Stream is where the tool prints its version (informational).
	Stream Stream
	// Pattern finds the version; its first capture group is the version.
	Pattern *regexp.Regexp
}

// Parse returns the version in output, a tool's combined stdout and stderr,
// and whether Pattern found one. See [ParseOutput].
func (e Entry) Parse(output string) (string, bool) {
	m, ok := ParseOutput(e.Pattern, output)
	return m.Version, ok
}

// GenericPattern is used for tools that are neither in the built-in table
// nor given a pattern in onboard.yaml: the first "N.N" or "N.N.N" in the
// output of "<name> --version".
const GenericPattern = `(\d+\.\d+(?:\.\d+)?)`

// genericPattern and builtin are compiled on first use, not in init: a
// run that probes no tool (validate, plan) should not pay for 35 regexps.
var genericPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(GenericPattern) })

// Patterns shared by several entries.
var (
	// bareVersion: tools that print nothing but the version (npm, pnpm,
	// yarn, bun), possibly followed by a prerelease or build suffix.
	bareVersion = `(?m)^v?(\d+\.\d+\.\d+\S*)\s*$`
	// composeVersion reads both Compose v2 ("Docker Compose version
	// v2.24.5") and Compose v1 ("docker-compose version 1.29.2, build …").
	composeVersion = `(?i)docker[ -]compose version v?(\d+\.\d+\.\d+[^\s,]*)`
)

// builtin is the probe table. Patterns are matched after ANSI escape
// sequences and carriage returns are removed from the output; each one is
// exercised by the fixtures in testdata/probes/<tool>/.
var builtin = sync.OnceValue(func() []Entry {
	return []Entry{
		// "go version go1.26.8 linux/amd64", "go version go1.26rc1 linux/amd64"
		{"go", []string{"go", "version"}, Stdout, re(`go version go(\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?)`)},
		// "v20.20.2"
		{"node", []string{"node", "--version"}, Stdout, re(`(?m)^v(\d+\.\d+\.\d+\S*)`)},
		{"npm", []string{"npm", "--version"}, Stdout, re(bareVersion)},
		{"pnpm", []string{"pnpm", "--version"}, Stdout, re(bareVersion)},
		{"yarn", []string{"yarn", "--version"}, Stdout, re(bareVersion)},
		// "deno 1.29.2 (release, …)", "deno 2.3.6 (stable, release, …)", "deno v0.26.0"
		{"deno", []string{"deno", "--version"}, Stdout, re(`(?m)^deno v?(\d+\.\d+\.\d+\S*)`)},
		{"bun", []string{"bun", "--version"}, Stdout, re(bareVersion)},
		// "Python 3.11.7"; Python 2 printed this on stderr.
		{"python3", []string{"python3", "--version"}, Both, re(`Python (\d+\.\d+\.\d+\S*)`)},
		// "pip 23.2.1 from /… (python 3.11)"
		{"pip", []string{"pip", "--version"}, Stdout, re(`pip (\d+(?:\.\d+)+\S*)`)},
		// "uv 0.5.4", "uv 0.5.29 (ca73c4754 2025-02-05)"
		{"uv", []string{"uv", "--version"}, Stdout, re(`uv (\d+\.\d+\.\d+\S*)`)},
		// "ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]": the
		// patch level is left out; a preview or rc suffix is kept.
		{"ruby", []string{"ruby", "--version"}, Stdout, re(`ruby (\d+\.\d+\.\d+(?:-?(?:preview|rc|dev)\d*)?)`)},
		// "Bundler version 2.3.15"
		{"bundler", []string{"bundler", "--version"}, Stdout, re(`(?m)^(?:Bundler version )?(\d+\.\d+\.\d+\S*)`)},
		// `openjdk version "17.0.15" 2025-04-15`, `java version "1.8.0_271"`, on stderr.
		{"java", []string{"java", "-version"}, Stderr, re(`version "([^"\s]+)"`)},
		// "Apache Maven 3.8.7" (often wrapped in ANSI bold)
		{"mvn", []string{"mvn", "--version"}, Stdout, re(`Apache Maven (\d+\.\d+\.\d+\S*)`)},
		// "Gradle 8.5" inside a banner of dashes.
		{"gradle", []string{"gradle", "--version"}, Stdout, re(`(?m)^Gradle (\d+(?:\.\d+)+\S*)`)},
		// "rustc 1.95.0 (59807616e 2026-04-14)"
		{"rustc", []string{"rustc", "--version"}, Stdout, re(`rustc (\d+\.\d+\.\d+\S*)`)},
		// "cargo 1.95.0 (f2d3ce0bd 2026-03-21)"
		{"cargo", []string{"cargo", "--version"}, Stdout, re(`cargo (\d+\.\d+\.\d+\S*)`)},
		// "git version 2.39.5", "git version 2.43.0.windows.1"
		{"git", []string{"git", "--version"}, Stdout, re(`git version (\d+(?:\.\d+)+)`)},
		// "Docker version 28.2.2, build e6534b4"
		{"docker", []string{"docker", "--version"}, Stdout, re(`Docker version (\d+\.\d+\.\d+[^\s,]*)`)},
		// The Compose v2 plugin. Projects on Compose v1 name "docker-compose".
		{"docker compose", []string{"docker", "compose", "version"}, Stdout, re(composeVersion)},
		{"docker-compose", []string{"docker-compose", "version"}, Stdout, re(composeVersion)},
		// "Client Version: v1.29.1", older: `Client Version: version.Info{… GitVersion:"v1.23.2", …}`
		{"kubectl", []string{"kubectl", "version", "--client"}, Stdout, re(`Client Version: (?:version\.Info\{[^}]*?GitVersion:")?v?(\d+\.\d+\.\d+[^\s"]*)`)},
		// "v3.14.0+g3fc9f4b", Helm 2: "Client: v2.16.3+g1ee0254"; the build
		// metadata after "+" is left out.
		{"helm", []string{"helm", "version", "--short"}, Stdout, re(`v(\d+\.\d+\.\d+[^\s+"]*)`)},
		// "Terraform v1.7.0", possibly after a warning box about the CLI config.
		{"terraform", []string{"terraform", "version"}, Stdout, re(`(?m)^Terraform v(\d+\.\d+\.\d+\S*)`)},
		// "GNU Make 4.3"
		{"make", []string{"make", "--version"}, Stdout, re(`GNU Make (\d+(?:\.\d+)+)`)},
		// "gcc (Debian 12.2.0-14+deb12u1) 12.2.0": the version ends the first
		// line. On macOS /usr/bin/gcc is Apple clang ("Apple clang version
		// 14.0.0 (clang-…)"): its version is clang's, which is what a
		// checklist's constraint on gcc is then compared with.
		{"gcc", []string{"gcc", "--version"}, Stdout, re(`(?m)^(?:\S*gcc\S* \(.*\) |Apple clang version )(\d+(?:\.\d+)+)`)},
		// "Debian clang version 14.0.6", "Apple clang version 15.0.0 (clang-…)"
		{"clang", []string{"clang", "--version"}, Stdout, re(`clang version (\d+\.\d+\.\d+)`)},
		// "psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
		{"psql", []string{"psql", "--version"}, Stdout, re(`psql \(PostgreSQL\) (\d+(?:\.\d+)+)`)},
		// "Redis server v=7.0.15 sha=00000000:0 …"
		{"redis-server", []string{"redis-server", "--version"}, Stdout, re(`v=(\d+\.\d+\.\d+)`)},
		// MySQL 8: "mysql  Ver 8.0.31 for macos12 …"; MySQL 5 and MariaDB 10:
		// "mysql  Ver 15.1 Distrib 10.11.6-MariaDB, …" (the server version is
		// the Distrib one); MariaDB 11: "mysql from 11.4.2-MariaDB, client 15.2 …".
		{"mysql", []string{"mysql", "--version"}, Stdout, re(`(?:Ver (?:\S+ Distrib )?|mysql\s+from )(\d+\.\d+(?:\.\d+)?)`)},
		// "libprotoc 3.21.12", "libprotoc 25.1"
		{"protoc", []string{"protoc", "--version"}, Stdout, re(`libprotoc (\d+(?:\.\d+)+\S*)`)},
		// "jq-1.6", "jq-1.7.1"
		{"jq", []string{"jq", "--version"}, Stdout, re(`jq-(\d+(?:\.\d+)+)`)},
		// "gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)"
		{"gh", []string{"gh", "--version"}, Stdout, re(`gh version (\d+\.\d+\.\d+\S*)`)},
		// "aws-cli/2.15.0 Python/3.11.6 Linux/… exe/x86_64…"; v1 printed on stderr.
		{"aws", []string{"aws", "--version"}, Both, re(`aws-cli/(\d+\.\d+\.\d+)`)},
		// "Google Cloud SDK 528.0.0" followed by one line per component.
		{"gcloud", []string{"gcloud", "version"}, Stdout, re(`Google Cloud SDK (\d+\.\d+\.\d+)`)},
	}
})

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// Lookup returns the built-in table entry for a tool name such as "go" or
// "docker compose". The entry's Argv is a copy the caller may modify.
func Lookup(name string) (Entry, bool) {
	i := slices.IndexFunc(builtin(), func(e Entry) bool { return e.Name == name })
	if i < 0 {
		return Entry{}, false
	}
	e := builtin()[i]
	e.Argv = slices.Clone(e.Argv)
	return e, true
}

// Names returns the names of all built-in tools, sorted.
func Names() []string {
	names := make([]string, 0, len(builtin()))
	for _, e := range builtin() {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	return names
}

// genericArgv is the command for a tool that is not in the table:
// "<name> --version" ("foo bar" runs "foo bar --version").
func genericArgv(name string) []string {
	return append(strings.Fields(name), "--version")
}
