//go:build !linux && !darwin

package run

// Guard needs a child subreaper (Linux) or kqueue (macOS); elsewhere the
// program runs unguarded.
func Guard(GuardOptions) (code int, guarded bool, err error) { return 0, false, nil }
