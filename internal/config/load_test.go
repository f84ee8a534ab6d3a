package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(deep); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Find with no checklist: %v, want ErrNotFound", err)
	}
	want := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(want, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Find(deep)
	if err != nil || got != want {
		t.Fatalf("Find = %q, %v; want %q", got, err, want)
	}
}

func TestParseKeepsPositions(t *testing.T) {
	src := `version: 1
tools:
  go: ">= 1.22"
steps:
  - id: deps
    run: [go, mod, download]
    timeout: 2m
services:
  db:
    run: postgres
    ready: {tcp: "127.0.0.1:5432"}
  api:
    run: ./api
    depends_on: [db]
`
	f, err := Parse("onboard.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Tools[0].Version; got.Value != ">= 1.22" || got.Pos != (Pos{3, 7}) {
		t.Errorf("tool version = %+v", got)
	}
	s := f.Steps[0]
	if s.ID.Pos != (Pos{5, 9}) || s.Kind != KindRun || strings.Join(s.Run.Argv, " ") != "go mod download" || s.Run.Pos != (Pos{6, 10}) {
		t.Errorf("step = %+v", s)
	}
	if s.Timeout.Value.Minutes() != 2 {
		t.Errorf("timeout = %v", s.Timeout.Value)
	}
	api := f.Services[1]
	if len(api.DependsOn) != 1 || api.DependsOn[0].Condition.Value != Started || api.DependsOn[0].Name.Pos != (Pos{14, 18}) {
		t.Errorf("depends_on = %+v", api.DependsOn)
	}
}

func TestMergeKeys(t *testing.T) {
	src := `version: 1
x-base: &base
  run: ./server
  restart: on-failure
services:
  a:
    <<: *base
    restart: always
  b:
    <<: *base
`
	_, err := Parse("onboard.yaml", []byte(src))
	// x-base is not a checklist key; everything else merges cleanly.
	var l *ErrorList
	if !errors.As(err, &l) || l.Len() != 1 || !strings.Contains(l.Errors[0].Msg, `unknown key "x-base"`) {
		t.Fatalf("err = %v", err)
	}
	src = strings.Replace(src, "x-base: &base\n  run: ./server\n  restart: on-failure\n", "", 1)
	src = strings.Replace(src, "  a:\n    <<: *base", "  a: &base\n    run: ./server", 1)
	f, err := Parse("onboard.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Services[1].Run.Shell != "./server" || f.Services[1].Restart.Value != "always" {
		t.Errorf("merged service b = %+v", f.Services[1])
	}
}
