package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/gitx"
)

func TestProgressPlain(t *testing.T) {
	var out bytes.Buffer
	p := gitx.NewProgress(newCloneProgress(&out, false, style{}))
	// git writes progress with \r between updates, split anywhere.
	in := "Cloning into 'x'...\nremote: Counting objects:  50% (5/10)\rremote: Counting objects: 100% (10/10), done.\n" +
		"Receiving objects:  10% (100/1000)\rReceiving objects:  30% (300/1000), 1.00 MiB | 2.00 MiB/s\rReceiving ob" +
		"jects:  31% (310/1000)\rReceiving objects: 100% (1000/1000), 3.50 MiB | 2.10 MiB/s, done.\nwarning: something odd\n"
	for _, chunk := range []string{in[:17], in[17:90], in[90:]} {
		if _, err := p.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	_ = p.Close()
	want := "  counting objects: 50% (5/10)\n" +
		"  counting objects: 100% (10/10)\n" +
		"  receiving objects: 10% (100/1000)\n" +
		"  receiving objects: 30% (300/1000), 1.00 MiB, 2.00 MiB/s\n" +
		"  receiving objects: 100% (1000/1000), 3.50 MiB, 2.10 MiB/s\n" +
		"warning: something odd\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestProgressTerminal(t *testing.T) {
	var out bytes.Buffer
	p := gitx.NewProgress(newCloneProgress(&out, true, style{}))
	_, _ = p.Write([]byte("Receiving objects:  50% (500/1000), 1.00 MiB | 2.00 MiB/s\r"))
	_, _ = p.Write([]byte("error: boom\n"))
	_ = p.Close()
	got := out.String()
	for _, want := range []string{"\r\033[K", "████████████░░░░░░░░░░░░", " 50% receiving objects 500/1000 · 1.00 MiB · 2.00 MiB/s", "\r\033[Kerror: boom\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%q", want, got)
		}
	}
}
