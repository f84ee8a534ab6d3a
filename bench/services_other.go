//go:build !linux

package main

import (
	"errors"
	"io"
)

// stackFixture is the services part, which reads /proc and needs Linux.
type stackFixture struct{}

func newStackFixture(*fixture, bool) (*stackFixture, error) {
	return nil, errors.New("the services part (c, d) reads /proc and runs on Linux only (-only steps runs the rest)")
}

func (*stackFixture) close() {}

func benchServices(options, *stackFixture) (*svcResults, error) {
	return nil, errors.New("the services part (c, d) runs on Linux only")
}

type bigStackResults struct{}

func benchBigStack(options, *stackFixture) (*bigStackResults, error) {
	return nil, errors.New("the services part (g) runs on Linux only")
}

func describeBigStack(io.Writer)                                    {}
func reportBigStack(io.Writer, *bigStackResults, func(bool) string) {}
func reportBigStackDetails(io.Writer, *bigStackResults)             {}

func growsBigStack(*bigStackResults) (cold, memory string) { return "", "" }
