package gitx

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// sizeRE is a size: a number, then optionally a unit (k, m, g, t, with or
// without "i" and "b" after it) or "b" alone, in any case.
var sizeRE = regexp.MustCompile(`(?i)^([0-9]+(?:\.[0-9]+)?) ?(?:([kmgt])(?:i?b)?|b)?$`)

// ParseSize reads a size as git and docker users write one: a number of
// bytes, optionally followed by a unit k, m, g or t in either case, with
// or without "i" and "b" after it: 512m, 512M, 512MB, 512MiB, 1.5g, 4096,
// 4096b. Every unit is a power of 1024, as git reads --max-pack-size=512m
// and docker reads --memory 512m: 1k is 1024 bytes, 1MB is 1 MiB.
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("size %q: want a number of bytes, optionally with k, m, g or t after it (512m, 4GiB)", s)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	shift := map[string]uint{"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[strings.ToLower(m[2])]
	v := f * float64(uint64(1)<<shift)
	switch {
	case v >= math.MaxInt64:
		return 0, fmt.Errorf("size %q is too large", s)
	case v != math.Trunc(v):
		return 0, fmt.Errorf("size %q is not a whole number of bytes", s)
	}
	return int64(v), nil
}

// FormatSize writes n bytes as people read them: 4 GiB, 1.5 MiB, 300 bytes.
func FormatSize(n int64) string {
	if n < 1024 {
		if n == 1 {
			return "1 byte"
		}
		return strconv.FormatInt(n, 10) + " bytes"
	}
	v, unit := float64(n), ""
	for _, unit = range []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"} {
		v /= 1024
		if v < 1024 {
			break
		}
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f %s", v, unit)
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}
