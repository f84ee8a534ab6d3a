package gitx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// DefaultMaxPackSize is the largest pack a go-git clone accepts when
// Options.MaxPackSize is 0.
const DefaultMaxPackSize int64 = 4 << 30

// maxObjectSize is the largest object (inflated, or a delta's result) a
// go-git clone accepts, or the largest pack when that is smaller. An
// object with deltas is held whole in memory while they are applied, and
// go-git's checkout holds each file whole: this bounds the memory one
// object can take. It is ten times GitHub's hard limit on a file (100 MiB).
const maxObjectSize int64 = 1 << 30

// packLimits are what a go-git clone accepts of the server's pack.
type packLimits struct {
	pack     int64 // bytes of the pack; 0: no limit
	object   int64 // bytes of one object, inflated, or of a delta's result
	fromPack bool  // object is the pack's limit, lower than maxObjectSize
}

// newPackLimits reads Options.MaxPackSize: 0 is DefaultMaxPackSize, a
// negative size no limit on the pack.
func newPackLimits(maxPack int64) packLimits {
	switch {
	case maxPack == 0:
		maxPack = DefaultMaxPackSize
	case maxPack < 0:
		maxPack = 0
	}
	l := packLimits{pack: maxPack, object: maxObjectSize}
	if maxPack > 0 && maxPack < maxObjectSize {
		l.object, l.fromPack = maxPack, true
	}
	return l
}

// limitError is a refusal by packLimits; it wraps ErrTooLarge.
type limitError struct{ msg string }

func (e *limitError) Error() string        { return e.msg }
func (e *limitError) Is(target error) bool { return target == ErrTooLarge }

func (l packLimits) packTooLarge() error {
	return &limitError{fmt.Sprintf("refusing the pack: it is larger than %s, the limit set by --max-pack-size (a size such as 8GiB, or 0 for no limit)", FormatSize(l.pack))}
}

// checkObject refuses an object at offset at whose size, as its header
// says (or a delta's result, as the delta says), is over the limit.
func (l packLimits) checkObject(at, size int64, result bool) error {
	if size <= l.object {
		return nil
	}
	what := "an object"
	if result {
		what = "a delta's result"
	}
	why := "the most onboard holds in memory for one object"
	if l.fromPack {
		why = "the limit set by --max-pack-size"
	}
	return &limitError{fmt.Sprintf("refusing the pack: %s at offset %d is %s, more than %s, %s", what, at, FormatSize(size), FormatSize(l.object), why)}
}

// packStorage is go-git's filesystem storage with onboard's pack writer.
//
// go-git's own writer streams the fetched pack to a file and indexes it
// with packfile.Parser, reading the file back: a seek and a read per
// object, every object inflated two or three times, every delta applied
// twice. On a 5,000-commit repository that was 0.8 s of a 2 s clone.
// packWriter writes the pack to a temporary file in objects/pack as it
// arrives and indexes it from there (indexPack) at the same time, within
// limits.
type packStorage struct {
	*filesystem.Storage
	ctx    context.Context
	limits packLimits
}

// Module is a submodule's storage (.git/modules/NAME), with this pack
// writer and its limits too: a submodule's server is whatever .gitmodules
// names, as hostile as any.
func (s packStorage) Module(name string) (storage.Storer, error) {
	st, err := s.Storage.Module(name)
	if err != nil {
		return nil, err
	}
	if fs, ok := st.(*filesystem.Storage); ok {
		return packStorage{fs, s.ctx, s.limits}, nil
	}
	return st, nil
}

// PackfileWriter implements storer.PackfileWriter.
//
// The pack, its index and the temporary file go through a rootfs.Root on
// the new repository's .git, like every other write onboard makes in a
// repository: a hostile pack's objects never become paths here, but the
// rule has no exceptions to audit.
func (s packStorage) PackfileWriter() (io.WriteCloser, error) {
	gitDir, err := rootfs.Open(s.Filesystem().Root())
	if err != nil {
		return nil, err
	}
	if err := gitDir.MkdirAll(packDir, 0o755); err != nil {
		gitDir.Close()
		return nil, err
	}
	// git's name for a pack being received.
	f, tmp, err := gitDir.CreateTemp(packDir, "tmp_pack_")
	if err != nil {
		gitDir.Close()
		return nil, err
	}
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	pack := newPackFile(f, s.limits)
	w := &packWriter{ctx: ctx, storage: s.Storage, gitDir: gitDir, tmp: tmp, pack: pack, indexed: make(chan indexResult, 1)}
	// An interrupt stops the indexer, even when all the pack is in.
	w.stop = context.AfterFunc(ctx, func() { pack.fail(ctx.Err()) })
	go func() {
		sum, idx, err := indexPack(ctx, pack, s.limits)
		if err != nil {
			// Refuse the rest: a server that sent a bad or too large
			// object does not get to fill the disk with what follows.
			pack.fail(err)
		}
		w.indexed <- indexResult{checksum: sum, idx: idx, err: err}
	}()
	return w, nil
}

// indexResult is what indexing the pack gave.
type indexResult struct {
	checksum plumbing.Hash
	idx      *idxfile.Writer
	err      error
}

// packWriter receives one fetched pack. Write appends it to the temporary
// file, where a goroutine indexes it as it comes; Close waits for the
// index and stores pack and index under objects/pack.
type packWriter struct {
	ctx     context.Context
	storage *filesystem.Storage
	gitDir  *rootfs.Root // the repository's .git, closed by Close
	tmp     string       // the pack's temporary file in gitDir
	pack    *packFile
	indexed chan indexResult
	stop    func() bool
}

// Write implements io.Writer.
func (w *packWriter) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		w.pack.fail(err)
		return 0, err
	}
	return w.pack.write(p)
}

// Close ends the pack, waits for its index and stores both: the index
// first, then the pack renamed into place, so that a pack file is never
// there without one. A fetch that brought nothing stores nothing; a pack
// refused, damaged or interrupted leaves nothing in objects/pack.
func (w *packWriter) Close() (err error) {
	w.pack.finish()
	res := <-w.indexed
	w.stop()
	if err := w.ctx.Err(); err != nil {
		w.pack.fail(err) // interrupted: nothing is stored, however far it got
	}
	defer w.gitDir.Close()
	tmp := w.tmp
	var idxName string
	defer func() {
		if err != nil {
			_ = w.pack.f.Close()
			_ = w.gitDir.Remove(tmp)
			if idxName != "" {
				_ = w.gitDir.Remove(idxName)
			}
		}
	}()
	size, werr := w.pack.written()
	if size == 0 && (werr == nil || errors.Is(werr, packfile.ErrEmptyPackfile)) {
		_ = w.pack.f.Close()
		return w.gitDir.Remove(tmp)
	}
	if werr != nil {
		return werr // the pack is too large, damaged, or the clone interrupted
	}
	if res.err != nil {
		return res.err
	}
	idx, err := res.idx.Index()
	if err != nil {
		return err
	}
	var encoded bytes.Buffer
	if _, err := idxfile.NewEncoder(&encoded).Encode(idx); err != nil {
		return err
	}
	base := packDir + "/pack-" + res.checksum.String()
	// Read-only, as git leaves its packs.
	if err := w.gitDir.WriteFile(base+".idx", encoded.Bytes(), 0o444); err != nil {
		return fmt.Errorf("storing the fetched pack's index: %w", err)
	}
	idxName = base + ".idx"
	f := w.pack.f
	if err := f.Chmod(0o444); err != nil {
		return fmt.Errorf("storing the fetched pack: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("storing the fetched pack: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("storing the fetched pack: %w", err)
	}
	if err := w.gitDir.Rename(tmp, base+".pack"); err != nil {
		return fmt.Errorf("storing the fetched pack: %w", err)
	}
	// The storage lists its packs once; make it see this one.
	w.storage.Reindex()
	return nil
}

// packDir is where a repository keeps its packs, in its .git.
const packDir = "objects/pack"

// packFile is a pack arriving in a file: one writer appends, readers wait
// at its end until more comes or it is finished, and read any offset with
// pread (through the page cache: the pack is never held in memory).
type packFile struct {
	f      *os.File
	limits packLimits

	mu   sync.Mutex
	more *sync.Cond
	size int64 // bytes written
	done bool  // no more will come
	err  error // the pack failed: refused, interrupted or not written
}

func newPackFile(f *os.File, limits packLimits) *packFile {
	p := &packFile{f: f, limits: limits}
	p.more = sync.NewCond(&p.mu)
	return p
}

// write appends b, or refuses it when it would make the pack larger than
// its limit (and fails the pack, so that its readers stop).
func (p *packFile) write(b []byte) (int, error) {
	p.mu.Lock()
	size, err := p.size, p.err
	p.mu.Unlock()
	if err != nil {
		return 0, err
	}
	if p.limits.pack > 0 && size+int64(len(b)) > p.limits.pack {
		err := p.limits.packTooLarge()
		p.fail(err)
		return 0, err
	}
	n, err := p.f.Write(b)
	p.mu.Lock()
	p.size += int64(n)
	if err != nil && p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.more.Broadcast()
	return n, err
}

// finish says that no more will come.
func (p *packFile) finish() {
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
	p.more.Broadcast()
}

// fail stops the pack: readers and the writer get err from now on.
func (p *packFile) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.more.Broadcast()
}

// written is how many bytes were written, and why the pack failed.
func (p *packFile) written() (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.size, p.err
}

// readSome implements packSource.
func (p *packFile) readSome(b []byte, off int64) (int, error) {
	p.mu.Lock()
	for off >= p.size && !p.done && p.err == nil {
		p.more.Wait()
	}
	size, err := p.size, p.err
	p.mu.Unlock()
	switch {
	case err != nil:
		return 0, err
	case off >= size:
		return 0, io.EOF
	}
	if int64(len(b)) > size-off {
		b = b[:size-off]
	}
	return p.f.ReadAt(b, off)
}

// ReadAt implements io.ReaderAt (once the pack is all there).
func (p *packFile) ReadAt(b []byte, off int64) (int, error) {
	if _, err := p.written(); err != nil {
		return 0, err
	}
	return p.f.ReadAt(b, off)
}
