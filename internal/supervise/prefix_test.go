package supervise

import (
	"bytes"
	"testing"
)

// Foreground output: whole lines only, each prefixed with the service
// name, a line split across writes joined first. (The coloured prefix is
// internal/ui's, tested there.)
func TestPrefixerWholeLines(t *testing.T) {
	var out bytes.Buffer
	p := newPrefixer(&out, PlainPrefix("postgres"))
	for _, w := range []string{"database sys", "tem is ready\nsecond", " line\n"} {
		if _, err := p.Write([]byte(w)); err != nil {
			t.Fatal(err)
		}
	}
	want := "postgres   | database system is ready\npostgres   | second line\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}

}
