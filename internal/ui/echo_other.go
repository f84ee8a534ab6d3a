//go:build !linux

package ui

import "errors"

// noEcho is not available here; the prompter falls back to
// term.ReadPassword, which turns echo off when it starts reading.
func noEcho(int) (func(), error) { return nil, errors.New("not supported") }
