//go:build !linux

package main

import (
	"errors"
	"io"
)

// (h) waits for the services' ports as the services part does, whose
// helpers are Linux only.

type verifyResults struct{}

func benchVerify(options, *fixture) (*verifyResults, error) {
	return nil, errors.New("the verify part (h) runs on Linux only")
}

func describeVerify(io.Writer, *verifyResults)                  {}
func reportVerify(io.Writer, *verifyResults, func(bool) string) {}
func reportVerifyDetails(io.Writer, *verifyResults)             {}
