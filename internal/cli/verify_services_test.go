package cli

import (
	"net"
	"testing"
)

// portFree tells a port something still accepts on from a free one. (The
// supervisor stops a native service's whole session, so a leaking service
// is hard to make end to end; this is the check verify relies on.)
func TestPortFree(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	if portFree(addr) {
		t.Errorf("%s is listening, but portFree says it is free", addr)
	}
	ln.Close()
	if !portFree(addr) {
		t.Errorf("%s is closed, but portFree says it is in use", addr)
	}
}
