//go:build unix

// Command testsvc is the test service of internal/testsvc as a program of
// its own, for the bench's service stacks: an HTTP server that starts
// listening after -delay, so that a stack can have services with staggered
// start-up times without depending on any installed server.
package main

import "github.com/onboard-dev/onboard/internal/testsvc"

func main() { testsvc.Main() }
