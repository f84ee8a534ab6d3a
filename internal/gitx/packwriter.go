package gitx

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// packStorage is go-git's filesystem storage with a faster pack writer.
//
// go-git's own writer streams the fetched pack to a file and indexes it
// with packfile.Parser, reading the file back: a seek and a read per
// object, every object inflated two or three times, every delta applied
// twice. On a 5,000-commit repository that was 0.8 s of a 2 s clone.
// packWriter keeps the pack in memory as it arrives, indexes it there
// (indexPack) and writes the file once. The cost is the pack's size in
// memory while it is indexed (git's index-pack maps the whole pack too).
type packStorage struct {
	*filesystem.Storage
}

// PackfileWriter implements storer.PackfileWriter.
func (s packStorage) PackfileWriter() (io.WriteCloser, error) {
	w := &packWriter{storage: s.Storage, pack: newPackBuffer(), parsed: make(chan parseResult, 1)}
	go w.index()
	return w, nil
}

// parseResult is what indexing the pack gave.
type parseResult struct {
	checksum plumbing.Hash
	idx      *idxfile.Writer
	err      error
}

// packWriter receives one fetched pack. Write keeps the bytes in memory,
// where a goroutine indexes them as they come; Close waits for the index
// and stores pack and index under objects/pack.
type packWriter struct {
	storage *filesystem.Storage
	pack    *packBuffer
	parsed  chan parseResult
}

func (w *packWriter) index() {
	sum, idx, err := indexPack(w.pack.reader())
	w.parsed <- parseResult{checksum: sum, idx: idx, err: err}
}

// Write implements io.Writer.
func (w *packWriter) Write(p []byte) (int, error) {
	w.pack.write(p)
	return len(p), nil
}

// Close ends the pack, waits for its index and stores both. A fetch that
// brought nothing stores nothing.
func (w *packWriter) Close() error {
	data := w.pack.close()
	res := <-w.parsed
	if errors.Is(res.err, packfile.ErrEmptyPackfile) || (res.err != nil && len(data) == 0) {
		return nil
	}
	if res.err != nil {
		return res.err
	}
	if !res.idx.Finished() {
		return fmt.Errorf("indexing the fetched pack: %w", packfile.ErrMalformedPackFile)
	}
	idx, err := res.idx.Index()
	if err != nil {
		return err
	}
	fs := w.storage.Filesystem()
	base := fs.Join("objects", "pack", "pack-"+res.checksum.String())
	if err := writeFileAtomic(fs, base+".idx", func(f io.Writer) error {
		_, err := idxfile.NewEncoder(f).Encode(idx)
		return err
	}); err != nil {
		return err
	}
	if err := writeFileAtomic(fs, base+".pack", func(f io.Writer) error {
		_, err := f.Write(data)
		return err
	}); err != nil {
		return err
	}
	// The storage lists its packs once; make it see this one.
	w.storage.Reindex()
	return nil
}

// writeFileAtomic writes name through a temporary file in the same
// directory, renamed into place when complete, read-only like git's packs.
func writeFileAtomic(fs billy.Filesystem, name string, write func(io.Writer) error) error {
	f, err := fs.TempFile(fs.Join("objects", "pack"), "tmp_pack_")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if ch, ok := fs.(billy.Chmod); ok {
			err = ch.Chmod(tmp, 0o444)
		}
	}
	if err == nil {
		err = fs.Rename(tmp, name)
	}
	if err != nil {
		_ = fs.Remove(tmp)
		return fmt.Errorf("storing the fetched pack: %w", err)
	}
	return nil
}

// packBuffer is a pack growing in memory: one writer appends, readers
// block at its end until more comes or it is closed.
type packBuffer struct {
	mu     sync.Mutex
	more   *sync.Cond
	data   []byte
	closed bool
}

func newPackBuffer() *packBuffer {
	b := &packBuffer{}
	b.more = sync.NewCond(&b.mu)
	return b
}

func (b *packBuffer) write(p []byte) {
	b.mu.Lock()
	b.data = append(b.data, p...)
	b.mu.Unlock()
	b.more.Broadcast()
}

// close ends the pack and returns all of it.
func (b *packBuffer) close() []byte {
	b.mu.Lock()
	b.closed = true
	data := b.data
	b.mu.Unlock()
	b.more.Broadcast()
	return data
}

func (b *packBuffer) reader() *packReader { return &packReader{b: b} }

// packReader reads a packBuffer from its own offset. It is an
// io.ReadSeeker, which makes go-git's scanner seek for delta bases rather
// than keep every delta in a map.
type packReader struct {
	b   *packBuffer
	off int64
}

// Read implements io.Reader, waiting for bytes the writer has not sent yet.
func (r *packReader) Read(p []byte) (int, error) {
	b := r.b
	b.mu.Lock()
	defer b.mu.Unlock()
	for r.off >= int64(len(b.data)) && !b.closed {
		b.more.Wait()
	}
	if r.off >= int64(len(b.data)) {
		return 0, io.EOF
	}
	n := copy(p, b.data[r.off:])
	r.off += int64(n)
	return n, nil
}

// Seek implements io.Seeker from the start or the current offset; the end
// of a pack still arriving is not known.
func (r *packReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	default:
		return r.off, errors.New("packReader: seek from the end is not supported")
	}
	if offset < 0 {
		return r.off, errors.New("packReader: negative offset")
	}
	r.off = offset
	return offset, nil
}
