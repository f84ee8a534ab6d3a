package gitx

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"container/list"
	"fmt"
	"io"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// packIndex is what every checkout worker's packBlobs shares: the pack's
// index (idxfile.MemoryIndex locks its own state) and where each object
// ends, so that a worker reads an object's bytes and no more.
type packIndex struct {
	idx  *idxfile.MemoryIndex
	offs []int64 // every object's offset, in order
	end  int64   // where the objects end: the trailer
}

func newPackIndex(idx *idxfile.MemoryIndex, packSize int64) (*packIndex, error) {
	it, err := idx.Entries()
	if err != nil {
		return nil, err
	}
	defer it.Close()
	p := &packIndex{idx: idx, end: packSize - int64(len(plumbing.ZeroHash))}
	for {
		e, err := it.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		p.offs = append(p.offs, int64(e.Offset))
	}
	slices.Sort(p.offs)
	return p, nil
}

// next is where the object at off ends.
func (p *packIndex) next(off int64) int64 {
	i, _ := slices.BinarySearch(p.offs, off+1)
	if i < len(p.offs) {
		return p.offs[i]
	}
	return p.end
}

// packBlobs reads blobs from the clone's pack for one checkout worker,
// in place of go-git's packfile.Packfile, which took two thirds of the
// checkout's CPU: it reads through a byte-at-a-time scanner, and every
// object it makes it puts in its cache, whose key is the object's SHA-1,
// computed again. The pack was checked whole as it arrived (indexPack:
// every object's hash, every delta's bounds), so this reads it back
// without checking it again, as git's checkout does; a delta is still
// applied within its bounds.
//
// Whole objects up to checkoutStreamOver come back in memory, larger ones
// as a stream inflated from the pack as it is written; a delta's result
// is made in memory, from its base, as go-git's checkout does. Bases are
// kept, by offset, up to checkoutCache bytes for all workers.
type packBlobs struct {
	*packIndex
	sec    sectionReader
	br     *bufio.Reader
	zr     io.ReadCloser
	budget int64

	cache map[int64]*list.Element // by offset
	lru   list.List               // of *cached, most recent first
	held  int64
}

// cached is an object packBlobs keeps.
type cached struct {
	off  int64
	typ  plumbing.ObjectType
	data []byte
}

func newPackBlobs(p *packIndex, pack io.ReaderAt, budget int64) *packBlobs {
	b := &packBlobs{packIndex: p, budget: budget, cache: map[int64]*list.Element{}}
	b.sec.r = pack
	b.br = bufio.NewReaderSize(&b.sec, 16<<10)
	return b
}

// blob returns blob h's content: data, or when it is a whole object
// larger than checkoutStreamOver, a stream of its size bytes.
func (b *packBlobs) blob(h plumbing.Hash) (data []byte, stream io.Reader, err error) {
	off, err := b.idx.FindOffset(h)
	if err != nil {
		return nil, nil, err
	}
	typ, data, stream, err := b.object(off, 0)
	if err == nil && typ != plumbing.BlobObject {
		err = plumbing.ErrObjectNotFound
	}
	return data, stream, err
}

// object reads the object at off; a stream only at depth 0 (a base is
// always made whole).
func (b *packBlobs) object(off int64, depth int) (plumbing.ObjectType, []byte, io.Reader, error) {
	if e, ok := b.cache[off]; ok {
		b.lru.MoveToFront(e)
		c := e.Value.(*cached)
		return c.typ, c.data, nil, nil
	}
	if depth > maxDeltaDepth {
		return 0, nil, nil, malformed("delta chain longer than %d", maxDeltaDepth)
	}
	b.sec.off, b.sec.end = off, b.next(off)
	b.br.Reset(&b.sec)
	typ, size, err := readObjectHeader(b.br)
	if err != nil {
		return 0, nil, nil, err
	}
	var base int64
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		z, err := b.inflate()
		if err != nil {
			return 0, nil, nil, err
		}
		if depth == 0 && size > checkoutStreamOver {
			return typ, nil, io.LimitReader(z, size), nil
		}
		data := make([]byte, size)
		if _, err := io.ReadFull(z, data); err != nil {
			return 0, nil, nil, err
		}
		return typ, data, nil, nil
	case plumbing.OFSDeltaObject:
		if base, err = readBaseOffset(b.br, off); err != nil {
			return 0, nil, nil, err
		}
	case plumbing.REFDeltaObject:
		var ref plumbing.Hash
		if _, err := io.ReadFull(b.br, ref[:]); err != nil {
			return 0, nil, nil, err
		}
		if base, err = b.idx.FindOffset(ref); err != nil {
			return 0, nil, nil, err
		}
	default:
		return 0, nil, nil, malformed("object of unknown type %d at offset %d", typ, off)
	}
	z, err := b.inflate()
	if err != nil {
		return 0, nil, nil, err
	}
	delta := make([]byte, size)
	if _, err := io.ReadFull(z, delta); err != nil {
		return 0, nil, nil, err
	}
	btyp, bdata, _, err := b.object(base, depth+1)
	if err != nil {
		return 0, nil, nil, err
	}
	b.keep(base, btyp, bdata)
	out, err := patch(bdata, delta, off)
	return btyp, out, nil, err
}

// inflate starts inflating the object whose header b.br has just read.
func (b *packBlobs) inflate() (io.Reader, error) {
	var err error
	if b.zr == nil {
		b.zr, err = zlib.NewReader(b.br)
	} else {
		err = b.zr.(zlib.Resetter).Reset(b.br, nil)
	}
	return b.zr, err
}

// keep caches the base at off, dropping the least recently used beyond
// the budget.
func (b *packBlobs) keep(off int64, typ plumbing.ObjectType, data []byte) {
	if _, ok := b.cache[off]; ok || int64(len(data)) > b.budget/4 {
		return
	}
	b.cache[off] = b.lru.PushFront(&cached{off, typ, data})
	b.held += int64(len(data))
	for b.held > b.budget {
		e := b.lru.Back()
		c := e.Value.(*cached)
		b.lru.Remove(e)
		delete(b.cache, c.off)
		b.held -= int64(len(c.data))
	}
}

// patch applies delta (the one at offset at) to base.
func patch(base, delta []byte, at int64) ([]byte, error) {
	d := bytes.NewReader(delta)
	src, err := readDeltaSize(d)
	if err != nil {
		return nil, err
	}
	target, err := readDeltaSize(d)
	if err != nil {
		return nil, err
	}
	if src != int64(len(base)) || target > maxObjectSize {
		return nil, malformed("delta at offset %d does not fit its base", at)
	}
	out := make([]byte, target)
	for made := 0; made < len(out); {
		cmd, err := d.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("delta at offset %d: %w", at, err)
		}
		switch {
		case cmd&0x80 != 0:
			off, n, err := readCopy(d, cmd)
			if err != nil {
				return nil, fmt.Errorf("delta at offset %d: %w", at, err)
			}
			if off+n > int64(len(base)) || n > int64(len(out)-made) {
				return nil, malformed("delta at offset %d copies out of bounds", at)
			}
			made += copy(out[made:], base[off:off+n])
		case cmd != 0:
			if int(cmd) > len(out)-made {
				return nil, malformed("delta at offset %d inserts out of bounds", at)
			}
			if _, err := io.ReadFull(d, out[made:made+int(cmd)]); err != nil {
				return nil, fmt.Errorf("delta at offset %d: %w", at, err)
			}
			made += int(cmd)
		default:
			return nil, malformed("delta at offset %d has a reserved instruction", at)
		}
	}
	return out, nil
}
