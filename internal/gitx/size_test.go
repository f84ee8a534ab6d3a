package gitx

import "testing"

// Sizes read as git (--max-pack-size=512m) and docker (--memory 512m)
// read them: units are powers of 1024, in any case, with or without
// "i" and "b".
func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "4096": 4096, "4096b": 4096, "4096B": 4096,
		"1k": 1 << 10, "1K": 1 << 10, "1kb": 1 << 10, "1KiB": 1 << 10,
		"512m": 512 << 20, "512M": 512 << 20, "512MB": 512 << 20, "512MiB": 512 << 20, "512 MiB": 512 << 20,
		"4g": 4 << 30, "4GiB": 4 << 30, "1.5g": 3 << 29, "2t": 2 << 40, " 8GiB ": 8 << 30,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1x", "m", "1.5", "0.5b", "1mm", "1ib", "1 2", "1e9", "9999999t", "1.g", ".5g"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 byte", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB",
		4 << 30: "4 GiB", 1 << 40: "1 TiB", 3<<20 + 1: "3.0 MiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
