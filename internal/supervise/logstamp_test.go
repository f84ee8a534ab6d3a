package supervise

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// Every line of a service's log starts with its stamp, also when a line
// arrives in pieces or several lines in one write; onboard's own lines go
// on a line of their own even in the middle of a service's line.
func TestStampedLogStampsEveryLine(t *testing.T) {
	var buf bytes.Buffer
	l := newStampedLog(nopCloser{&buf})
	clock := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	for _, w := range []string{"one\ntwo\n", "thr", "ee\n", "part"} {
		if n, err := l.Write([]byte(w)); n != len(w) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", w, n, err)
		}
	}
	l.line("[onboard] started (pid 7)")
	if _, err := l.Write([]byte("ial\n")); err != nil {
		t.Fatal(err)
	}
	want := "2026-03-04T10:00:01.000000Z one\n" +
		"2026-03-04T10:00:01.000000Z two\n" +
		"2026-03-04T10:00:02.000000Z three\n" +
		"2026-03-04T10:00:04.000000Z part\n" +
		"2026-03-04T10:00:05.000000Z [onboard] started (pid 7)\n" +
		"2026-03-04T10:00:06.000000Z ial\n"
	if buf.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestSplitLogStamp(t *testing.T) {
	at := time.Date(2026, 3, 4, 10, 0, 1, 123456000, time.FixedZone("", 3600))
	for _, tc := range []struct {
		line, text string
		ok         bool
	}{
		{at.Format(LogStampLayout) + " hello world", "hello world", true},
		{at.UTC().Format(LogStampLayout) + " ", "", true},
		{at.UTC().Format(LogStampLayout) + " 2026-01-01T00:00:00Z own stamp", "2026-01-01T00:00:00Z own stamp", true},
		// Lines of a log written before stamps, kept whole.
		{"hello world", "hello world", false},
		{"2026-03-04T10:00:01Z short stamp of the service", "2026-03-04T10:00:01Z short stamp of the service", false},
		{"", "", false},
	} {
		got, text, ok := SplitLogStamp(tc.line)
		if text != tc.text || ok != tc.ok || (ok && !got.Equal(at)) {
			t.Errorf("SplitLogStamp(%q) = %v, %q, %v; want %q, %v", tc.line, got, text, ok, tc.text, tc.ok)
		}
	}
	// The stamp is as wide as the layout says, in any zone.
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("", -5*3600)} {
		s := at.In(loc).Format(LogStampLayout)
		if _, _, ok := SplitLogStamp(s + " x"); !ok || strings.Contains(s, " ") {
			t.Errorf("%q is not a stamp SplitLogStamp reads", s)
		}
	}
}
