package supervise

import (
	"bytes"
	"testing"
)

// Foreground output: whole lines only, each prefixed with the service name
// (coloured on a terminal), a line split across writes joined first.
func TestPrefixerWholeLines(t *testing.T) {
	var out bytes.Buffer
	p := newPrefixer(&out, "postgres", 0, false)
	for _, w := range []string{"database sys", "tem is ready\nsecond", " line\n"} {
		if _, err := p.Write([]byte(w)); err != nil {
			t.Fatal(err)
		}
	}
	want := "postgres   | database system is ready\npostgres   | second line\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}

	out.Reset()
	c := newPrefixer(&out, "redis", 1, true)
	_, _ = c.Write([]byte("ready\n"))
	if want := "\x1b[33mredis      |\x1b[0m ready\n"; out.String() != want {
		t.Errorf("coloured: got %q, want %q", out.String(), want)
	}
}
