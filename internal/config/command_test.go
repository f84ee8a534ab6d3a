package config

import "testing"

func TestCommandStringQuotesWhatWouldMislead(t *testing.T) {
	for _, tc := range []struct {
		c    Command
		want string
	}{
		{Command{Shell: "go mod download"}, "go mod download"},
		{Command{Argv: []string{"redis-server", "--save", "", "--port", "6380"}}, `redis-server --save "" --port 6380`},
		{Command{Argv: []string{"sh", "-c", "echo $HOME"}}, `sh -c "echo $HOME"`},
		{Command{Argv: []string{"printf", "a\nb"}}, `printf "a\nb"`},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%#v: %s, want %s", tc.c, got, tc.want)
		}
	}
}
