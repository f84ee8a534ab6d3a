//go:build unix

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/onboard-dev/onboard/internal/testsshd"
)

// cmdSSHD starts a real sshd (Debian's openssh-server) on a free
// 127.0.0.1 port for the rest of the script, with ed25519 and RSA host
// keys, and sets:
//
//	SSHD_DIR     its directory; SSHD_DIR/authorized_keys is read at each login
//	SSHPORT      its port
//	SSHUSER      the login name (the user running the tests)
//	FP_ED25519   SHA256 fingerprint of the ed25519 host key, regexp-quoted
//	FP_RSA       the same for the RSA host key
//
// and writes SSHD_DIR/known_hosts.ed25519 and known_hosts.rsa, each holding
// one of the two host keys as [127.0.0.1]:port lines.
//
//	sshd
func cmdSSHD(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sshd")
	}
	dir := ts.MkAbs("sshd")
	srv, err := testsshd.Start(dir, "ed25519", "rsa")
	if err != nil {
		ts.Fatalf("%v", err) // in CI a missing sshd is a failure, not a skip
	}
	ts.Defer(srv.Stop)
	for _, typ := range []string{"ed25519", "rsa"} {
		ts.Check(os.WriteFile(filepath.Join(dir, "known_hosts."+typ), []byte(srv.KnownHostsLine(typ)+"\n"), 0o600))
	}
	ts.Setenv("SSHD_DIR", dir)
	ts.Setenv("SSHPORT", strconv.Itoa(srv.Port))
	ts.Setenv("SSHUSER", srv.User)
	ts.Setenv("FP_ED25519", regexp.QuoteMeta(srv.Fingerprint("ed25519")))
	ts.Setenv("FP_RSA", regexp.QuoteMeta(srv.Fingerprint("rsa")))
}

// cmdSSHAgent starts a real ssh-agent for the rest of the script, adds the
// (unencrypted) key files to it and sets SSH_AUTH_SOCK.
//
//	sshagent KEYFILE...
func cmdSSHAgent(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: sshagent KEYFILE...")
	}
	var keys []string
	for _, k := range args {
		keys = append(keys, ts.MkAbs(k))
	}
	a, err := testsshd.StartAgent(ts.MkAbs("agent.sock"), keys...)
	ts.Check(err)
	ts.Defer(a.Stop)
	ts.Setenv("SSH_AUTH_SOCK", a.Sock)
}
