package mask

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
)

func TestMasker(t *testing.T) {
	m := New([]string{"hunter2", "hunter2-long", "line one\nline two", "ab", ""})
	tests := map[string]string{
		"pw=hunter2.":              "pw=****.",
		"hunter2-long and hunter2": "**** and ****",
		"key:\nline one\nline two": "key:\n****",
		"only line two here":       "only **** here",
		"ab is too short to mask":  "ab is too short to mask",
		"nothing secret":           "nothing secret",
	}
	for in, want := range tests {
		if got := m.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	var zero *Masker
	if zero.String("hunter2") != "hunter2" || New(nil).String("x") != "x" {
		t.Error("an empty masker must change nothing")
	}
}

// TestWriterMasksAsWritten: a secret written in pieces never reaches the
// underlying writer, at any moment, and all the text does once closed.
func TestWriterMasksAsWritten(t *testing.T) {
	m := New([]string{"s3cr3t-value"})
	var disk strings.Builder
	w := m.Writer(&disk)
	in := []string{"token: s3c", "r3t-va", "lue and more s3", "cr3t-value\n", "tail"}
	for _, piece := range in {
		if _, err := w.Write([]byte(piece)); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(disk.String(), "s3cr3t") || strings.Contains(disk.String(), "r3t-va") {
			t.Fatalf("a piece of the secret reached the disk: %q", disk.String())
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := disk.String(), "token: **** and more ****\ntail"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestEncodedForms: base64, hex and URL-encoded forms are masked too.
func TestEncodedForms(t *testing.T) {
	secret := "pa ss/w+rd"
	m := New([]string{secret})
	for _, enc := range []string{
		base64.StdEncoding.EncodeToString([]byte(secret)),
		hex.EncodeToString([]byte(secret)),
		url.QueryEscape(secret),
	} {
		if got := m.String("x=" + enc); got != "x=****" {
			t.Errorf("%q: got %q", enc, got)
		}
	}
}

// TestWriterLetsEndedLinesThrough: a whole line is written at once, so a
// service's last line shows without waiting for its next one.
func TestWriterLetsEndedLinesThrough(t *testing.T) {
	var disk strings.Builder
	w := New([]string{"a-rather-long-secret-value"}).Writer(&disk)
	_, _ = w.Write([]byte("listening on 5432\nnext"))
	if disk.String() != "listening on 5432\n" {
		t.Errorf("held back an ended line: %q", disk.String())
	}
}
