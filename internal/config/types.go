package config

import (
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// File is a loaded onboard.yaml: every value keeps the position it came from,
// so later stages (the engine, `onboard plan`) can point back at the source.
type File struct {
	Path    string // as given to Load
	Source  []byte
	Version int
	Project String
	Repo    *Repo
	// Inputs, Tools and Services keep the order of the file, because that
	// is the order a person reads and expects prompts and output in.
	Inputs   []*Input
	Tools    []*Tool
	Steps    []*Step
	Services []*Service
	Next     []String
	// Warnings are problems that do not stop a run (an unquoted text cut
	// by a #); `onboard validate` shows them.
	Warnings []Error
	// Preflight is what must hold before anything changes; nil when the
	// checklist asks nothing beyond what onboard checks itself.
	Preflight *Preflight
}

// String is a scalar with its position.
type String struct {
	Value string
	Pos   Pos
}

// Duration is a Go duration (`30s`, `2m`) with its position.
type Duration struct {
	Value time.Duration
	Pos   Pos
}

// Command is either a shell string (run by the in-process POSIX shell) or an
// argv list (run directly, no shell parsing at all).
type Command struct {
	Shell string   // set when written as a string
	Argv  []string // set when written as a list
	Pos   Pos
}

// IsZero reports whether no command was written.
func (c Command) IsZero() bool { return c.Shell == "" && c.Argv == nil }

// String shows the command as a person would type it: a shell string as
// written, an argv list with each argument that is empty or holds spaces,
// quotes, `$` or a backslash quoted, so that `[redis-server, --save, ""]`
// does not read as `redis-server --save` (what a trust prompt shows must
// be exactly what runs).
func (c Command) String() string {
	// One quoting for every place a command is shown: run's.
	return run.Command{Shell: c.Shell, Argv: c.Argv}.String()
}

// Repo is the repository the checklist belongs to.
type Repo struct {
	URL        String
	Branch     String
	Submodules bool
	Depth      int
	Pos        Pos
}

// Input is a question only a person can answer.
type Input struct {
	Name     string
	Prompt   String
	Default  *String
	Pattern  *String // a valid regular expression
	Options  []String
	Secret   bool
	Generate int // length of a random answer when nothing else answers
	Help     String
	CI       *CIPolicy // what CI answers; Set only
	Pos      Pos
}

// Tool is a required program and the version constraint it must meet.
type Tool struct {
	Name string
	// Version is a hashicorp/go-version constraint, or `from FILE` to read a
	// pin from a standard file such as .nvmrc; empty means any version.
	Version  String
	Command  Command           // overrides the built-in probe
	Pattern  *String           // regex whose first group is the version
	Install  map[string]String // by GOOS, or "" for every OS
	Optional bool
	Expect   Duration // how long it should take (see Step.Expect)
	Pos      Pos
}

// Step kinds: a step has exactly one.
const (
	KindRun      = "run"
	KindTemplate = "template"
	KindManual   = "manual"
)

// Step is one checklist item of the steps: list.
type Step struct {
	ID       String
	Name     String
	Kind     string
	Run      Command
	Template *Template
	Manual   String
	Needs    []String
	When     *When
	Check    Command
	Creates  String
	Env      map[string]String
	Dir      String
	Timeout  Duration
	// Expect is how long the item should take: past it onboard says so at
	// once, and at three times it (or Timeout, whichever comes first) the
	// item is stopped as a timeout.
	Expect Duration
	CI     *CIPolicy // what CI does with the step; Skip only
	// Fix is a hint shown under the step when it fails, as a tool's
	// install: is. Optional makes its failure a warning (!) that does not
	// fail the run. Neither changes what the step does, so neither is in
	// the definition hash that decides whether its state still holds.
	Fix      String `json:"-"`
	Optional bool   `json:"-"`
	Pos      Pos
}

// Template renders a repository file to a destination.
type Template struct {
	Src   String
	Dest  String
	Mode  String // octal, e.g. "0600"; empty means 0644
	Merge String // "" or "dotenv"
	Pos   Pos
}

// When restricts a step to some platforms, to CI or not, or to machines
// where environment variables are set. Every condition given must hold.
type When struct {
	OS   []String
	Arch []String
	CI   *bool    // true: only in CI; false: never in CI
	Env  []String // names of variables that must be set and not empty
	Pos  Pos
}

// Service is a long-running process (or a Docker Compose service).
type Service struct {
	Name        string
	Run         Command
	Compose     *Compose
	Setup       *Setup
	Ready       *Ready
	DependsOn   []Dependency
	Restart     String // no | on-failure | always
	MaxRestarts int
	Env         map[string]String
	Dir         String
	StopTimeout Duration
	StopSignal  String
	// RestartOn are more reasons to restart it on `up`, as written:
	// "step:ID" (that step applied in this run) or "file:PATH" (that
	// file changed since the service started).
	RestartOn []String
	Expect    Duration // how long it should take to be ready (see Step.Expect)
	Pos       Pos
}

// Compose delegates a service to Docker Compose.
type Compose struct {
	File    String
	Service String
	Pos     Pos
}

// Setup is a one-shot command run before a service's first start.
type Setup struct {
	Run     Command
	Creates String
	Check   Command
	Pos     Pos
}

// Ready is a readiness probe: exactly one of TCP, HTTP, Exec, Log.
type Ready struct {
	TCP      String
	HTTP     String
	Exec     Command
	Log      String
	Interval Duration
	Timeout  Duration
	Failures int
	Pos      Pos
}

// Dependency conditions of depends_on.
const (
	Started   = "started"
	Healthy   = "healthy"
	Completed = "completed"
)

// Dependency is one entry of a service's depends_on.
type Dependency struct {
	Name      String
	Condition String
}
