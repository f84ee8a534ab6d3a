package gitx

import (
	"fmt"

	"github.com/onboard-dev/onboard/internal/bytesize"
)

// ParseSize reads a size as git and docker users write one: a number of
// bytes, optionally followed by a unit k, m, g or t in either case, with
// or without "i" and "b" after it: 512m, 512M, 512MB, 512MiB, 1.5g, 4096,
// 4096b. Every unit is a power of 1024, as git reads --max-pack-size=512m
// and docker reads --memory 512m: 1k is 1024 bytes, 1MB is 1 MiB.
func ParseSize(s string) (int64, error) {
	n, err := bytesize.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("size %q: want a number of bytes, optionally with k, m, g or t after it (512m, 4GiB)", s)
	}
	return n, nil
}

// FormatSize writes n bytes as people read them: 4 GiB, 1.5 MiB, 300 bytes.
func FormatSize(n int64) string { return bytesize.Format(n) }
