package config

import (
	"go.yaml.in/yaml/v4"

	"github.com/onboard-dev/onboard/internal/bytesize"
)

var preflightKeys = []string{"disk", "env"}

// Preflight is what must hold before `up` changes anything, beyond what
// onboard finds itself (free ports, Docker, a writable checkout).
type Preflight struct {
	// Disk is the free space the checkout's file system must have.
	Disk      String
	DiskBytes int64
	// Env are environment variables that must be set and not empty.
	Env []String
	Pos Pos
}

// preflight decodes `preflight: {disk: 10GiB, env: [AWS_PROFILE]}`.
func (d *decoder) preflight(n *yaml.Node) *Preflight {
	p := &Preflight{Pos: pos(n)}
	fs, _ := d.fields(n, "preflight", preflightKeys)
	for _, f := range fs {
		w := "preflight." + f.key
		switch f.key {
		case "disk":
			s, ok := d.nonEmpty(f.value, w)
			if !ok {
				continue
			}
			b, err := bytesize.Parse(s.Value)
			switch {
			case err != nil:
				d.errs.add(s.Pos, "%s: %v", w, err)
			case b <= 0:
				d.errs.add(s.Pos, "%s must be more than zero, not %q", w, s.Value)
			default:
				p.Disk, p.DiskBytes = s, b
			}
		case "env":
			p.Env = d.envNames(f.value, w)
		}
	}
	return p
}
