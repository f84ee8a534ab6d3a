//go:build !linux

package main

import "errors"

// stackFixture is the services part, which reads /proc and needs Linux.
type stackFixture struct{}

func newStackFixture(*fixture, bool) (*stackFixture, error) {
	return nil, errors.New("the services part (c, d) reads /proc and runs on Linux only (-only steps runs the rest)")
}

func (*stackFixture) close() {}

func benchServices(options, *stackFixture) (*svcResults, error) {
	return nil, errors.New("the services part (c, d) runs on Linux only")
}
