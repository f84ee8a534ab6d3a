package gitx

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// packBuilder writes a pack by hand, entry by entry, as a hostile server
// could: any type, any size in the header, any bytes after it.
type packBuilder struct {
	buf     bytes.Buffer
	offsets []int64
}

func newPackBuilder(count uint32) *packBuilder {
	b := &packBuilder{}
	b.buf.WriteString("PACK")
	_ = binary.Write(&b.buf, binary.BigEndian, uint32(2))
	_ = binary.Write(&b.buf, binary.BigEndian, count)
	return b
}

// header writes an entry's header: type and claimed size.
func (b *packBuilder) header(typ plumbing.ObjectType, size uint64) {
	b.offsets = append(b.offsets, int64(b.buf.Len()))
	c := byte(typ)<<4 | byte(size&15)
	size >>= 4
	for size != 0 {
		b.buf.WriteByte(c | 0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	b.buf.WriteByte(c)
}

// ofs writes an offset delta's base, entry number base.
func (b *packBuilder) ofs(base int) {
	ofs := b.offsets[len(b.offsets)-1] - b.offsets[base]
	var enc []byte
	enc = append(enc, byte(ofs&0x7f))
	for ofs >>= 7; ofs != 0; ofs >>= 7 {
		ofs--
		enc = append([]byte{0x80 | byte(ofs&0x7f)}, enc...)
	}
	b.buf.Write(enc)
}

// object writes a whole entry with data, deflated at level.
func (b *packBuilder) object(typ plumbing.ObjectType, data []byte, level int) {
	b.header(typ, uint64(len(data)))
	b.deflate(data, level)
}

// ofsDelta writes an offset delta on entry base.
func (b *packBuilder) ofsDelta(base int, delta []byte) {
	b.header(plumbing.OFSDeltaObject, uint64(len(delta)))
	b.ofs(base)
	b.deflate(delta, zlib.DefaultCompression)
}

func (b *packBuilder) deflate(data []byte, level int) {
	z, _ := zlib.NewWriterLevel(&b.buf, level)
	_, _ = z.Write(data)
	_ = z.Close()
}

// pack is the pack with its checksum.
func (b *packBuilder) pack() []byte {
	sum := sha1.Sum(b.buf.Bytes())
	return append(bytes.Clone(b.buf.Bytes()), sum[:]...)
}

// deltaSize appends a delta header size.
func deltaSize(d []byte, n int) []byte {
	for n >= 0x80 {
		d = append(d, byte(n)|0x80)
		n >>= 7
	}
	return append(d, byte(n))
}

// deltaOf is a delta that makes base with tail appended to it.
func deltaOf(base, tail []byte) []byte {
	d := deltaSize(deltaSize(nil, len(base)), len(base)+len(tail))
	for off := 0; off < len(base); {
		n := min(len(base)-off, 0xffff)
		d = append(d, 0x80|0x0f|0x30, byte(off), byte(off>>8), byte(off>>16), byte(off>>24), byte(n), byte(n>>8))
		off += n
	}
	for len(tail) > 0 {
		n := min(len(tail), 0x7f)
		d = append(append(d, byte(n)), tail[:n]...)
		tail = tail[n:]
	}
	return d
}

// allocated runs f and returns how many bytes the heap allocated in the
// meantime, an upper bound of how much it grew.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// feed writes to w the pack's bytes in 64 KiB pieces, as go-git does,
// then, with endless, random bytes for ever; it returns how much w took
// and its first error.
func feed(w io.Writer, pack []byte, endless bool) (int64, error) {
	var total int64
	junk := make([]byte, 64<<10)
	_, _ = rand.Read(junk)
	for rest := pack; len(rest) > 0 || endless; {
		p := junk
		if len(rest) > 0 {
			p = rest[:min(len(rest), len(junk))]
			rest = rest[len(p):]
		}
		n, err := w.Write(p)
		total += int64(n)
		if err != nil {
			return total, err
		}
		if total > 1<<30 {
			return total, errors.New("the writer took 1 GiB of an endless pack")
		}
	}
	return total, nil
}

// assertNothingStored checks that a refused pack left nothing in
// objects/pack, not even its temporary file.
func assertNothingStored(t *testing.T, packDir string) {
	t.Helper()
	if left, _ := os.ReadDir(packDir); len(left) != 0 {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Errorf("objects/pack holds %v after a refused pack", names)
	}
}

// zeros is the zlib stream of n zero bytes, deflated once per test run.
func zeros(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	z, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	chunk := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(chunk) {
		_, _ = z.Write(chunk[:min(left, len(chunk))])
	}
	_ = z.Close()
	return buf.Bytes()
}

// A hostile server's pack is refused, whatever it claims or sends, with
// the heap growing by less than 64 MiB however much it sends, and nothing
// left in objects/pack. Before, the pack grew in memory (and a delta's
// instructions were buffered whole), so each of these took hundreds of
// MiB and more for as long as the server went on.
func TestPackWriterRefusesHostilePacks(t *testing.T) {
	const bound = 64 << 20
	bomb := zeros(t, 128<<20) // 128 KiB that inflate to 128 MiB

	cases := []struct {
		name    string
		pack    func() []byte
		endless bool // random bytes follow the pack for ever
		want    error
		msg     string
	}{{
		name: "a blob claiming 2^40 bytes",
		pack: func() []byte {
			b := newPackBuilder(1)
			b.header(plumbing.BlobObject, 1<<40)
			b.buf.Write(bomb)
			return b.buf.Bytes()
		},
		endless: true,
		want:    ErrTooLarge,
		msg:     `refusing the pack: an object at offset 12 is 1 TiB, more than 1 GiB, the most onboard holds in memory for one object`,
	}, {
		name: "a delta claiming 2^40 bytes of instructions",
		pack: func() []byte {
			b := newPackBuilder(2)
			b.object(plumbing.BlobObject, []byte("base"), zlib.DefaultCompression)
			b.header(plumbing.OFSDeltaObject, 1<<40)
			b.ofs(0)
			b.buf.Write(bomb)
			return b.buf.Bytes()
		},
		endless: true,
		want:    ErrTooLarge,
		msg:     `is 1 TiB, more than 1 GiB`,
	}, {
		name: "a delta announcing a 2^40-byte result",
		pack: func() []byte {
			b := newPackBuilder(2)
			b.object(plumbing.BlobObject, []byte("base"), zlib.DefaultCompression)
			b.ofsDelta(0, append(deltaSize(deltaSize(nil, 4), 1<<40), 0x90, 4))
			return b.pack()
		},
		endless: true,
		want:    ErrTooLarge,
		msg:     `is 1 TiB, more than 1 GiB, the most onboard holds in memory for one object`,
	}, {
		name: "a zlib bomb: a blob of 1,000 bytes that inflates to 128 MiB",
		pack: func() []byte {
			b := newPackBuilder(1)
			b.header(plumbing.BlobObject, 1000)
			b.buf.Write(bomb)
			return b.pack()
		},
		endless: true,
		want:    packfile.ErrMalformedPackFile,
		msg:     `the object at offset 12 inflates to more than 1000 bytes, its header says 1000`,
	}, {
		name: "a delta bomb: 1,000 bytes of instructions that inflate to 128 MiB",
		pack: func() []byte {
			b := newPackBuilder(2)
			b.object(plumbing.BlobObject, []byte("base"), zlib.DefaultCompression)
			b.header(plumbing.OFSDeltaObject, 1000)
			b.ofs(0)
			b.buf.Write(bomb)
			return b.pack()
		},
		endless: true,
		want:    packfile.ErrMalformedPackFile,
	}, {
		// Honest sizes, within the limits, but 128 MiB of instructions:
		// streamed through, never kept (the base is missing, so it
		// ends as a thin pack once all of it is in).
		name: "128 MiB of a delta's instructions",
		pack: func() []byte {
			const inserts = 1 << 20 // of 128 bytes: 128 MiB
			sizes := deltaSize(deltaSize(nil, 4), inserts*127)
			b := newPackBuilder(1)
			b.header(plumbing.REFDeltaObject, uint64(len(sizes)+inserts*128))
			b.buf.Write(make([]byte, 20))
			z, _ := zlib.NewWriterLevel(&b.buf, zlib.BestSpeed)
			_, _ = z.Write(sizes)
			chunk := bytes.Repeat(append([]byte{127}, make([]byte, 127)...), 1024)
			for range inserts / 1024 {
				_, _ = z.Write(chunk)
			}
			_ = z.Close()
			return b.pack()
		},
		want: errThinPack,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pack := c.pack()
			st, packDir := newPackStorage(t)
			var fed int64
			var werr, cerr error
			start := time.Now()
			heap := allocated(func() {
				w, err := st.PackfileWriter()
				if err != nil {
					t.Fatal(err)
				}
				fed, werr = feed(w, pack, c.endless)
				cerr = w.Close()
			})
			t.Logf("took %d bytes of %d in %v; heap grew by at most %.1f MiB; %v", fed, len(pack), time.Since(start), float64(heap)/(1<<20), cerr)
			if c.endless && werr == nil {
				t.Fatal("Write took an endless pack")
			}
			if c.endless && fed > 16<<20 {
				t.Errorf("Write took %d bytes before refusing the pack, want < 16 MiB", fed)
			}
			if !errors.Is(cerr, c.want) {
				t.Fatalf("Close = %v, want %v", cerr, c.want)
			}
			if c.msg != "" && !strings.Contains(cerr.Error(), c.msg) {
				t.Errorf("Close = %q, want it to say %q", cerr, c.msg)
			}
			if heap > bound {
				t.Errorf("the heap grew by up to %.1f MiB, want < %d MiB", float64(heap)/(1<<20), bound>>20)
			}
			assertNothingStored(t, packDir)
		})
	}
}

// randomBlobs is a pack of n random blobs of size bytes, stored (level
// 0: incompressible anyway), and the blobs.
func randomBlobs(n, size int) []byte {
	b := newPackBuilder(uint32(n))
	data := make([]byte, size)
	for range n {
		_, _ = rand.Read(data)
		b.object(plumbing.BlobObject, data, zlib.NoCompression)
	}
	return b.pack()
}

// A pack larger than the limit is refused as soon as it passes the limit,
// not after, and nothing is left of it; objects larger than the limit on
// one object are refused too.
func TestPackWriterRefusesTooLarge(t *testing.T) {
	pack := randomBlobs(3, 1<<20) // 3 MiB
	t.Run("pack", func(t *testing.T) {
		st, packDir := newPackStorageLimits(t, newPackLimits(2<<20))
		w, _ := st.PackfileWriter()
		fed, werr := feed(w, pack, false)
		cerr := w.Close()
		if !errors.Is(werr, ErrTooLarge) || !errors.Is(cerr, ErrTooLarge) {
			t.Fatalf("Write = %v, Close = %v, want ErrTooLarge", werr, cerr)
		}
		if fed > 2<<20 {
			t.Errorf("Write took %d bytes, more than the 2 MiB limit", fed)
		}
		want := "refusing the pack: it is larger than 2 MiB, the limit set by --max-pack-size (a size such as 8GiB, or 0 for no limit)"
		if cerr.Error() != want {
			t.Errorf("Close = %q\nwant %q", cerr, want)
		}
		assertNothingStored(t, packDir)
	})
	t.Run("object over a lower --max-pack-size", func(t *testing.T) {
		b := newPackBuilder(1)
		b.object(plumbing.BlobObject, bytes.Repeat([]byte("x"), 3<<20), zlib.BestCompression) // 3 MiB in a few KiB
		st, packDir := newPackStorageLimits(t, newPackLimits(1<<20))
		w, _ := st.PackfileWriter()
		_, _ = feed(w, b.pack(), false)
		err := w.Close()
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "is 3 MiB, more than 1 MiB, the limit set by --max-pack-size") {
			t.Fatalf("Close = %v, want the object refused", err)
		}
		assertNothingStored(t, packDir)
	})
	t.Run("no limit", func(t *testing.T) {
		st, packDir := newPackStorageLimits(t, newPackLimits(-1))
		w, _ := st.PackfileWriter()
		if _, err := feed(w, pack, false); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if packs, _ := filepath.Glob(filepath.Join(packDir, "pack-*.pack")); len(packs) != 1 {
			t.Fatalf("stored %v", packs)
		}
	})
}

// The pack is never held in memory: a 64 MiB pack of incompressible blobs
// is stored and indexed with the heap growing by a few MiB. Before, the
// heap held all of it (and more, as it grew by appends).
func TestPackWriterMemoryIsFlat(t *testing.T) {
	pack := randomBlobs(16, 4<<20)
	st, packDir := newPackStorage(t)
	var err error
	heap := allocated(func() {
		w, _ := st.PackfileWriter()
		if _, err = feed(w, pack, false); err == nil {
			err = w.Close()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a %d MiB pack: the heap grew by at most %.1f MiB", len(pack)>>20, float64(heap)/(1<<20))
	if heap > 16<<20 {
		t.Errorf("the heap grew by up to %.1f MiB for a %d MiB pack, want < 16 MiB", float64(heap)/(1<<20), len(pack)>>20)
	}
	packs, _ := filepath.Glob(filepath.Join(packDir, "pack-*.pack"))
	if len(packs) != 1 {
		t.Fatalf("stored %v", packs)
	}
	if _, err := gitCmd(packDir, "verify-pack", strings.TrimSuffix(packs[0], ".pack")+".idx"); err != nil {
		t.Fatalf("git verify-pack: %v", err)
	}
}

// An interrupted clone stops the indexer, whether the pack is still
// coming or all in, and leaves nothing in objects/pack.
func TestPackWriterInterrupted(t *testing.T) {
	pack := randomBlobs(4, 1<<20)
	for _, whole := range []bool{false, true} {
		t.Run(fmt.Sprint("whole pack in: ", whole), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			st, packDir := newPackStorage(t)
			st.ctx = ctx
			w, _ := st.PackfileWriter()
			n := len(pack) / 2
			if whole {
				n = len(pack)
			}
			if _, err := w.Write(pack[:n]); err != nil {
				t.Fatal(err)
			}
			cancel()
			if _, err := w.Write(pack[n:]); !whole && !errors.Is(err, context.Canceled) {
				t.Errorf("Write after the interrupt = %v, want context.Canceled", err)
			}
			done := make(chan error)
			go func() { done <- w.Close() }()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Close = %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Close still waiting 10 s after the interrupt")
			}
			assertNothingStored(t, packDir)
		})
	}
}

// Bases dropped for the memory budget are made again when their next
// delta needs them: with a budget of a few KiB, a pack of branching delta
// trees gives the index git index-pack gives.
//
// The first pass keeps deltas' instructions within a budget too: with
// one of 4 KiB, the second pass reads some from memory and inflates the
// others again from the pack, and the index is still git's.
func TestIndexPackBudget(t *testing.T) {
	saved, savedKeep := deltaBaseBudget, deltaKeepBudget
	deltaBaseBudget, deltaKeepBudget = 8<<10, 4<<10
	defer func() { deltaBaseBudget, deltaKeepBudget = saved, savedKeep }()

	// Two trees of 2 KiB texts, each delta a base with a line added; every
	// node has two deltas on it, 6 levels deep: 2·127 objects.
	b := newPackBuilder(2 * 127)
	for tree := range 2 {
		root := make([]byte, 2048)
		_, _ = rand.Read(root)
		type node struct {
			entry int
			text  []byte
		}
		b.object(plumbing.BlobObject, root, zlib.DefaultCompression)
		level := []node{{len(b.offsets) - 1, root}}
		for depth := 1; depth < 7; depth++ {
			var next []node
			for _, n := range level {
				for k := range 2 {
					line := []byte(fmt.Sprintf("tree %d depth %d kid %d of entry %d\n", tree, depth, k, n.entry))
					b.ofsDelta(n.entry, deltaOf(n.text, line))
					next = append(next, node{len(b.offsets) - 1, append(bytes.Clone(n.text), line...)})
				}
			}
			level = next
		}
	}
	pack := b.pack()
	st, packDir := newPackStorage(t)
	w, _ := st.PackfileWriter()
	before, keptBefore := refills.Load(), keptDeltas.Load()
	if _, err := feed(w, pack, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := refills.Load() - before; n < 10 {
		t.Errorf("%d bases made again, want the budget to have dropped many", n)
	}
	if n := keptDeltas.Load() - keptBefore; n < 10 || n > 2*126-10 {
		t.Errorf("%d of the %d deltas' instructions kept, want some kept and some not", n, 2*126)
	}
	idx, _ := filepath.Glob(filepath.Join(packDir, "pack-*.idx"))
	packs, _ := filepath.Glob(filepath.Join(packDir, "pack-*.pack"))
	if len(idx) != 1 || len(packs) != 1 {
		t.Fatalf("objects/pack holds %v and %v", packs, idx)
	}
	theirs := filepath.Join(t.TempDir(), "git.idx")
	if _, err := gitCmd(packDir, "index-pack", "-o", theirs, packs[0]); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(theirs)
	got, _ := os.ReadFile(idx[0])
	if !bytes.Equal(got, want) {
		t.Errorf("index differs from git index-pack's (%d vs %d bytes)", len(got), len(want))
	}
	if v, err := gitCmd(packDir, "verify-pack", "-v", idx[0]); err != nil || !strings.Contains(v, "chain length = 6: 128 objects") {
		t.Fatalf("the test pack should hold chains of 6 (%v):\n%s", err, v)
	}
}

// A go-git clone of a repository of big files, one of them stored as a
// delta, allocates far less than their size: the pack is indexed from its
// file, and the checkout streams each file over checkoutStreamOver from
// the pack rather than reading it whole into its cache. For these 32 MiB
// of files, the clone allocated 180 MiB with go-git's checkout defaults;
// now under 10 MiB, 8 MiB of it the delta's base and result.
func TestCloneGoMemoryIsFlat(t *testing.T) {
	work := t.TempDir()
	if _, err := gitCmd(work, "init", "-q", "-b", "main"); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 4<<20)
	for i := range 8 {
		_, _ = rand.Read(data)
		if err := os.WriteFile(filepath.Join(work, fmt.Sprintf("big%02d.bin", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gitCmd(work, "add", "-A"); err != nil {
		t.Fatal(err)
	}
	if _, err := gitCmd(work, "commit", "-q", "-m", "big"); err != nil {
		t.Fatal(err)
	}
	// A second version of one file, a line appended: a 4 MiB delta result.
	f, _ := os.OpenFile(filepath.Join(work, "big00.bin"), os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString("one more line\n")
	_ = f.Close()
	if _, err := gitCmd(work, "commit", "-q", "-am", "edit"); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if _, err := gitCmd(root, "clone", "-q", "--bare", work, filepath.Join(root, "big.git")); err != nil {
		t.Fatal(err)
	}
	if _, err := gitCmd(filepath.Join(root, "big.git"), "repack", "-adq"); err != nil {
		t.Fatal(err)
	}
	srv := newGitServer(t, root, "")
	dir := filepath.Join(t.TempDir(), "big")
	var err error
	heap := allocated(func() {
		err = Clone(context.Background(), Options{URL: srv.URL + "/big.git", Dir: dir, Transport: TransportGo})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a clone of 32 MiB of files: the heap grew by at most %.1f MiB", float64(heap)/(1<<20))
	if heap > 24<<20 {
		t.Errorf("the heap grew by up to %.1f MiB for 32 MiB of files, want < 24 MiB", float64(heap)/(1<<20))
	}
	if out, err := gitCmd(dir, "status", "--porcelain"); err != nil || out != "" {
		t.Errorf("git status after the clone: %q %v", out, err)
	}
	if v, err := gitCmd(filepath.Join(dir, ".git"), "verify-pack", "-v", mustGlob(t, filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))); err != nil || !strings.Contains(v, "chain length = 1: ") {
		t.Errorf("the test pack should hold deltas (%v):\n%s", err, v)
	}
}

func mustGlob(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	if len(m) != 1 {
		t.Fatalf("%s: %v", pattern, m)
	}
	return m[0]
}
