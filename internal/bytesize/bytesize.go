// Package bytesize reads and writes sizes as git and docker users write
// them (512m, 10GiB): every unit a power of 1024. It imports nothing
// heavy, so the checklist loader can use it; gitx's --max-pack-size reads
// through it too.
package bytesize

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// sizeRE is a size: a number, then optionally a unit (k, m, g, t, with or
// without "i" and "b" after it) or "b" alone, in any case.
var sizeRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^([0-9]+(?:\.[0-9]+)?) ?(?:([kmgt])(?:i?b)?|b)?$`)
})

// Parse reads a size: 512m, 512MB, 10GiB, 1.5g, 4096. 1k is 1024 bytes.
func Parse(s string) (int64, error) {
	m := sizeRE().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not a size; write it like 500MiB or 10GiB", s)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size: %w", s, err)
	}
	shift := map[string]uint{"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[strings.ToLower(m[2])]
	v := f * float64(uint64(1)<<shift)
	switch {
	case v >= math.MaxInt64:
		return 0, fmt.Errorf("%q is too large", s)
	case v != math.Trunc(v):
		return 0, fmt.Errorf("%q is not a whole number of bytes", s)
	}
	return int64(v), nil
}

// Format writes n bytes as people read them: 4 GiB, 1.5 MiB, 300 bytes.
func Format(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	if n < 1024 {
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
