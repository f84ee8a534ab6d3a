//go:build !linux

package main

import "errors"

// benchClone is Linux only: peak memory is ru_maxrss from wait4, whose
// unit differs between systems, and the process tree is read from /proc.
func benchClone(options, string) (*cloneResults, error) {
	return nil, errors.New("the clone part (e) runs on Linux only")
}
