package gitx

import (
	"io"
	"sort"
	"sync/atomic"
)

// Deltas' instructions kept from the first pass of indexPack for the
// second: a delta's instructions are a few hundred bytes, and inflating
// them again (a zlib stream's setup, for each) was half of applying the
// deltas in the second pass on the bench's 5,000-commit pack. Up to
// deltaKeepBudget bytes of them are kept, in chunks of deltaKeepChunk;
// the second pass inflates the others again from the pack, as before.
const (
	deltaKeepMax   = 64 << 10 // one delta's instructions, at most
	deltaKeepChunk = 1 << 20
)

var (
	deltaKeepBudget int64 = 16 << 20 // a variable for tests
	// keptDeltas counts the deltas kept, for tests.
	keptDeltas atomic.Int64
)

// keptDelta is one delta's instructions, kept.
type keptDelta struct {
	obj  int32 // its index among the pack's objects
	inst []byte
}

// deltaKeep is what the first pass keeps: kept in the objects' order,
// so that the second pass finds one by binary search.
type deltaKeep struct {
	kept  []keptDelta
	chunk []byte // the chunk being filled; earlier ones are in kept
	held  int64
	tee   teeReader
}

// teeReader copies what it reads into dst, up to its capacity: over it,
// the delta is more than its header says, and is not kept.
type teeReader struct {
	r    io.Reader
	dst  []byte
	over bool
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if len(t.dst)+n > cap(t.dst) {
		t.over = true
	} else {
		t.dst = append(t.dst, p[:n]...)
	}
	return n, err
}

// reader is r, copied as it is read when a delta of size bytes of
// instructions may be kept; ok says whether it is.
func (k *deltaKeep) reader(r io.Reader, size int64) (io.Reader, bool) {
	if size > deltaKeepMax || k.held+size > deltaKeepBudget {
		return r, false
	}
	if int64(cap(k.chunk)-len(k.chunk)) < size {
		k.chunk = make([]byte, 0, max(deltaKeepChunk, size))
	}
	k.tee = teeReader{r: r, dst: k.chunk[len(k.chunk) : len(k.chunk) : len(k.chunk)+int(size)]}
	return &k.tee, true
}

// keep keeps what reader copied, object i's size bytes of instructions.
func (k *deltaKeep) keep(i int32, size int64) {
	if k.tee.over || int64(len(k.tee.dst)) != size {
		return
	}
	k.kept = append(k.kept, keptDelta{i, k.tee.dst})
	k.chunk = k.chunk[:len(k.chunk)+int(size)]
	k.held += size
	keptDeltas.Add(1)
}

// of is object i's instructions, if kept.
func (k *deltaKeep) of(i int32) ([]byte, bool) {
	n := sort.Search(len(k.kept), func(j int) bool { return k.kept[j].obj >= i })
	if n < len(k.kept) && k.kept[n].obj == i {
		return k.kept[n].inst, true
	}
	return nil, false
}
