//go:build !linux

package run

// Guard needs a child subreaper (Linux); elsewhere the program runs
// unguarded (the supervisor's successor stops leftovers from pid files).
func Guard(string, func(n int)) (bool, error) { return false, nil }
