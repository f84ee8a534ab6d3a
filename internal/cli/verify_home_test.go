package cli

import (
	"path/filepath"
	"testing"
)

func TestUnder(t *testing.T) {
	home := filepath.FromSlash("/home/ada")
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/home/ada/.cargo/bin/cargo", true},
		{"/home/ada/x", true},
		{"/home/ada", false},        // HOME itself is not a program under it
		{"/home/adam/bin/x", false}, // a sibling sharing the prefix
		{"/home/ada/../bob/x", false},
		{"/usr/bin/git", false},
		{"/home/..ada/x", false},
	} {
		if got := under(filepath.FromSlash(tc.path), home); got != tc.want {
			t.Errorf("under(%q, %q) = %v, want %v", tc.path, home, got, tc.want)
		}
	}
}
