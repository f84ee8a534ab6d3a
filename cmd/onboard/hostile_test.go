package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdEvilGitServer is `gitserver` for a hostile server: it serves the bare
// repositories under DIR over smart HTTP (protocol v0), but answers
// GET /<repo>/info/refs?service=git-upload-pack with the ref advertisement
// written in REFS instead of the repository's own, so a script can
// advertise ref names that git itself refuses to create
// (refs/heads/../../config). The pack is still made by the real
// `git http-backend` behind net/http/cgi: every object a client asks for
// must exist in the repository (and, when not the tip of a real ref, the
// repository needs uploadpack.allowAnySHA1InWant). Sets $GITSERVER.
//
// REFS holds one ref per line, "REV NAME", REV resolved with `git rev-parse`
// in the requested repository (a name such as main or a full object id);
// the first line is the one that carries the capabilities (name it HEAD).
// A line "cap CAPABILITY" adds a capability such as
// symref=HEAD:refs/heads/main. Blank lines and # comments are skipped.
//
//	evilgitserver DIR REFS
func cmdEvilGitServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: evilgitserver DIR REFS")
	}
	root := ts.MkAbs(args[0])
	refsFile := ts.MkAbs(args[1])
	backend := gitBackend(ts, root)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Protocol v0 only: the advertisement below is v0, and the
		// upload-pack that makes the pack must speak what it announced.
		r.Header.Del("Git-Protocol")
		repo, ok := strings.CutSuffix(r.URL.Path, "/info/refs")
		if !ok || r.Method != http.MethodGet {
			backend.ServeHTTP(w, r)
			return
		}
		if r.URL.Query().Get("service") != "git-upload-pack" {
			http.Error(w, "only git-upload-pack is served", http.StatusForbidden)
			return
		}
		advert, err := advertise(filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(repo, "/"))), refsFile)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(advert)
	})
	serveGit(ts, h)
}

// advertise builds a v0 smart-HTTP ref advertisement for the bare
// repository dir from the refs file (see cmdEvilGitServer).
func advertise(dir, refsFile string) ([]byte, error) {
	f, err := os.Open(refsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	caps := []string{"multi_ack_detailed", "side-band-64k", "thin-pack", "ofs-delta", "no-done",
		"allow-tip-sha1-in-want", "allow-reachable-sha1-in-want", "object-format=sha1", "agent=git/evil"}
	type ref struct{ oid, name string }
	var refs []ref
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if c, ok := strings.CutPrefix(line, "cap "); ok {
			caps = append(caps, c)
			continue
		}
		rev, name, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("%s: want REV NAME, got %q", refsFile, line)
		}
		oid, err := exec.Command("git", "--git-dir", dir, "rev-parse", "--verify", "--end-of-options", rev).Output()
		if err != nil {
			return nil, fmt.Errorf("%s: rev-parse %s: %v", dir, rev, err)
		}
		refs = append(refs, ref{strings.TrimSpace(string(oid)), name})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("%s: no refs", refsFile)
	}
	var b strings.Builder
	pkt := func(s string) { fmt.Fprintf(&b, "%04x%s", len(s)+4, s) }
	pkt("# service=git-upload-pack\n")
	b.WriteString("0000")
	for i, r := range refs {
		if i == 0 {
			pkt(r.oid + " " + r.name + "\x00" + strings.Join(caps, " ") + "\n")
		} else {
			pkt(r.oid + " " + r.name + "\n")
		}
	}
	b.WriteString("0000")
	return []byte(b.String()), nil
}
