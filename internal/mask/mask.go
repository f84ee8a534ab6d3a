// Package mask hides secret values in everything onboard shows or keeps:
// terminal output, logs, --json events, state, diffs and error messages.
package mask

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Replacement is what a secret becomes.
const Replacement = "****"

// minLen is the shortest value worth masking: replacing every "a" in the
// output would hide more than it protects.
const minLen = 3

// Masker replaces known secret values. The zero value masks nothing.
type Masker struct {
	r *strings.Replacer
	// longest is the longest value masked: a writer holds back one byte
	// less, so a value split across writes is whole before it is written.
	longest int
}

// New returns a Masker for these values. A multi-line value is also masked
// line by line, because output is often cut at line ends.
func New(secrets []string) *Masker {
	var vals []string
	seen := map[string]bool{}
	add := func(v string) {
		v = strings.TrimRight(v, "\r")
		if len(v) >= minLen && !seen[v] {
			seen[v] = true
			vals = append(vals, v)
		}
	}
	for _, s := range secrets {
		add(s)
		if strings.Contains(s, "\n") {
			for _, line := range strings.Split(s, "\n") {
				add(line)
			}
		}
		// The forms a secret takes when a template or a program encodes
		// it (b64enc, a URL, a hex dump) are secrets too.
		if len(s) >= minLen {
			add(base64.StdEncoding.EncodeToString([]byte(s)))
			add(base64.RawStdEncoding.EncodeToString([]byte(s)))
			add(base64.URLEncoding.EncodeToString([]byte(s)))
			add(base64.RawURLEncoding.EncodeToString([]byte(s)))
			add(hex.EncodeToString([]byte(s)))
			add(url.QueryEscape(s))
			add(url.PathEscape(s))
		}
	}
	if len(vals) == 0 {
		return &Masker{}
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	pairs := make([]string, 0, 2*len(vals))
	for _, v := range vals {
		pairs = append(pairs, v, Replacement)
	}
	return &Masker{r: strings.NewReplacer(pairs...), longest: len(vals[0])}
}

// String masks s.
func (m *Masker) String(s string) string {
	if m == nil || m.r == nil {
		return s
	}
	return m.r.Replace(s)
}

// Writer masks what is written to w as it is written, so that no secret
// reaches w (a log on disk) even if onboard is killed the next moment. Of
// a line not ended yet it holds back the last len(longest secret)-1 bytes
// until more arrive or Close, so a value split across writes is whole
// before it is masked; ended lines go out at once.
// It is safe for concurrent use.
func (m *Masker) Writer(w io.Writer) io.WriteCloser {
	if m == nil || m.r == nil {
		return nopCloser{w}
	}
	return &writer{m: m, w: w}
}

type writer struct {
	mu      sync.Mutex
	m       *Masker
	w       io.Writer
	pending string // masked text not written yet: it may end in part of a secret
}

func (mw *writer) Write(p []byte) (int, error) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	text := mw.m.r.Replace(mw.pending + string(p))
	keep := mw.m.longest - 1
	if keep > len(text) {
		keep = len(text)
	}
	cut := len(text) - keep
	// A secret's line cannot go on past a line end (each line of a
	// multi-line secret is masked on its own), so whole lines go out at
	// once: a service's "ready" line is not held back until its next one.
	if nl := strings.LastIndexByte(text, '\n'); nl+1 > cut {
		cut = nl + 1
	}
	out := text[:cut]
	mw.pending = text[cut:]
	if out == "" {
		return len(p), nil
	}
	if _, err := io.WriteString(mw.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close writes what was held back, masked. It does not close w.
func (mw *writer) Close() error {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	if mw.pending == "" {
		return nil
	}
	_, err := io.WriteString(mw.w, mw.m.r.Replace(mw.pending))
	mw.pending = ""
	return err
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
