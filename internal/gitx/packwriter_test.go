package gitx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// deltaRepo builds a repository whose history makes git store most
// objects as deltas: one file edited line by line, a tree per commit.
func deltaRepo(t testing.TB) string {
	t.Helper()
	work := t.TempDir()
	if _, err := gitCmd(work, "init", "-q", "-b", "main"); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for i := range 40 {
		fmt.Fprintf(&text, "line %d of a file that changes a little in every commit\n", i)
		if err := os.WriteFile(filepath.Join(work, "f.txt"), []byte(text.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, fmt.Sprintf("n%d.txt", i%5)), []byte(text.String()[:i*3]), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := gitCmd(work, "add", "-A"); err != nil {
			t.Fatal(err)
		}
		if _, err := gitCmd(work, "commit", "-q", "-m", fmt.Sprint("c", i)); err != nil {
			t.Fatal(err)
		}
	}
	return work
}

// smallRepo is a repository of three commits with a delta, small enough
// for the fuzzer to mutate usefully.
func smallRepo(t testing.TB) string {
	t.Helper()
	work := t.TempDir()
	if _, err := gitCmd(work, "init", "-q", "-b", "main"); err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a line long enough to be worth a delta\n", 4)
	for i := range 3 {
		text += fmt.Sprintln("edit", i)
		if err := os.WriteFile(filepath.Join(work, "f"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := gitCmd(work, "add", "-A"); err != nil {
			t.Fatal(err)
		}
		if _, err := gitCmd(work, "commit", "-q", "-m", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	return work
}

// packOf is the pack git pack-objects makes in work for the revisions on
// stdin, with extra flags.
func packOf(t testing.TB, work, revs string, flags ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", append([]string{"pack-objects", "--revs", "--stdout", "-q"}, flags...)...)
	cmd.Dir = work
	cmd.Stdin = strings.NewReader(revs)
	pack, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return pack
}

// deltaPack is deltaRepo's whole pack, as a clone receives it, with extra
// pack-objects flags, and every object id in it.
func deltaPack(t *testing.T, flags ...string) ([]byte, []string) {
	t.Helper()
	work := deltaRepo(t)
	pack := packOf(t, work, "", append([]string{"--all"}, flags...)...)
	list, err := gitCmd(work, "rev-list", "--objects", "--all")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range strings.Split(list, "\n") {
		ids = append(ids, strings.Fields(l)[0])
	}
	return pack, ids
}

// newPackStorage is an empty .git's object storage with packStorage's
// writer and the default limits.
func newPackStorage(t *testing.T) (packStorage, string) {
	return newPackStorageLimits(t, newPackLimits(0))
}

func newPackStorageLimits(t *testing.T, limits packLimits) (packStorage, string) {
	t.Helper()
	dot := filepath.Join(t.TempDir(), ".git")
	if err := os.MkdirAll(filepath.Join(dot, "objects", "pack"), 0o755); err != nil {
		t.Fatal(err)
	}
	st := filesystem.NewStorage(osfs.New(dot), cache.NewObjectLRUDefault())
	return packStorage{st, context.Background(), limits}, filepath.Join(dot, "objects", "pack")
}

// The pack arrives in pieces with pauses, as it does from a server, and is
// indexed while it comes: every object is readable afterwards, and the index
// is byte for byte the one git index-pack writes for the same pack.
//
// Both kinds of delta: by offset (what servers send a client that asks,
// as go-git does) and by reference (pack-objects' default).
func TestPackWriterIndexesAsItArrives(t *testing.T) {
	for name, flags := range map[string][]string{
		"offset deltas":    {"--delta-base-offset"},
		"reference deltas": nil,
	} {
		t.Run(name, func(t *testing.T) { testPackWriter(t, flags) })
	}
}

func testPackWriter(t *testing.T, flags []string) {
	pack, ids := deltaPack(t, flags...)
	st, packDir := newPackStorage(t)
	w, err := st.PackfileWriter()
	if err != nil {
		t.Fatal(err)
	}
	for rest := pack; len(rest) > 0; {
		n := min(len(rest), 700)
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
		time.Sleep(time.Millisecond)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	for _, id := range ids {
		if _, err := st.EncodedObject(plumbing.AnyObject, plumbing.NewHash(id)); err != nil {
			t.Fatalf("object %s after the pack was stored: %v", id, err)
		}
	}
	idx, _ := filepath.Glob(filepath.Join(packDir, "pack-*.idx"))
	packs, _ := filepath.Glob(filepath.Join(packDir, "pack-*.pack"))
	if len(idx) != 1 || len(packs) != 1 {
		t.Fatalf("objects/pack holds %v and %v, want one pack and its index", packs, idx)
	}
	stored, err := os.ReadFile(packs[0])
	if err != nil || !bytes.Equal(stored, pack) {
		t.Fatalf("stored pack differs from the one received (%v)", err)
	}
	theirs := filepath.Join(t.TempDir(), "git.idx")
	if _, err := gitCmd(packDir, "index-pack", "-o", theirs, packs[0]); err != nil {
		t.Fatal(err)
	}
	if v, err := gitCmd(packDir, "verify-pack", "-v", idx[0]); err != nil || !strings.Contains(v, "chain length = 2") {
		t.Fatalf("the test pack should hold delta chains (%v):\n%s", err, v)
	}
	want, _ := os.ReadFile(theirs)
	got, _ := os.ReadFile(idx[0])
	if !bytes.Equal(got, want) {
		t.Errorf("index differs from git index-pack's (%d vs %d bytes)", len(got), len(want))
	}
	if fi, err := os.Stat(packs[0]); err != nil || fi.Mode().Perm() != 0o444 {
		t.Errorf("pack mode %v (%v), want read-only like git's", fi.Mode(), err)
	}
}

// A damaged or cut pack is an error, and nothing of it is stored.
func TestPackWriterRefusesBadPacks(t *testing.T) {
	pack, _ := deltaPack(t)
	flipped := bytes.Clone(pack)
	flipped[len(flipped)/2] ^= 0xff
	for name, data := range map[string][]byte{
		"flipped byte": flipped,
		"cut short":    pack[:len(pack)/2],
		"not a pack":   []byte("<html>proxy login</html>"),
	} {
		t.Run(name, func(t *testing.T) {
			st, packDir := newPackStorage(t)
			w, _ := st.PackfileWriter()
			if _, err := w.Write(data); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err == nil {
				t.Fatal("Close accepted a bad pack")
			}
			if left, _ := os.ReadDir(packDir); len(left) != 0 {
				t.Errorf("objects/pack holds %v after a bad pack", left)
			}
		})
	}
}

// A thin pack (deltas against objects the receiver is supposed to have,
// what a fetch into an existing repository may get) is refused: a clone
// never gets one, and this indexer does not read the repository.
func TestPackWriterRefusesThinPack(t *testing.T) {
	work := deltaRepo(t)
	thin := packOf(t, work, "main\n^main~3\n", "--thin")
	st, packDir := newPackStorage(t)
	w, _ := st.PackfileWriter()
	_, _ = w.Write(thin)
	if err := w.Close(); !errors.Is(err, errThinPack) {
		t.Fatalf("Close = %v, want errThinPack", err)
	}
	if left, _ := os.ReadDir(packDir); len(left) != 0 {
		t.Errorf("objects/pack holds %v after a thin pack", left)
	}
}

// A fetch that brings nothing stores nothing.
func TestPackWriterEmpty(t *testing.T) {
	st, packDir := newPackStorage(t)
	w, _ := st.PackfileWriter()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(packDir); len(left) != 0 {
		t.Errorf("objects/pack holds %v", left)
	}
}

// A reader waits at the end of what has arrived, reads back any offset,
// and sees the end only once the pack is finished; a failed pack stops
// its readers and its writer.
func TestPackFile(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "tmp_pack_")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := newPackFile(f, packLimits{pack: 20, object: 20})
	got := make(chan string)
	go func() {
		b := make([]byte, 10)
		n, _ := p.readSome(b, 0)
		m, _ := p.readSome(b[n:], int64(n))
		got <- string(b[:n+m])
	}()
	if _, err := p.write([]byte("hello ")); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		t.Fatalf("second read returned %q before more had arrived", s)
	case <-time.After(20 * time.Millisecond):
	}
	if _, err := p.write([]byte("world")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "hello worl" {
		t.Fatalf("read %q", s)
	}
	b := make([]byte, 5)
	if n, err := p.ReadAt(b, 6); err != nil || string(b[:n]) != "world" {
		t.Fatalf("ReadAt: %q %v", b[:n], err)
	}
	go func() { time.Sleep(20 * time.Millisecond); p.finish() }()
	if n, err := p.readSome(b, 11); n != 0 || err != io.EOF {
		t.Fatalf("at the end of a finished pack: %d %v, want io.EOF", n, err)
	}

	// 11 bytes in, a limit of 20: 10 more are refused, and the pack fails.
	if n, err := p.write([]byte("0123456789")); n != 0 || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("write past the limit: %d %v, want ErrTooLarge", n, err)
	}
	if _, err := p.readSome(b, 0); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("read of a failed pack: %v", err)
	}
	if _, err := p.write([]byte("x")); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("write to a failed pack: %v", err)
	}
}

// A server's pack is untrusted input: whatever its bytes, indexing ends
// with an index or an error, never a panic or a hang.
func FuzzIndexPack(f *testing.F) {
	work := smallRepo(f)
	f.Add(packOf(f, work, "", "--all", "--delta-base-offset"))
	f.Add(packOf(f, work, "", "--all"))
	f.Add(packOf(f, work, "main\n^main~1\n", "--thin"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		tmp, err := os.CreateTemp(dir, "tmp_pack_")
		if err != nil {
			t.Fatal(err)
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		p := newPackFile(tmp, packLimits{object: 1 << 16})
		if _, err := p.write(data); err != nil {
			t.Fatal(err)
		}
		p.finish()
		_, idx, err := indexPack(context.Background(), p, p.limits)
		if err == nil && !idx.Finished() {
			t.Fatal("no error and no finished index")
		}
	})
}
