package config

import (
	"errors"
	"runtime"
	"testing"
	"time"
)

// A checklist comes from someone else's repository, so Parse must survive
// any bytes: no panic, no hang, no memory blow-up, and every problem placed
// at a real position.
const (
	maxParseTime  = time.Second
	maxParseAlloc = 64 << 20
)

// FuzzLoad fuzzes Parse. Its seed corpus is committed in
// testdata/fuzz/FuzzLoad (the testing package runs those files with every
// `go test`, and the fuzzer starts from them): valid and invalid
// checklists, deep nesting, alias bombs, a BOM, a NUL, invalid UTF-8, a
// 200 KiB scalar, merge keys, duplicate keys, an empty file. The checklists
// of the testscript scripts and of testdata/*.yaml are added as seeds too,
// so the fuzzer also starts from every case the suite knows.
func FuzzLoad(f *testing.F) {
	fixtures, _ := loadFixtures(f)
	for _, fx := range fixtures {
		f.Add(fx.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, elapsed, alloc, err := measureParse(data)
		if elapsed > maxParseTime {
			// On a loaded machine a worker can be descheduled in the middle
			// of a call: blame the input only if a second run is slow too.
			if _, again, _, _ := measureParse(data); again > maxParseTime {
				t.Fatalf("Parse took %v, then %v, on %d bytes (limit %v)", elapsed, again, len(data), maxParseTime)
			}
		}
		if alloc > maxParseAlloc {
			t.Fatalf("Parse allocated %d MiB on %d bytes (limit %d MiB)", alloc>>20, len(data), maxParseAlloc>>20)
		}
		if err == nil {
			if file == nil {
				t.Fatal("Parse returned neither a File nor an error")
			}
			if file.Version != 1 {
				t.Fatalf("Parse accepted a checklist of version %d", file.Version)
			}
			return
		}
		var list *ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("Parse returned %T, want *ErrorList: %v", err, err)
		}
		if list.Len() == 0 {
			t.Fatal("Parse returned an empty *ErrorList")
		}
		for _, e := range list.Errors {
			if e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Errorf("error at %d:%d, want a 1-based line and column: %s", e.Pos.Line, e.Pos.Col, e.Msg)
			}
		}
		_ = list.Error()
		_ = list.Render()
	})
}

// measureParse runs Parse once, timing it and counting what it allocates.
// Each fuzz worker is its own process running one input at a time, so the
// allocation counter moves only for this call.
func measureParse(data []byte) (file *File, elapsed time.Duration, alloc uint64, err error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	file, err = Parse("onboard.yaml", data)
	elapsed = time.Since(start)
	runtime.ReadMemStats(&after)
	return file, elapsed, after.TotalAlloc - before.TotalAlloc, err
}
