//go:build unix

package main

import (
	"bufio"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

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
// With -pack KIND, it answers the pack request itself, with a hand-made
// pack that never ends (see hostilePack): KIND is claim (a blob whose
// header claims 2^40 bytes) or bomb (a blob of 1,000 bytes that inflates
// for ever). It stops sending when the client goes away, or after 30 s.
//
// REFS holds one ref per line, "REV NAME", REV resolved with `git rev-parse`
// in the requested repository (a name such as main or a full object id);
// the first line is the one that carries the capabilities (name it HEAD).
// A line "cap CAPABILITY" adds a capability such as
// symref=HEAD:refs/heads/main. Blank lines and # comments are skipped.
//
//	evilgitserver [-pack claim|bomb] DIR REFS
func cmdEvilGitServer(ts *testscript.TestScript, neg bool, args []string) {
	pack := ""
	if len(args) == 4 && args[0] == "-pack" {
		pack, args = args[1], args[2:]
		if pack != "claim" && pack != "bomb" {
			ts.Fatalf("evilgitserver: -pack %q: want claim or bomb", pack)
		}
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: evilgitserver [-pack claim|bomb] DIR REFS")
	}
	root := ts.MkAbs(args[0])
	refsFile := ts.MkAbs(args[1])
	backend := gitBackend(ts, root)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Protocol v0 only: the advertisement below is v0, and the
		// upload-pack that makes the pack must speak what it announced.
		r.Header.Del("Git-Protocol")
		if pack != "" && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			_, _ = io.Copy(io.Discard, r.Body)
			hostilePack(w, r, pack)
			return
		}
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

// hostilePack answers a pack request (protocol v0, side-band-64k) with
// NAK and a pack of one blob that never ends: its header claims 2^40
// bytes (kind claim) or 1,000 bytes (kind bomb), and zeros deflate after
// it for as long as the client reads, or 30 s. A client that keeps what
// it receives grows by hundreds of megabytes a second (claim).
func hostilePack(w http.ResponseWriter, r *http.Request, kind string) {
	w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
	fmt.Fprintf(w, "%04x%s", 4+len("NAK\n"), "NAK\n")
	band := &sideband{w: w}
	size := uint64(1 << 40)
	if kind == "bomb" {
		size = 1000
	}
	hdr := []byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01")
	c := byte(3)<<4 | byte(size&15) // a blob
	for size >>= 4; size != 0; size >>= 7 {
		hdr = append(hdr, c|0x80)
		c = byte(size & 0x7f)
	}
	hdr = append(hdr, c)
	if _, err := band.Write(hdr); err != nil {
		return
	}
	// claim floods (stored blocks: every byte sent is a byte of the
	// blob); bomb inflates about a thousand times what it sends.
	level := zlib.NoCompression
	if kind == "bomb" {
		level = zlib.BestCompression
	}
	z, _ := zlib.NewWriterLevel(band, level)
	zeros := make([]byte, 1<<20)
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && r.Context().Err() == nil; {
		if _, err := z.Write(zeros); err != nil {
			return
		}
	}
}

// sideband writes to w pkt-lines of band 1 (the pack), each flushed.
type sideband struct {
	w http.ResponseWriter
}

func (s *sideband) Write(p []byte) (int, error) {
	for rest := p; len(rest) > 0; {
		n := min(len(rest), 65515)
		if _, err := fmt.Fprintf(s.w, "%04x\x01", 4+1+n); err != nil {
			return 0, err
		}
		if _, err := s.w.Write(rest[:n]); err != nil {
			return 0, err
		}
		rest = rest[n:]
	}
	if f, ok := s.w.(http.Flusher); ok {
		f.Flush()
	}
	return len(p), nil
}

// cmdMaxRSS runs a command, as exitcode does, and fails unless it exits
// with status N and its peak resident memory (ru_maxrss, from wait4)
// stays under MIB MiB (3 × MIB in a -race build).
//
//	maxrss MIB N CMD [ARGS...]
func cmdMaxRSS(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: maxrss MIB N CMD [ARGS...]")
	}
	limit, err := strconv.Atoi(args[0])
	ts.Check(err)
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	if raceBuild {
		// Under -race (as CI runs) the detector's shadow memory roughly
		// triples a Go process's RSS; unbounded growth still shows.
		limit *= 3
	}
	cmd := exec.Command(scriptLookPath(ts, args[2]), args[3:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = append(scriptEnv(ts), "TERM=dumb")
	cmd.Stdout, cmd.Stderr = ts.Stdout(), ts.Stderr()
	start := time.Now()
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		ts.Fatalf("maxrss: %v", err)
	}
	if got := cmd.ProcessState.ExitCode(); got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	if runtime.GOOS == "darwin" {
		rss /= 1024 // bytes there
	}
	ts.Logf("peak RSS %.1f MiB in %v", float64(rss)/1024, time.Since(start).Round(time.Millisecond))
	if rss >= int64(limit)*1024 {
		ts.Fatalf("peak RSS %.1f MiB, want < %d MiB", float64(rss)/1024, limit)
	}
}
