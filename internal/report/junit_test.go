package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// junitSchema is the element and attribute set of the JUnit XML schema
// that Jenkins (xunit-plugin) and GitLab read: junit-10.xsd of
// github.com/jenkinsci/xunit-plugin,
// src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
// (commit 031e285ef3b60dee7aaf36e9096d7dcd95ffae83). For each element:
// its allowed attributes (true = required) and its allowed children.
var junitSchema = map[string]struct {
	attrs    map[string]bool
	children []string
	text     bool
}{
	"testsuites": {attrs: map[string]bool{"name": false, "time": false, "tests": false, "failures": false, "errors": false},
		children: []string{"testsuite"}},
	"testsuite": {attrs: map[string]bool{"name": true, "tests": true, "failures": true, "errors": true,
		"group": false, "time": false, "skipped": false, "timestamp": false, "hostname": false, "id": false,
		"package": false, "file": false, "log": false, "url": false},
		children: []string{"testsuite", "properties", "testcase", "system-out", "system-err"}},
	"testcase": {attrs: map[string]bool{"name": true, "time": false, "classname": false, "group": false},
		children: []string{"skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out", "system-err"}},
	"failure":    {attrs: map[string]bool{"type": false, "message": false}, text: true},
	"error":      {attrs: map[string]bool{"type": false, "message": false}, text: true},
	"skipped":    {attrs: map[string]bool{"type": false, "message": false}, text: true},
	"system-out": {attrs: map[string]bool{}, text: true},
	"system-err": {attrs: map[string]bool{}, text: true},
	"properties": {attrs: map[string]bool{}, children: []string{"property"}},
	"property":   {attrs: map[string]bool{"name": true, "value": true}},
}

// surefireTime is the schema's SUREFIRE_TIME pattern for time attributes
// of testsuites and testsuite.
var surefireTime = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)

// validateJUnit checks data against junitSchema: the root, every element,
// its attributes (required and allowed), children and text. It returns
// what does not match.
func validateJUnit(data []byte) []string {
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			errorf("not well-formed XML: %v", err)
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			if root && name != "testsuites" {
				errorf("root element %q, want testsuites", name)
			}
			root = false
			el, ok := junitSchema[name]
			if !ok {
				errorf("element %q is not in the schema", name)
				continue
			}
			if len(stack) > 0 {
				parent := junitSchema[stack[len(stack)-1]]
				allowed := false
				for _, c := range parent.children {
					allowed = allowed || c == name
				}
				if !allowed {
					errorf("%s may not contain %s", stack[len(stack)-1], name)
				}
			}
			seen := map[string]bool{}
			for _, a := range tok.Attr {
				if _, ok := el.attrs[a.Name.Local]; !ok {
					errorf("%s has attribute %q, which the schema does not allow", name, a.Name.Local)
				}
				seen[a.Name.Local] = true
				if a.Name.Local == "time" && (name == "testsuite" || name == "testsuites") && !surefireTime.MatchString(a.Value) {
					errorf("%s time=%q does not match SUREFIRE_TIME", name, a.Value)
				}
			}
			for a, required := range el.attrs {
				if required && !seen[a] {
					errorf("%s lacks required attribute %q", name, a)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && !junitSchema[stack[len(stack)-1]].text && strings.TrimSpace(string(tok)) != "" {
				errorf("%s holds text %q, which the schema does not allow", stack[len(stack)-1], tok)
			}
		}
	}
	return problems
}

func sample() *Report {
	return &Report{
		Checklist: "onboard.yaml", Started: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), Duration: 1500 * time.Millisecond,
		Phases: []*Phase{
			{Name: PhaseFirst, Duration: time.Second, Items: []*Item{
				{ID: "tool:go", Line: 3, Outcome: "ok", Detail: "1.26.8 (>= 1.22)", Duration: 9 * time.Millisecond},
				{ID: "step:migrate", Line: 9, Outcome: "failed", Detail: "exit status 3", Fix: "start the db",
					Output: []string{"connecting with ****", "<refused> & \"gone\""}, Duration: 20 * time.Millisecond,
					Failure: "Step `migrate` failed in the first converge (onboard.yaml:9): exit status 3"},
				{ID: "step:vpn", Line: 12, Outcome: "skipped", Skipped: "ci: skip: needs a browser"},
			}},
			{Name: PhaseServices, Items: []*Item{}},
		},
		Shortcuts: []Shortcut{{ID: "step:vpn", Line: 12, Policy: "skip", Reason: "needs a browser"}},
	}
}

func TestJUnitMatchesTheSchema(t *testing.T) {
	data, err := JUnit(sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range validateJUnit(data) {
		t.Error(p)
	}
}

func TestJUnitCarriesTheFacts(t *testing.T) {
	data, err := JUnit(sample())
	if err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Tests != 3 || got.Failures != 1 || len(got.Suites) != 2 {
		t.Fatalf("tests=%d failures=%d suites=%d, want 3, 1, 2", got.Tests, got.Failures, len(got.Suites))
	}
	first := got.Suites[0]
	if first.Name != PhaseFirst || first.Skipped != 1 || first.Time != "1.000" {
		t.Errorf("first suite %+v", first)
	}
	mig := first.Cases[1]
	if mig.Name != "step:migrate" || mig.Time != "0.020" || mig.Failure == nil {
		t.Fatalf("migrate case %+v", mig)
	}
	for _, want := range []string{"exit status 3", "fix: start the db", "connecting with ****", `<refused> & "gone"`} {
		if !strings.Contains(mig.Failure.Text, want) {
			t.Errorf("failure text %q lacks %q", mig.Failure.Text, want)
		}
	}
	if s := first.Cases[2].Skipped; s == nil || s.Message != "ci: skip: needs a browser" {
		t.Errorf("skipped case %+v", first.Cases[2])
	}
	if !strings.Contains(first.SystemOut, "CI shortcuts") || !strings.Contains(first.SystemOut, "needs a browser") {
		t.Errorf("system-out %q lacks the CI shortcuts", first.SystemOut)
	}
}

// The validator itself must catch what the schema forbids.
func TestValidateJUnitRejects(t *testing.T) {
	for _, bad := range []string{
		`<testsuite name="x" tests="1" failures="0" errors="0"/>`,
		`<testsuites><testsuite name="x" tests="1" failures="0"/></testsuites>`,
		`<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>`,
		`<testsuites><testsuite name="x" tests="1" failures="0" errors="0" time="1s"/></testsuites>`,
		`<testsuites><testcase name="x"/></testsuites>`,
		`<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase name="a" duration="1"/></testsuite></testsuites>`,
	} {
		if len(validateJUnit([]byte(bad))) == 0 {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestWriteJSONKeepsComparisons(t *testing.T) {
	path := t.TempDir() + "/r.json"
	if err := WriteJSON(path, sample()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"detail": "1.26.8 (>= 1.22)"`, `"policy": "skip"`, `"exit_code": 0`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the JSON report lacks %s:\n%s", want, data)
		}
	}
}
