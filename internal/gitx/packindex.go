package gitx

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// maxDeltaDepth is git's own limit on a delta chain (pack-objects'
// OE_DEPTH_BITS), and go-git's: a pack with longer chains is refused.
const maxDeltaDepth = 4095

// deltaBaseBudget is how many bytes of delta bases the second pass keeps
// in memory, all workers together, on top of the base and the result of
// the delta being applied. Beyond it, the bases furthest up each delta
// tree are dropped and made again from the pack when they are needed
// (git's index-pack does the same with core.deltaBaseCacheLimit).
var deltaBaseBudget int64 = 32 << 20 // a variable for tests

// errThinPack: a delta's base is not in the pack. A clone's pack is never
// thin; a fetch into an existing repository would need the repository's
// objects, which this indexer does not read.
var errThinPack = fmt.Errorf("%w: a delta's base is not in the pack", packfile.ErrMalformedPackFile)

// malformed is an error about the pack's bytes.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{packfile.ErrMalformedPackFile}, args...)...)
}

// packObject is one entry of a pack while it is indexed: where it is and
// what the first pass learnt of it. Nothing of its content is kept.
type packObject struct {
	offset  int64               // of its header in the pack
	size    int64               // inflated; of a delta: its result's (checked in the first pass)
	hash    plumbing.Hash       // of a delta: once resolved
	crc     uint32              // of its bytes in the pack, header included
	base    int32               // an offset delta's base, an index into the objects; -1 otherwise
	claimed uint32              // a delta taken for resolution (atomic), so that none is resolved twice
	hdrLen  uint8               // bytes of its header: its zlib stream starts at offset+hdrLen
	typ     plumbing.ObjectType // of a delta: its base's, once resolved
}

// packSource is the pack that indexPack reads: sequentially as it arrives
// in the first pass (readSome), at any offset once it is all there in the
// second (ReadAt).
type packSource interface {
	io.ReaderAt
	// readSome reads into p bytes from offset off, at least one, waiting
	// for them to arrive; io.EOF at the end of a pack that has ended.
	readSome(p []byte, off int64) (int, error)
}

// indexPack reads a whole pack from src and returns its checksum and
// index, the job of git index-pack. It replaces go-git's packfile.Parser,
// which inflates every object two or three times and patches every delta
// twice.
//
// The first pass reads the pack as it arrives, once, in order: it
// inflates each object, hashes the whole ones and checks the deltas'
// instructions, keeping of each object only where it is, its size and its
// CRC, and of deltas their instructions up to deltaKeepBudget in all
// (packkeep.go). The second pass reads again, by offset, only the bases
// that have deltas and the deltas not kept, and applies each delta once,
// down each base's delta tree, one tree per CPU at a time.
//
// Memory does not grow with the pack: about 60 bytes per object, the
// deltas' instructions up to deltaKeepBudget, the bases on the way down a
// delta tree up to deltaBaseBudget, and the one
// or two objects being worked on, each at most limits.object — checked
// against what the object really inflates to, never allocated from what
// a header claims.
func indexPack(ctx context.Context, src packSource, limits packLimits) (plumbing.Hash, *idxfile.Writer, error) {
	s := newPackStream(src)
	count, err := s.header()
	if err != nil {
		return plumbing.ZeroHash, nil, packErr(err)
	}
	p := &passOne{s: s, limits: limits, refs: map[plumbing.Hash][]int32{}}
	p.objs = make([]packObject, 0, min(count, 1<<16))
	for range count {
		if err := ctx.Err(); err != nil {
			return plumbing.ZeroHash, nil, err
		}
		if err := p.next(); err != nil {
			return plumbing.ZeroHash, nil, packErr(err)
		}
	}
	end := s.pos()
	sum, err := s.trailer()
	if err != nil {
		return plumbing.ZeroHash, nil, packErr(err)
	}
	if err := resolveDeltas(ctx, src, p.objs, p.refs, &p.keep, end); err != nil {
		return plumbing.ZeroHash, nil, packErr(err)
	}
	idx := new(idxfile.Writer)
	_ = idx.OnHeader(count)
	for i := range p.objs {
		idx.Add(p.objs[i].hash, uint64(p.objs[i].offset), p.objs[i].crc)
	}
	if err := idx.OnFooter(sum); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	return sum, idx, nil
}

// packErr says that an unexpected end is a truncated pack.
func packErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %w", packfile.ErrMalformedPackFile, err)
	}
	return err
}

// packStream reads a pack from its start, in order, as it arrives. It is
// a flate.Reader (it has ReadByte), so zlib reads exactly an object's
// stream and no further. It keeps the SHA-1 of every byte consumed (the
// pack's checksum) and the CRC-32 of those of the current entry.
type packStream struct {
	src  packSource
	buf  []byte
	r, w int   // buf[r:w] is read and not consumed
	mark int   // buf[mark:r] is consumed and not yet summed
	base int64 // offset of buf[0] in the pack
	sum  hash.Hash
	crc  uint32
}

func newPackStream(src packSource) *packStream {
	return &packStream{src: src, buf: make([]byte, 64<<10), sum: sha1.New()}
}

// pos is the offset of the next byte.
func (s *packStream) pos() int64 { return s.base + int64(s.r) }

// account adds the bytes consumed since the last call to the sums.
func (s *packStream) account() {
	b := s.buf[s.mark:s.r]
	s.sum.Write(b)
	s.crc = crc32.Update(s.crc, crc32.IEEETable, b)
	s.mark = s.r
}

func (s *packStream) fill() error {
	s.account()
	s.base += int64(s.w)
	s.r, s.w, s.mark = 0, 0, 0
	n, err := s.src.readSome(s.buf, s.base)
	s.w = n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// ReadByte implements io.ByteReader.
func (s *packStream) ReadByte() (byte, error) {
	if s.r == s.w {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	c := s.buf[s.r]
	s.r++
	return c, nil
}

// Read implements io.Reader.
func (s *packStream) Read(p []byte) (int, error) {
	if s.r == s.w {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.buf[s.r:s.w])
	s.r += n
	return n, nil
}

// header reads the pack's header and returns its object count.
func (s *packStream) header() (uint32, error) {
	var h [12]byte
	if _, err := io.ReadFull(s, h[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, packfile.ErrEmptyPackfile
		}
		return 0, err
	}
	if string(h[:4]) != "PACK" {
		return 0, packfile.ErrBadSignature
	}
	if v := uint32(h[4])<<24 | uint32(h[5])<<16 | uint32(h[6])<<8 | uint32(h[7]); v != 2 && v != 3 {
		return 0, packfile.ErrUnsupportedVersion
	}
	return uint32(h[8])<<24 | uint32(h[9])<<16 | uint32(h[10])<<8 | uint32(h[11]), nil
}

// trailer reads the pack's checksum, checks it against the bytes before
// it, and checks that nothing follows it (git index-pack: "pack has junk
// at the end").
func (s *packStream) trailer() (plumbing.Hash, error) {
	s.account()
	var want plumbing.Hash
	copy(want[:], s.sum.Sum(nil))
	var got plumbing.Hash
	if _, err := io.ReadFull(s, got[:]); err != nil {
		return plumbing.ZeroHash, err
	}
	s.mark = s.r // the trailer is not part of what it sums
	if got != want {
		return plumbing.ZeroHash, malformed("checksum mismatch: %s instead of %s", got, want)
	}
	if _, err := s.ReadByte(); err != io.EOF {
		if err == nil {
			return plumbing.ZeroHash, malformed("bytes after the pack's checksum")
		}
		return plumbing.ZeroHash, err
	}
	return got, nil
}

// passOne is the state of the first pass.
type passOne struct {
	s       *packStream
	limits  packLimits
	objs    []packObject
	refs    map[plumbing.Hash][]int32 // reference deltas by their base's hash
	zr      io.ReadCloser             // reused
	counted io.LimitedReader
	br      *bufio.Reader // over a delta's instructions
	scratch []byte
	keep    deltaKeep
}

// next reads the next object.
func (p *passOne) next() error {
	s := p.s
	s.account()
	s.crc = 0
	o := packObject{offset: s.pos(), base: -1}
	typ, size, err := readObjectHeader(s)
	if err != nil {
		return err
	}
	o.typ = typ
	if err := p.limits.checkObject(o.offset, size, false); err != nil {
		return err
	}
	var ref plumbing.Hash
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	case plumbing.OFSDeltaObject:
		base, err := readBaseOffset(s, o.offset)
		if err != nil {
			return err
		}
		// Objects are in offset order, and a base comes before its delta.
		i := sort.Search(len(p.objs), func(i int) bool { return p.objs[i].offset >= base })
		if i == len(p.objs) || p.objs[i].offset != base {
			return malformed("no object at a delta's base offset %d", base)
		}
		o.base = int32(i)
	case plumbing.REFDeltaObject:
		if _, err := io.ReadFull(s, ref[:]); err != nil {
			return err
		}
	default:
		return malformed("object of unknown type %d at offset %d", typ, o.offset)
	}
	o.hdrLen = uint8(s.pos() - o.offset)

	if p.zr == nil {
		if p.zr, err = zlib.NewReader(s); err != nil {
			return entryErr(o.offset, err)
		}
		p.br = bufio.NewReaderSize(&p.counted, 16<<10)
		p.scratch = make([]byte, 32<<10)
	} else if err := p.zr.(zlib.Resetter).Reset(s, nil); err != nil {
		return entryErr(o.offset, err)
	}
	// One byte more than the header says, to see an object that inflates
	// to more: a zlib bomb stops there.
	p.counted = io.LimitedReader{R: p.zr, N: size + 1}
	kept := false
	if typ.IsDelta() {
		var r io.Reader
		r, kept = p.keep.reader(&p.counted, size)
		p.br.Reset(r)
		o.size, err = checkDelta(p.br, o.offset, p.limits)
		if err == nil {
			_, err = p.br.ReadByte() // drives zlib to its end (and its checksum)
			if err == nil {
				err = malformed("the delta at offset %d goes on after its instructions", o.offset)
			} else if err == io.EOF {
				err = nil
			}
		}
	} else {
		o.size = size
		h := plumbing.NewHasher(typ, size)
		_, err = io.CopyBuffer(h, &p.counted, p.scratch)
		o.hash = h.Sum()
	}
	if n := size + 1 - p.counted.N; err == nil && n != size || n > size {
		// (more: whatever error the delta's check gave, this is the cause)
		return malformed("the object at offset %d inflates to %s bytes, its header says %d", o.offset, inflatedCount(n, size), size)
	}
	if err != nil {
		return entryErr(o.offset, err)
	}
	s.account()
	o.crc = s.crc
	if typ == plumbing.REFDeltaObject {
		p.refs[ref] = append(p.refs[ref], int32(len(p.objs)))
	}
	if kept {
		p.keep.keep(int32(len(p.objs)), size)
	}
	p.objs = append(p.objs, o)
	return nil
}

// entryErr is err, met reading the entry at offset at, said as what it is.
func entryErr(at int64, err error) error {
	switch {
	case errors.Is(err, ErrTooLarge), errors.Is(err, packfile.ErrMalformedPackFile):
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("object at offset %d: %w", at, io.ErrUnexpectedEOF)
	case errors.As(err, new(flate.CorruptInputError)), errors.Is(err, zlib.ErrChecksum), errors.Is(err, zlib.ErrHeader):
		return malformed("object at offset %d: %w", at, err)
	}
	return err // the pack's source's: the download refused or interrupted
}

func inflatedCount(n, size int64) string {
	if n > size {
		return fmt.Sprintf("more than %d", size)
	}
	return fmt.Sprint(n)
}

// readObjectHeader reads an entry's type and the size of its content (of
// a delta: of its instructions).
func readObjectHeader(r io.ByteReader) (plumbing.ObjectType, int64, error) {
	c, err := r.ReadByte()
	if err != nil {
		return 0, 0, err
	}
	typ := plumbing.ObjectType(c >> 4 & 7)
	size := uint64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 62-7 {
			return 0, 0, malformed("object size overflows")
		}
		if c, err = r.ReadByte(); err != nil {
			return 0, 0, err
		}
		size |= uint64(c&0x7f) << shift
	}
	return typ, int64(size), nil
}

// readBaseOffset reads an offset delta's base offset, relative to the
// delta's own at.
func readBaseOffset(r io.ByteReader, at int64) (int64, error) {
	c, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	ofs := uint64(c & 0x7f)
	for c&0x80 != 0 {
		if ofs >= 1<<(63-7) {
			return 0, malformed("delta base offset overflows")
		}
		if c, err = r.ReadByte(); err != nil {
			return 0, err
		}
		ofs = (ofs+1)<<7 | uint64(c&0x7f)
	}
	if ofs == 0 || ofs >= uint64(at) {
		return 0, malformed("delta base offset out of the pack, at offset %d", at)
	}
	return at - int64(ofs), nil
}

// readDeltaSize reads one of the two sizes that start a delta.
func readDeltaSize(r io.ByteReader) (int64, error) {
	var n uint64
	for shift := 0; ; shift += 7 {
		c, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		if shift > 62-7 {
			return 0, malformed("delta size overflows")
		}
		n |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int64(n), nil
		}
	}
}

// readCopy reads the offset and size of a delta's copy instruction cmd.
func readCopy(r io.ByteReader, cmd byte) (off, n int64, err error) {
	var c byte
	for i := range 7 {
		if cmd&(1<<i) == 0 {
			continue
		}
		if c, err = r.ReadByte(); err != nil {
			return 0, 0, err
		}
		if i < 4 {
			off |= int64(c) << (8 * i)
		} else {
			n |= int64(c) << (8 * (i - 4))
		}
	}
	if n == 0 {
		n = 0x10000
	}
	return off, n, nil
}

// checkDelta reads a delta's instructions in the first pass, keeping
// none, and returns the size of its result: the size it announces, checked
// against limits and against what its instructions make, so that the
// second pass can allocate it.
func checkDelta(r *bufio.Reader, at int64, limits packLimits) (int64, error) {
	src, err := readDeltaSize(r)
	if err != nil {
		return 0, err
	}
	target, err := readDeltaSize(r)
	if err != nil {
		return 0, err
	}
	if err := limits.checkObject(at, target, true); err != nil {
		return 0, err
	}
	var made int64
	for made < target {
		cmd, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch {
		case cmd&0x80 != 0:
			off, n, err := readCopy(r, cmd)
			if err != nil {
				return 0, err
			}
			if off+n > src {
				return 0, malformed("the delta at offset %d copies past its base's end", at)
			}
			made += n
		case cmd != 0:
			if _, err := r.Discard(int(cmd)); err != nil {
				return 0, err
			}
			made += int64(cmd)
		default:
			return 0, malformed("the delta at offset %d has a reserved instruction", at)
		}
	}
	if made != target {
		return 0, malformed("the delta at offset %d makes more than the %d bytes it announces", at, target)
	}
	return target, nil
}

// deltaKids is who is whose base: by base index for offset deltas (the
// children of object i are kids[start[i]:start[i+1]]) and by base hash for
// reference deltas.
type deltaKids struct {
	start []int32
	kids  []int32
	refs  map[plumbing.Hash][]int32
}

func newDeltaKids(objs []packObject, refs map[plumbing.Hash][]int32) *deltaKids {
	t := &deltaKids{start: make([]int32, len(objs)+1), refs: refs}
	for i := range objs {
		if b := objs[i].base; b >= 0 {
			t.start[b+1]++
		}
	}
	for i := range objs {
		t.start[i+1] += t.start[i]
	}
	t.kids = make([]int32, t.start[len(objs)])
	fill := make([]int32, len(objs))
	copy(fill, t.start[:len(objs)])
	for i := range objs {
		if b := objs[i].base; b >= 0 {
			t.kids[fill[b]] = int32(i)
			fill[b]++
		}
	}
	return t
}

// of is the deltas whose base is object i, whose hash is h.
func (t *deltaKids) of(i int32, h plumbing.Hash) []int32 {
	k := t.kids[t.start[i]:t.start[i+1]]
	if r := t.refs[h]; len(r) > 0 {
		return append(k[:len(k):len(k)], r...)
	}
	return k
}

// resolveDeltas gives every delta its type and hash, one base's tree of
// deltas per worker at a time. end is where the objects end (the trailer).
// kept is deltas' instructions from the first pass.
func resolveDeltas(ctx context.Context, src io.ReaderAt, objs []packObject, refs map[plumbing.Hash][]int32, kept *deltaKeep, end int64) error {
	kids := newDeltaKids(objs, refs)
	if len(kids.kids) == 0 && len(refs) == 0 {
		return nil
	}
	var roots []int32
	for i := range objs {
		if !objs[i].typ.IsDelta() && len(kids.of(int32(i), objs[i].hash)) > 0 {
			roots = append(roots, int32(i))
		}
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
	)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(roots)))
	shared := &resolveShared{ctx: ctx, src: src, objs: objs, kids: kids, kept: kept, end: end,
		budget: max(deltaBaseBudget/int64(workers), deltaBaseBudget/8), big: make(chan struct{}, 1)}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newResolver(shared)
			for {
				n := int(next.Add(1) - 1)
				if n >= len(roots) {
					return
				}
				if err := r.tree(roots[n]); err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(len(roots))) // stop the others
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	for i := range objs {
		if objs[i].typ.IsDelta() {
			return errThinPack
		}
	}
	return nil
}

// resolveShared is what the workers of the second pass share.
type resolveShared struct {
	ctx    context.Context
	src    io.ReaderAt
	objs   []packObject
	kids   *deltaKids
	kept   *deltaKeep // deltas' instructions from the first pass
	end    int64
	budget int64 // bytes of bases one worker keeps
	// big is held by the one worker that holds objects larger than half
	// its budget: two workers never hold big objects at once.
	big chan struct{}
}

// resolver is one worker of the second pass.
type resolver struct {
	*resolveShared
	sec     sectionReader
	br      *bufio.Reader // the object's bytes in the pack
	zr      io.ReadCloser
	delta   *bufio.Reader // a delta's inflated instructions
	keptR   bytes.Reader  // or those the first pass kept
	stack   []frame
	held    int64 // bytes of the stack's data
	bigHeld int   // frames of the stack whose data is big
}

// frame is a node on the way down a delta tree.
type frame struct {
	obj  int32
	data []byte  // the object's content; nil when dropped, made again when needed
	kids []int32 // deltas on it left to resolve
}

func newResolver(s *resolveShared) *resolver {
	r := &resolver{resolveShared: s}
	r.sec.r = s.src
	r.br = bufio.NewReaderSize(&r.sec, 64<<10)
	r.delta = bufio.NewReaderSize(nil, 4<<10)
	return r
}

// sectionReader reads r from off to end.
type sectionReader struct {
	r        io.ReaderAt
	off, end int64
}

func (s *sectionReader) Read(p []byte) (int, error) {
	if s.off >= s.end {
		return 0, io.EOF
	}
	if int64(len(p)) > s.end-s.off {
		p = p[:s.end-s.off]
	}
	n, err := s.r.ReadAt(p, s.off)
	s.off += int64(n)
	if n == len(p) {
		err = nil
	}
	return n, err
}

// open starts inflating object i.
func (r *resolver) open(i int32) (io.Reader, error) {
	o := &r.objs[i]
	r.sec.off, r.sec.end = o.offset+int64(o.hdrLen), r.end
	if int(i)+1 < len(r.objs) {
		r.sec.end = r.objs[i+1].offset
	}
	r.br.Reset(&r.sec)
	var err error
	if r.zr == nil {
		r.zr, err = zlib.NewReader(r.br)
	} else {
		err = r.zr.(zlib.Resetter).Reset(r.br, nil)
	}
	if err != nil {
		return nil, entryErr(o.offset, err)
	}
	return r.zr, nil
}

// isBig says whether n bytes are a big object, which only the worker
// holding the big token may hold.
func (r *resolver) isBig(n int64) bool { return n > r.budget/2 }

// alloc is n bytes for the stack, taking the big token for a big object.
func (r *resolver) alloc(n int64) ([]byte, error) {
	if r.isBig(n) {
		if r.bigHeld == 0 {
			select {
			case r.big <- struct{}{}:
			case <-r.ctx.Done():
				return nil, r.ctx.Err()
			}
		}
		r.bigHeld++
	}
	r.held += n
	return make([]byte, n), nil
}

// release gives back what alloc took for b (nil: nothing).
func (r *resolver) release(b []byte) {
	if b == nil {
		return
	}
	n := int64(len(b))
	r.held -= n
	if r.isBig(n) {
		r.bigHeld--
		if r.bigHeld == 0 {
			<-r.big
		}
	}
}

// free drops the data of frame f.
func (r *resolver) free(f *frame) {
	r.release(f.data)
	f.data = nil
}

// trim drops the data furthest up the stack, the top's and its base's
// aside, until what the stack holds is within the budget.
func (r *resolver) trim() {
	for k := 0; k < len(r.stack)-2 && r.held > r.budget; k++ {
		r.free(&r.stack[k])
	}
}

// base is the content of object i, a whole object, from the pack.
func (r *resolver) base(i int32) ([]byte, error) {
	z, err := r.open(i)
	if err != nil {
		return nil, err
	}
	data, err := r.alloc(r.objs[i].size)
	if err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(z, data); err != nil {
		r.release(data)
		return nil, entryErr(r.objs[i].offset, err)
	}
	return data, nil
}

// apply is the result of delta i on base, its instructions inflated again
// from the pack.
func (r *resolver) apply(i int32, base []byte) ([]byte, error) {
	o := &r.objs[i]
	var z io.Reader
	if b, ok := r.kept.of(i); ok {
		r.keptR.Reset(b)
		z = &r.keptR
	} else {
		var err error
		if z, err = r.open(i); err != nil {
			return nil, err
		}
	}
	d := r.delta
	d.Reset(z)
	src, err := readDeltaSize(d)
	if err != nil {
		return nil, entryErr(o.offset, err)
	}
	target, err := readDeltaSize(d)
	if err != nil {
		return nil, entryErr(o.offset, err)
	}
	if src != int64(len(base)) {
		return nil, malformed("delta at offset %d: its base is %d bytes, it wants %d", o.offset, len(base), src)
	}
	if target != o.size {
		return nil, malformed("delta at offset %d changed since it was read", o.offset)
	}
	out, err := r.alloc(target)
	if err != nil {
		return nil, err
	}
	for made := 0; made < len(out); {
		cmd, err := d.ReadByte()
		if err != nil {
			return out, entryErr(o.offset, err)
		}
		switch {
		case cmd&0x80 != 0:
			off, n, err := readCopy(d, cmd)
			if err != nil {
				return out, entryErr(o.offset, err)
			}
			if off+n > int64(len(base)) || n > int64(len(out)-made) {
				return out, malformed("delta at offset %d copies out of bounds", o.offset)
			}
			made += copy(out[made:], base[off:off+n])
		case cmd != 0:
			if int(cmd) > len(out)-made {
				return out, malformed("delta at offset %d inserts out of bounds", o.offset)
			}
			if _, err := io.ReadFull(d, out[made:made+int(cmd)]); err != nil {
				return out, entryErr(o.offset, err)
			}
			made += int(cmd)
		default:
			return out, malformed("delta at offset %d has a reserved instruction", o.offset)
		}
	}
	return out, nil
}

// refills counts refill's calls, for tests.
var refills atomic.Int64

// refill makes again the dropped data of the stack's frame k, from the
// nearest frame above it that still has its data, or from the pack.
func (r *resolver) refill(k int) error {
	refills.Add(1)
	j := k
	for j >= 0 && r.stack[j].data == nil {
		j--
	}
	if j < 0 {
		data, err := r.base(r.stack[0].obj)
		if err != nil {
			return err
		}
		r.stack[0].data = data
		j = 0
	}
	for m := j + 1; m <= k; m++ {
		data, err := r.apply(r.stack[m].obj, r.stack[m-1].data)
		if err != nil {
			r.release(data)
			return err
		}
		r.stack[m].data = data
		if m-1 > j || len(r.stack[m-1].kids) == 0 {
			r.free(&r.stack[m-1]) // made only to get here
		}
	}
	return nil
}

// tree resolves every delta under the whole object root, depth first,
// and leaves nothing held.
func (r *resolver) tree(root int32) (err error) {
	defer func() {
		for k := range r.stack {
			r.free(&r.stack[k])
		}
		r.stack = r.stack[:0]
		if r.bigHeld > 0 { // after an error, what was made and not stacked
			r.bigHeld = 0
			<-r.big
		}
		r.held = 0
	}()
	o := &r.objs[root]
	data, err := r.base(root)
	if err != nil {
		return err
	}
	r.stack = append(r.stack, frame{obj: root, data: data, kids: r.kids.of(root, o.hash)})
	for n := 0; len(r.stack) > 0; n++ {
		if n%64 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		top := len(r.stack) - 1
		f := &r.stack[top]
		if len(f.kids) == 0 {
			r.free(f)
			r.stack = r.stack[:top]
			continue
		}
		c := f.kids[0]
		f.kids = f.kids[1:]
		d := &r.objs[c]
		if !atomic.CompareAndSwapUint32(&d.claimed, 0, 1) {
			continue // a duplicate base reached it already
		}
		if top+1 >= maxDeltaDepth {
			return malformed("delta chain longer than %d", maxDeltaDepth)
		}
		if f.data == nil {
			if err := r.refill(top); err != nil {
				return err
			}
		}
		target, err := r.apply(c, f.data)
		if err != nil {
			r.release(target)
			return err
		}
		h := plumbing.NewHasher(o.typ, int64(len(target)))
		_, _ = h.Write(target)
		d.hash, d.typ = h.Sum(), o.typ
		if len(f.kids) == 0 {
			r.free(f) // its last delta is made
		}
		r.stack = append(r.stack, frame{obj: c, data: target, kids: r.kids.of(c, d.hash)})
		r.trim()
	}
	return nil
}
