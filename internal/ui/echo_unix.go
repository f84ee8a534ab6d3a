//go:build linux

package ui

import "golang.org/x/sys/unix"

// noEcho turns terminal echo off before a secret's prompt is printed, so
// not even keys typed ahead of the prompt are shown. The line discipline
// stays canonical: Enter ends the answer, Ctrl-C still interrupts.
func noEcho(fd int) (restore func(), err error) {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	old := *t
	t.Lflag &^= unix.ECHO
	t.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, unix.TCSETS, &old) }, nil
}
