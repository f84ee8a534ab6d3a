package inputs

import (
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

// Explain names the source of each answer in Resolve's order, and neither
// asks nor generates anything.
func TestExplain(t *testing.T) {
	f, err := config.Parse("onboard.yaml", []byte(`version: 1
inputs:
  a: {prompt: A}
  b: {prompt: B}
  c: {prompt: C}
  d: {prompt: D, default: "x-{{ .Project }}"}
  e: {prompt: E, secret: true, generate: 8}
  f: {prompt: F}
  g: {prompt: G}
  h: {prompt: H, secret: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Explain(f, Sources{
		Set:        map[string]string{"a": "set"},
		Environ:    []string{"ONBOARD_INPUT_A=env", "ONBOARD_INPUT_B=env", "ONBOARD_INPUT_G=same", "ONBOARD_INPUT_H=env-Secret"},
		Remembered: map[string]string{"b": "old", "c": "old", "g": "same", "h": "old-Secret"},
		Project:    "p",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Name: "a", Value: "set", From: "--set"},
		{Name: "b", Value: "env", From: "environment (ONBOARD_INPUT_B, which wins over the remembered answer old)"},
		{Name: "c", Value: "old", From: "remembered"},
		{Name: "d", Value: "x-p", From: "default (asked on the next up on a terminal)"},
		{Name: "e", Secret: true, From: "generated on the next up (unless you answer on a terminal)"},
		{Name: "f", From: "asked on the next up"},
		{Name: "g", Value: "same", From: "environment (ONBOARD_INPUT_G)"},
		{Name: "h", Value: "env-Secret", Secret: true, From: "environment (ONBOARD_INPUT_H, which wins over the remembered answer ****)"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
