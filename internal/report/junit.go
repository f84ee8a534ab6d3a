package report

import (
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"time"
)

// The JUnit XML that Jenkins and GitLab read (Jenkins xUnit's
// junit-10.xsd): testsuites › testsuite › testcase › failure | skipped.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// seconds is a duration as JUnit writes it: seconds with a dot.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// JUnit renders r: one testsuite per phase, one testcase per item.
func JUnit(r *Report) ([]byte, error) {
	all := junitSuites{Name: "onboard verify " + r.Checklist, Time: seconds(r.Duration)}
	for _, p := range r.Phases {
		s := junitSuite{Name: p.Name, Time: seconds(p.Duration)}
		if !r.Started.IsZero() {
			s.Timestamp = r.Started.UTC().Format("2006-01-02T15:04:05")
		}
		for _, it := range p.Items {
			c := junitCase{Name: it.ID, Classname: "onboard." + strings.ReplaceAll(p.Name, " ", "_"), Time: seconds(it.Duration)}
			switch {
			case it.Failure != "":
				body := it.Failure
				if it.Detail != "" {
					body += "\n" + it.Detail
				}
				if it.Fix != "" {
					body += "\nfix: " + it.Fix
				}
				if len(it.Output) > 0 {
					body += "\n\n" + strings.Join(it.Output, "\n")
				}
				c.Failure = &junitMessage{Message: it.Failure, Type: it.Outcome, Text: body}
				s.Failures++
			case it.Skipped != "":
				c.Skipped = &junitMessage{Message: it.Skipped}
				s.Skipped++
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Suites = append(all.Suites, s)
	}
	if (len(r.Shortcuts) > 0 || len(r.HomeTools) > 0) && len(all.Suites) > 0 {
		var b strings.Builder
		if len(r.Shortcuts) > 0 {
			b.WriteString("CI shortcuts (not tested as a person runs them):\n")
		}
		for _, sc := range r.Shortcuts {
			fmt.Fprintf(&b, "  %s (line %d): %s", sc.ID, sc.Line, sc.Policy)
			if sc.Reason != "" {
				fmt.Fprintf(&b, ": %s", sc.Reason)
			}
			b.WriteString("\n")
		}
		if len(r.HomeTools) > 0 {
			b.WriteString(HomeToolsTitle + ":\n")
		}
		for _, t := range r.HomeTools {
			fmt.Fprintf(&b, "  tool:%s (line %d): %s\n", t.Name, t.Line, t.Path)
		}
		all.Suites[0].SystemOut = b.String()
	}
	out, err := xml.MarshalIndent(all, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// WriteJUnit writes r's JUnit XML to path.
func WriteJUnit(path string, r *Report) error {
	data, err := JUnit(r)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
