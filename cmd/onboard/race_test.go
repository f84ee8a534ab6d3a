//go:build race

package main

// raceEnabled: the test binary, and so the onboard it runs in scripts,
// is built with -race, whose shadow memory adds to every RSS.
const raceEnabled = true
