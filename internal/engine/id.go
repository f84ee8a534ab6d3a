package engine

import "strings"

// ID names one checklist item: "repo", "input:db_password", "tool:go",
// "step:deps", "service:api". It prints, and encodes in events and state,
// as that string. Make one with a constructor, never by spelling the
// prefix.
type ID string

// Kind is what sort of item an ID names: the part before the colon.
type Kind string

// Item kinds.
const (
	KindRepo    Kind = "repo"
	KindInput   Kind = "input"
	KindTool    Kind = "tool"
	KindStep    Kind = "step"
	KindService Kind = "service"
)

// RepoID is the one repo item.
const RepoID = ID(KindRepo)

// InputID names the input (question) name.
func InputID(name string) ID { return newID(KindInput, name) }

// ToolID names the tool name.
func ToolID(name string) ID { return newID(KindTool, name) }

// StepID names the step whose id is name.
func StepID(name string) ID { return newID(KindStep, name) }

// ServiceID names the service name.
func ServiceID(name string) ID { return newID(KindService, name) }

func newID(k Kind, name string) ID { return ID(string(k) + ":" + name) }

// Kind is the kind of item the id names.
func (id ID) Kind() Kind {
	k, _, _ := strings.Cut(string(id), ":")
	return Kind(k)
}

// Name is the id without its kind: "deps" for step:deps, "" for repo.
func (id ID) Name() string {
	_, name, _ := strings.Cut(string(id), ":")
	return name
}

// Label is how the item is named on screen and in events' name: tools
// and steps by their name ("go", "deps"), the kinds whose names could
// clash with those by their full id ("input:region", "service:db", "repo").
func (id ID) Label() string {
	switch id.Kind() {
	case KindTool, KindStep:
		return id.Name()
	}
	return string(id)
}

func (id ID) String() string { return string(id) }
