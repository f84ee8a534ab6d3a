// Package templates holds the text templates onboard writes files from,
// embedded in the binary so `onboard init` needs nothing on disk.
package templates

import "embed"

// FS holds every template of this folder: onboard.yaml.tmpl is the
// checklist `onboard init` writes, report.md.tmpl the post-mortem
// `onboard report` prints.
//
//go:embed *.tmpl
var FS embed.FS
