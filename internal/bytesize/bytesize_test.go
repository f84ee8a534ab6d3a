package bytesize

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{"4096": 4096, "10GiB": 10 << 30, "512m": 512 << 20, "1.5g": 3 << 29, "2T": 2 << 40, "7b": 7} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "10 GiBs", "-1G", "0.5"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
	if got := Format(10 << 30); got != "10 GiB" {
		t.Errorf("Format = %q", got)
	}
}
