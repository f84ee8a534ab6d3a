//go:build !linux

package run

// GuardOptions configure [Guard].
type GuardOptions struct {
	Marker string
	Adopt  bool
	Killed func(n int)
}

// Guard needs a child subreaper (Linux); elsewhere the program runs
// unguarded (the supervisor's successor stops leftovers from pid files).
func Guard(GuardOptions) (code int, guarded bool, err error) { return 0, false, nil }
