//go:build !unix

package main

import "errors"

// peakMiB needs wait4's rusage.
func (f *fixture) peakMiB(command) (float64, error) {
	return 0, errors.New("peak memory is read from wait4, which only Unix has")
}
