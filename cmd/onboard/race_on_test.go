//go:build unix && race

package main

// raceBuild: the race detector's shadow memory and bookkeeping multiply a
// process's resident memory, so memory bounds (maxrss) allow for it.
const raceBuild = true
