package trust

import (
	"path/filepath"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

// BenchmarkDigestThisRepository is the trust gate's cost on every run of
// onboard in this repository: go test ./internal/trust -run '^$' -bench Digest.
func BenchmarkDigestThisRepository(b *testing.B) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	f, err := config.Load(filepath.Join(root, config.FileName))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := Digest(f, root); err != nil {
			b.Fatal(err)
		}
	}
}
