package gitx

import (
	"bytes"
	"io"
	"sync"

	"github.com/go-git/go-billy/v5"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// packOpener is the repository's .git, where checkoutHead's workers open
// the pack: its storage lists the packs, its filesystem opens them.
type packOpener struct {
	fs    billy.Filesystem
	packs func() ([]plumbing.Hash, error)
}

// blobGetter opens blob h for reading.
type blobGetter func(h plumbing.Hash) (io.ReadCloser, error)

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

// newBlobReaders gives n workers a reader each: a packBlobs on the
// pack, all sharing its index, their caches sharing checkoutCache. A
// clone has one pack; with any other number the workers share the
// repository's storage, one read at a time (go-git's readers keep state
// without a lock).
func newBlobReaders(r *git.Repository, dot packOpener, n int) (*blobReaders, error) {
	b := &blobReaders{}
	packs, err := dot.packs()
	if err != nil || len(packs) != 1 {
		var mu sync.Mutex
		get := func(h plumbing.Hash) (io.ReadCloser, error) {
			mu.Lock()
			defer mu.Unlock()
			obj, err := r.Storer.EncodedObject(plumbing.BlobObject, h)
			if err != nil {
				return nil, err
			}
			return obj.Reader()
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
	fi, err := dot.fs.Stat(name + ".pack")
	if err != nil {
		return nil, err
	}
	pi, err := newPackIndex(idx, fi.Size())
	if err != nil {
		return nil, err
	}
	for range n {
		pf, err := dot.fs.Open(name + ".pack")
		if err != nil {
			b.close()
			return nil, err
		}
		b.closer = append(b.closer, pf.Close)
		pb := newPackBlobs(pi, pf, int64(checkoutCache)/int64(n))
		b.get = append(b.get, func(h plumbing.Hash) (io.ReadCloser, error) {
			data, stream, err := pb.blob(h)
			if err != nil {
				return nil, err
			}
			if stream != nil {
				return io.NopCloser(stream), nil
			}
			return io.NopCloser(bytes.NewReader(data)), nil
		})
	}
	return b, nil
}
