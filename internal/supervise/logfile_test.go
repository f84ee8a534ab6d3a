package supervise

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// readLogs returns the contents of path.keep … path.1 and path, oldest
// first, and fails if a file beyond keep exists or one within is missing.
func readLogs(t *testing.T, path string, keep int) [][]byte {
	t.Helper()
	var files [][]byte
	for k := keep; k >= 0; k-- {
		name := path
		if k > 0 {
			name = fmt.Sprintf("%s.%d", path, k)
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	if _, err := os.Stat(fmt.Sprintf("%s.%d", path, keep+1)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.%d: %v, want it not to exist", path, keep+1, err)
	}
	return files
}

func write(t *testing.T, f *RotatingFile, s string) {
	t.Helper()
	if n, err := f.Write([]byte(s)); n != len(s) || err != nil {
		t.Fatalf("Write(%q) = %d, %v", s, n, err)
	}
}

func TestRotatingFileRotation(t *testing.T) {
	const maxSize, keep = 100, 3
	path := filepath.Join(t.TempDir(), "logs", "web.log")
	f, err := openRotating(path, maxSize, keep)
	if err != nil {
		t.Fatal(err)
	}
	// Writes of one to several lines of 8 to 40 bytes, some of them
	// partial lines: like a pipe copier's chunks.
	r := rand.New(rand.NewPCG(1, 2))
	var all bytes.Buffer
	for i := range 300 {
		var p []byte
		for range 1 + r.IntN(3) {
			p = fmt.Appendf(p, "%d %s\n", i, strings.Repeat("x", r.IntN(32)))
		}
		all.Write(p)
		if r.IntN(4) == 0 {
			// Split a line across two writes.
			cut := r.IntN(len(p))
			write(t, f, string(p[:cut]))
			p = p[cut:]
		}
		write(t, f, string(p))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	files := readLogs(t, path, keep)
	joined := bytes.Join(files, nil)
	if !bytes.HasSuffix(all.Bytes(), joined) {
		t.Fatalf("the log files, oldest first, are not the last %d bytes written", len(joined))
	}
	// What was dropped with the oldest file ends at a line boundary.
	if dropped := all.Bytes()[:all.Len()-len(joined)]; len(dropped) > 0 && dropped[len(dropped)-1] != '\n' {
		t.Errorf("rotation dropped part of a line: %q", dropped[len(dropped)-20:])
	}
	for i, b := range files {
		if len(b) > maxSize {
			t.Errorf("file %d of %d has %d bytes, more than %d", i, len(files), len(b), maxSize)
		}
		if i < len(files)-1 && (len(b) == 0 || b[len(b)-1] != '\n') {
			t.Errorf("old file %d does not end a line: %q", i, b)
		}
		// Without lines longer than maxSize, a rotation only happens
		// when the next line did not fit, so files are nearly full.
		if i < len(files)-1 && len(b) < maxSize-40 {
			t.Errorf("old file %d has only %d bytes", i, len(b))
		}
	}
}

func TestRotatingFileLineBoundaries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.log")
	f, err := openRotating(path, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	write(t, f, "aaaa\naaaa\naaaa\n")
	// 5 bytes of room: the first line fits, the rest goes to a new file.
	write(t, f, "bbbb\ncccc\ndddd\n")
	// No line boundary in the 10 bytes of room: rotate first; in the
	// fresh file the 31-byte line goes whole, "yy" to the next file.
	write(t, f, strings.Repeat("x", 30)+"\nyy\n")
	want := []string{
		"aaaa\naaaa\naaaa\nbbbb\n",
		"cccc\ndddd\n",
		strings.Repeat("x", 30) + "\n",
		"yy\n",
	}
	for i, b := range readLogs(t, path, 3) {
		if string(b) != want[i] {
			t.Errorf("file %d = %q, want %q", i, b, want[i])
		}
	}

	// A single write larger than maxSize without a newline goes whole
	// into a fresh file.
	long := strings.Repeat("z", 50)
	write(t, f, long)
	write(t, f, "end\n")
	// Two rotations: the two oldest files are gone, keep being 3.
	want = []string{strings.Repeat("x", 30) + "\n", "yy\n", long, "end\n"}
	for i, b := range readLogs(t, path, 3) {
		if string(b) != want[i] {
			t.Errorf("after a long write: file %d = %q, want %q", i, b, want[i])
		}
	}
}

func TestRotatingFileKeepZero(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.log")
	f, err := openRotating(path, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	write(t, f, "12345678\n")
	write(t, f, "abc\n")
	if b, err := os.ReadFile(path); string(b) != "abc\n" || err != nil {
		t.Errorf("%s = %q, %v; want %q", path, b, err, "abc\n")
	}
	if _, err := os.Stat(path + ".1"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.1: %v, want none with keep 0", path, err)
	}
}

func TestRotatingFileReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "services", "logs")
	path := filepath.Join(dir, "api.log")
	f, err := openRotating(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Repeat("o", 89) + "\n"
	write(t, f, old)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600} {
		if fi, err := os.Stat(name); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v, %v; want %v", name, fi.Mode(), err, want)
		}
	}

	// Reopened, it appends: 5 more bytes fit with the 90 already there,
	// the 11 after them do not.
	f, err = openRotating(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	write(t, f, "more\n")
	if b, _ := os.ReadFile(path); string(b) != old+"more\n" {
		t.Errorf("after reopening, %s = %q, want the old content and more", path, b)
	}
	write(t, f, "0123456789\n")
	files := readLogs(t, path, 1)
	if string(files[0]) != old+"more\n" || string(files[1]) != "0123456789\n" {
		t.Errorf("after reopening and rotating: %q", files)
	}
}

func TestRotatingFileConcurrent(t *testing.T) {
	const writers, lines, keep = 8, 300, 1000
	path := filepath.Join(t.TempDir(), "c.log")
	f, err := openRotating(path, 512, keep)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range lines {
				s := fmt.Sprintf("w%d %d\n", w, i)
				if n, err := f.Write([]byte(s)); n != len(s) || err != nil {
					t.Errorf("Write(%q) = %d, %v", s, n, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	// keep is large enough for nothing to be dropped: every line must be
	// there once, whole, and each writer's lines in order.
	var all []byte
	for k := keep; k >= 1; k-- {
		b, err := os.ReadFile(fmt.Sprintf("%s.%d", path, k))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 512 {
			t.Errorf("%s.%d has %d bytes", path, k, len(b))
		}
		all = append(all, b...)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, b...)
	next := make([]int, writers)
	for l := range strings.Lines(string(all)) {
		var w, i int
		if _, err := fmt.Sscanf(l, "w%d %d\n", &w, &i); err != nil || w < 0 || w >= writers {
			t.Fatalf("torn line %q: %v", l, err)
		}
		if i != next[w] {
			t.Fatalf("writer %d: line %d, want %d", w, i, next[w])
		}
		next[w]++
	}
	for w, n := range next {
		if n != lines {
			t.Errorf("writer %d: %d lines, want %d", w, n, lines)
		}
	}
}

func TestRotatingFileErrors(t *testing.T) {
	dir := t.TempDir()
	t.Run("parent is a file", func(t *testing.T) {
		// Tests run as root, so permissions cannot make this fail; a
		// regular file where the directory should be does.
		file := filepath.Join(dir, "notadir")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if f, err := openRotating(filepath.Join(file, "x.log"), 100, 1); err == nil {
			f.Close()
			t.Fatal("OpenRotating under a regular file succeeded")
		}
	})

	t.Run("rotation fails", func(t *testing.T) {
		path := filepath.Join(dir, "r.log")
		f, err := openRotating(path, 10, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		// A non-empty directory where the oldest file goes cannot be
		// removed, so rotation fails.
		if err := os.MkdirAll(filepath.Join(path+".1", "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
		write(t, f, "1234\n")
		n, err := f.Write([]byte("abc\ndefghijk\n"))
		if err == nil || n != 4 {
			t.Fatalf("Write needing a rotation = %d, %v; want 4 and an error", n, err)
		}
		if b, _ := os.ReadFile(path); string(b) != "1234\nabc\n" {
			t.Errorf("%s = %q, want the bytes written before the error", path, b)
		}
		// Once the obstacle is gone, the next write rotates.
		if err := os.RemoveAll(path + ".1"); err != nil {
			t.Fatal(err)
		}
		write(t, f, "defghijk\n")
		files := readLogs(t, path, 1)
		if string(files[0]) != "1234\nabc\n" || string(files[1]) != "defghijk\n" {
			t.Errorf("after recovering: %q", files)
		}
	})

	t.Run("closed", func(t *testing.T) {
		f, err := openRotating(filepath.Join(dir, "c.log"), 10, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if n, err := f.Write([]byte("x\n")); n != 0 || !errors.Is(err, os.ErrClosed) {
			t.Errorf("Write after Close = %d, %v; want os.ErrClosed", n, err)
		}
	})
}

// The defaults are what the documentation promises.
func TestRotatingFileDefaults(t *testing.T) {
	f, err := openRotating(filepath.Join(t.TempDir(), "d.log"), 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.maxSize != DefaultLogMaxSize || f.keep != DefaultLogKeep {
		t.Errorf("defaults: maxSize %d, keep %d", f.maxSize, f.keep)
	}
}

// openRotating is OpenRotating of the file at path, through a Root on its
// directory (which it creates).
func openRotating(path string, maxSize int64, keep int) (*RotatingFile, error) {
	dir, err := rootfs.OpenDir(filepath.Dir(path), 0o700)
	if err != nil {
		return nil, err
	}
	return OpenRotating(dir, filepath.Base(path), maxSize, keep)
}
