package gitx

import (
	"bytes"
	"errors"
	"fmt"
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

// errThinPack: a delta's base is not in the pack. A clone's pack is never
// thin; a fetch into an existing repository would need the repository's
// objects, which this indexer does not read.
var errThinPack = fmt.Errorf("%w: a delta's base is not in the pack", packfile.ErrMalformedPackFile)

// packObject is one entry of a pack while it is indexed.
type packObject struct {
	offset  int64
	crc     uint32
	typ     plumbing.ObjectType // of a delta: its base's, once resolved
	hash    plumbing.Hash       // of a delta: once resolved
	base    int                 // an offset delta's base, an index into the objects; -1 otherwise
	ref     plumbing.Hash       // a reference delta's base
	delta   []byte              // a delta's instructions, inflated; dropped once applied
	claimed atomic.Bool         // a delta taken for resolution, so that none is resolved twice
}

// indexPack reads a whole pack from b and returns its checksum and index,
// the job of git index-pack. It replaces go-git's packfile.Parser, which
// inflates every object two or three times and patches every delta twice:
// here the first pass, as the pack arrives, inflates each object once,
// hashes the whole ones and keeps the deltas' instructions; the second
// inflates again only the bases that have deltas and applies each delta
// once, down each base's delta tree, one tree per CPU at a time.
// The first pass reads b as it grows; the second reads the bases again,
// through a reader of its own per worker.
func indexPack(b *packBuffer) (plumbing.Hash, *idxfile.Writer, error) {
	s := packfile.NewScanner(b.reader())
	_, count, err := s.Header()
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	objs := make([]*packObject, 0, min(count, 1<<16))
	for range count {
		o, err := nextPackObject(s, objs)
		if err != nil {
			return plumbing.ZeroHash, nil, packErr(err)
		}
		objs = append(objs, o)
	}
	sum, err := s.Checksum()
	if err != nil {
		return plumbing.ZeroHash, nil, packErr(err)
	}
	if err := resolveDeltas(b, objs); err != nil {
		return plumbing.ZeroHash, nil, packErr(err)
	}
	idx := new(idxfile.Writer)
	_ = idx.OnHeader(count)
	for _, o := range objs {
		idx.Add(o.hash, uint64(o.offset), o.crc)
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

// nextPackObject reads the next object in the first pass; objs are those
// before it, in pack order.
func nextPackObject(s *packfile.Scanner, objs []*packObject) (*packObject, error) {
	oh, err := s.NextObjectHeader()
	if err != nil {
		return nil, err
	}
	o := &packObject{offset: oh.Offset, typ: oh.Type, base: -1}
	switch oh.Type {
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
		if oh.Type == plumbing.OFSDeltaObject {
			// Objects are in offset order, and a base comes before its delta.
			i := sort.Search(len(objs), func(i int) bool { return objs[i].offset >= oh.OffsetReference })
			if i == len(objs) || objs[i].offset != oh.OffsetReference {
				return nil, fmt.Errorf("%w: no object at a delta's base offset %d", packfile.ErrMalformedPackFile, oh.OffsetReference)
			}
			o.base = i
		} else {
			o.ref = oh.Reference
		}
		var buf bytes.Buffer
		if _, o.crc, err = s.NextObject(&buf); err != nil {
			return nil, err
		}
		o.delta = buf.Bytes()
	default:
		h := plumbing.NewHasher(oh.Type, oh.Length)
		if _, o.crc, err = s.NextObject(h); err != nil {
			return nil, err
		}
		o.hash = h.Sum()
	}
	return o, nil
}

// deltaTrees is who is whose base: children by base index for offset
// deltas and by base hash for reference deltas.
type deltaTrees struct {
	byIndex map[int][]int
	byHash  map[plumbing.Hash][]int
}

func (t *deltaTrees) children(i int, h plumbing.Hash) [][]int {
	return [][]int{t.byIndex[i], t.byHash[h]}
}

// resolveDeltas gives every delta its type and hash, one base's tree of
// deltas per worker at a time.
func resolveDeltas(b *packBuffer, objs []*packObject) error {
	trees := &deltaTrees{byIndex: map[int][]int{}, byHash: map[plumbing.Hash][]int{}}
	deltas := 0
	for i, o := range objs {
		switch {
		case o.base >= 0:
			trees.byIndex[o.base] = append(trees.byIndex[o.base], i)
		case o.typ == plumbing.REFDeltaObject:
			trees.byHash[o.ref] = append(trees.byHash[o.ref], i)
		default:
			continue
		}
		deltas++
	}
	if deltas == 0 {
		return nil
	}
	var roots []int
	for i, o := range objs {
		if !o.typ.IsDelta() && (len(trees.byIndex[i]) > 0 || len(trees.byHash[o.hash]) > 0) {
			roots = append(roots, i)
		}
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
	)
	workers := min(runtime.GOMAXPROCS(0), len(roots))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := packfile.NewScanner(b.reader())
			var base bytes.Buffer
			for {
				n := int(next.Add(1) - 1)
				if n >= len(roots) {
					return
				}
				o := objs[roots[n]]
				base.Reset()
				err := readPackObject(s, o.offset, &base)
				if err == nil {
					err = resolveTree(objs, trees, roots[n], o.typ, base.Bytes(), 0)
				}
				if err != nil {
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
	for _, o := range objs {
		if o.typ.IsDelta() {
			return errThinPack
		}
	}
	return nil
}

// readPackObject inflates the whole object at offset into w.
func readPackObject(s *packfile.Scanner, offset int64, w io.Writer) error {
	if _, err := s.SeekObjectHeader(offset); err != nil {
		return err
	}
	_, _, err := s.NextObject(w)
	return err
}

// resolveTree applies, depth first, every delta whose base is objs[i],
// whose content is content.
func resolveTree(objs []*packObject, trees *deltaTrees, i int, typ plumbing.ObjectType, content []byte, depth int) error {
	if depth >= maxDeltaDepth {
		return fmt.Errorf("%w: delta chain longer than %d", packfile.ErrMalformedPackFile, maxDeltaDepth)
	}
	for _, kids := range trees.children(i, objs[i].hash) {
		for _, c := range kids {
			o := objs[c]
			if !o.claimed.CompareAndSwap(false, true) {
				continue // a duplicate base reached it already
			}
			target, err := packfile.PatchDelta(content, o.delta)
			if err != nil {
				return fmt.Errorf("%w: delta at offset %d: %w", packfile.ErrMalformedPackFile, o.offset, err)
			}
			h := plumbing.NewHasher(typ, int64(len(target)))
			_, _ = h.Write(target)
			o.hash, o.typ, o.delta = h.Sum(), typ, nil
			if err := resolveTree(objs, trees, c, typ, target, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
