package inputs

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

func load(t *testing.T, src string) *config.File {
	t.Helper()
	f, err := config.Parse("onboard.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// scripted answers a form from a map, recording what it was asked.
type scripted struct {
	answers map[string]string
	asked   []string
}

func (s *scripted) Ask(_ context.Context, qs []Question) (map[string]string, error) {
	for _, q := range qs {
		s.asked = append(s.asked, q.Name)
	}
	return s.answers, nil
}

func TestPrecedence(t *testing.T) {
	f := load(t, `version: 1
inputs:
  a: {prompt: A, default: "def-{{ .Env.WHO }}", ci: {set: c}}
`)
	tests := []struct {
		name string
		src  Sources
		want string
		from string
	}{
		{"--set wins", Sources{Set: map[string]string{"a": "s"}, Environ: []string{"ONBOARD_INPUT_A=e"}, Remembered: map[string]string{"a": "r"}}, "s", "--set"},
		{"then the environment", Sources{Environ: []string{"ONBOARD_INPUT_A=e"}, Remembered: map[string]string{"a": "r"}}, "e", "environment"},
		{"then CI's answer, in CI", Sources{Remembered: map[string]string{"a": "r"}, CI: true}, "c", "ci"},
		{"but not outside CI", Sources{Remembered: map[string]string{"a": "r"}}, "r", "remembered"},
		{"the environment beats CI's answer", Sources{Environ: []string{"ONBOARD_INPUT_A=e"}, CI: true}, "e", "environment"},
		{"then remembered", Sources{Remembered: map[string]string{"a": "r"}, Prompter: &scripted{}}, "r", "remembered"},
		{"then a person", Sources{Prompter: &scripted{answers: map[string]string{"a": "p"}}}, "p", "you"},
		{"--yes takes the default", Sources{Environ: []string{"WHO=me"}, Prompter: &scripted{}, Yes: true}, "def-me", "default"},
		{"no terminal takes the default", Sources{Environ: []string{"WHO=me"}}, "def-me", "default"},
	}
	for _, tt := range tests {
		got, err := Resolve(context.Background(), f, tt.src)
		if err != nil || got["a"].Value != tt.want || got["a"].From != tt.from {
			t.Errorf("%s: %+v, %v; want %q from %s", tt.name, got["a"], err, tt.want, tt.from)
		}
	}
}

func TestNeedsInputNamesFlagAndVariable(t *testing.T) {
	f := load(t, `version: 1
inputs:
  db_user: {prompt: User, pattern: "^[a-z]+$"}
  token: {prompt: Token, secret: true, generate: 16}
`)
	got, err := Resolve(context.Background(), f, Sources{})
	var ne *NeedsInputError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "--set db_user=…") || !strings.Contains(err.Error(), "ONBOARD_INPUT_DB_USER") {
		t.Fatalf("err = %v", err)
	}
	if len(got["token"].Value) != 16 || got["token"].From != "generated" {
		t.Errorf("generated token = %+v", got["token"])
	}
	_, err = Resolve(context.Background(), f, Sources{Set: map[string]string{"db_user": "Bad!"}})
	if err == nil || !strings.Contains(err.Error(), `input "db_user" from --set: must match ^[a-z]+$`) {
		t.Errorf("pattern: %v", err)
	}
}

func TestRememberedSecretsStayOutOfAnswersFile(t *testing.T) {
	dir := t.TempDir()
	in := map[string]Answer{
		"user":  {Value: "ada"},
		"token": {Value: "multi\nline=secret", Secret: true},
	}
	if err := SaveRemembered(dir, in); err != nil {
		t.Fatal(err)
	}
	plain, _ := os.ReadFile(dir + "/" + AnswersFile)
	if strings.Contains(string(plain), "secret") {
		t.Errorf("answers.yaml holds a secret: %s", plain)
	}
	if st, _ := os.Stat(dir + "/" + SecretsFile); st.Mode().Perm() != 0o600 {
		t.Errorf("secrets.env mode %v", st.Mode().Perm())
	}
	got, err := LoadRemembered(dir)
	if err != nil || got["user"] != "ada" || got["token"] != "multi\nline=secret" {
		t.Errorf("round trip: %v %q", err, got)
	}
}
