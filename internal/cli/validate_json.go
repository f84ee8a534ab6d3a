package cli

import (
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
)

// `onboard validate --json`: the verdict as one JSON object on stdout, for
// editors and CI tools that place each problem at its file:line:col. The
// human rendering still goes to stderr.

// validation is what validate --json prints.
type validation struct {
	File  string `json:"file"`
	Valid bool   `json:"valid"`
	// Counts are what a valid checklist holds (inputs, tools, steps,
	// services), as the human summary says.
	Counts   map[string]int `json:"counts,omitempty"`
	Problems []problem      `json:"problems"`
	// More counts the problems past the cap the loader collects.
	More int `json:"more_problems,omitempty"`
}

// problem is one thing wrong with the checklist. Line and column are
// 1-based and absent when the problem has no position (the file cannot
// be read).
type problem struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Severity string `json:"severity"` // "error": every problem validate finds fails it
	Message  string `json:"message"`
}

// validationOf turns validate's outcome into its JSON form: f when the
// checklist is valid, else err (an *ErrorList, a *ReadError or any other
// reason it could not be read).
func validationOf(shown string, f *config.File, err error) validation {
	v := validation{File: shown, Problems: []problem{}}
	var list *config.ErrorList
	var readErr *config.ReadError
	switch {
	case err == nil:
		v.Valid = true
		v.Counts = map[string]int{"inputs": len(f.Inputs), "tools": len(f.Tools), "steps": len(f.Steps), "services": len(f.Services)}
		// A checklist that loads can still hold warnings (a manual: text
		// cut at " #"): problems of severity "warning", valid all the same.
		for _, w := range f.Warnings {
			v.Problems = append(v.Problems, problem{File: shown, Line: w.Pos.Line, Column: w.Pos.Col, Severity: "warning", Message: w.Msg})
		}
	case errors.As(err, &list):
		v.File = list.File
		for _, e := range list.Errors {
			v.Problems = append(v.Problems, problem{File: list.File, Line: e.Pos.Line, Column: e.Pos.Col, Severity: "error", Message: e.Msg})
		}
		v.More = list.Dropped
	case errors.As(err, &readErr):
		v.File = readErr.Path
		msg := strings.TrimPrefix(readErr.Error(), readErr.Path+": ")
		v.Problems = append(v.Problems, problem{File: readErr.Path, Severity: "error", Message: msg})
	default:
		v.Problems = append(v.Problems, problem{File: shown, Severity: "error", Message: err.Error()})
	}
	return v
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
