package gitx

import (
	"sync"

	"github.com/go-git/go-billy/v5"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// packOpener is the repository's .git, where checkoutHead's workers open
// the pack: its storage lists the packs, its filesystem opens them.
type packOpener struct {
	fs    billy.Filesystem
	packs func() ([]plumbing.Hash, error)
}

// blobGetter reads one blob.
type blobGetter func(plumbing.Hash) (plumbing.EncodedObject, error)

// blobReaders are the checkout workers' readers of blobs, one each.
type blobReaders struct {
	get    []blobGetter
	closer []func() error
}

func (b *blobReaders) close() {
	for _, c := range b.closer {
		_ = c()
	}
}

// newBlobReaders gives n workers a reader each. go-git's pack reader
// (packfile.Packfile) seeks one file and caches what it inflates without
// a lock, so each worker gets its own, on its own descriptor of the pack,
// sharing the pack's index (idxfile.MemoryIndex locks its own state).
// Their caches share checkoutCache between them, so memory stays what one
// reader took. A clone has one pack; with any other number the workers
// share the repository's storage, one read at a time.
func newBlobReaders(r *git.Repository, dot packOpener, n int) (*blobReaders, error) {
	b := &blobReaders{}
	packs, err := dot.packs()
	if err != nil || len(packs) != 1 {
		var mu sync.Mutex
		get := func(h plumbing.Hash) (plumbing.EncodedObject, error) {
			mu.Lock()
			defer mu.Unlock()
			return r.Storer.EncodedObject(plumbing.BlobObject, h)
		}
		for range n {
			b.get = append(b.get, get)
		}
		return b, nil
	}
	name := packDir + "/pack-" + packs[0].String()
	f, err := dot.fs.Open(name + ".idx")
	if err != nil {
		return nil, err
	}
	idx := idxfile.NewMemoryIndex()
	err = idxfile.NewDecoder(f).Decode(idx)
	f.Close()
	if err != nil {
		return nil, err
	}
	for range n {
		pf, err := dot.fs.Open(name + ".pack")
		if err != nil {
			b.close()
			return nil, err
		}
		p := packfile.NewPackfileWithCache(idx, dot.fs, pf, cache.NewObjectLRU(checkoutCache/cache.FileSize(n)), checkoutStreamOver)
		b.closer = append(b.closer, p.Close)
		b.get = append(b.get, func(h plumbing.Hash) (plumbing.EncodedObject, error) {
			obj, err := p.Get(h)
			if err == nil && obj.Type() != plumbing.BlobObject {
				return nil, plumbing.ErrObjectNotFound
			}
			return obj, err
		})
	}
	return b, nil
}
