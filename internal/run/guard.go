package run

// GuardOptions configure [Guard].
type GuardOptions struct {
	// Marker names the environment variable that tells the child it is
	// the guarded one.
	Marker string
	// Adopt makes the child a child subreaper too (Linux), so that what a
	// step orphans below it (a daemon that double-forked, `setsid cmd &`)
	// is still its own to kill (see [KillLeftovers], [Abandon]). A
	// long-lived child leaves it false: it would never reap the orphans
	// it adopted. macOS has no subreaper: there it changes nothing.
	Adopt bool
	// Killed is told how many processes each round of the guard's last
	// sweep killed; nil is not told.
	Killed func(n int)
}
