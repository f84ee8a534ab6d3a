package tools

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// homebrewDirs are where Homebrew puts programs on macOS: /opt/homebrew on
// Apple silicon, /usr/local on Intel. Its installer asks the user to add
// them to PATH (`brew shellenv` in ~/.zprofile), which a new hire often
// has not done yet, or not in the shell that runs onboard.
var homebrewDirs = []string{"/opt/homebrew/bin", "/opt/homebrew/sbin", "/usr/local/bin", "/usr/local/sbin"}

// offPath is where program exists outside PATH in one of the folders
// goos's package manager installs to (Homebrew's on macOS), or "". Only a
// bare name is looked for; isExec tells whether a path is an executable
// file (a parameter, so that the rule is tested on any OS).
func offPath(program, goos string, isExec func(string) bool) string {
	if goos != "darwin" || program == "" || strings.ContainsRune(program, '/') {
		return ""
	}
	for _, d := range homebrewDirs {
		if p := filepath.Join(d, program); isExec(p) {
			return p
		}
	}
	return ""
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// lookOffPath is offPath for this OS.
func lookOffPath(program string) string { return offPath(program, runtime.GOOS, isExecutable) }

// pathFix is the fix for a program found at path, outside PATH: add its
// folder to PATH, with Homebrew's own command when it is Homebrew's.
func pathFix(path string) string {
	dir := filepath.Dir(path)
	if prefix := filepath.Dir(dir); prefix == "/opt/homebrew" || prefix == "/usr/local" {
		return "add Homebrew's folders to PATH: run `eval \"$(" + prefix + "/bin/brew shellenv)\"` and add that line to ~/.zprofile, then run onboard again"
	}
	return "add " + dir + " to PATH, then run onboard again"
}

// xcodeToolsMissing reports whether output is macOS's answer when a
// program in /usr/bin that the Xcode Command Line Tools provide (git,
// make, gcc, clang…) runs without them: never installed ("No developer
// tools were found"), or broken by a macOS upgrade ("invalid active
// developer path").
func xcodeToolsMissing(output string) bool {
	return strings.Contains(output, "xcrun: error: invalid active developer path") ||
		strings.Contains(output, "xcode-select: note: No developer tools were found")
}

// xcodeFix is what to do then.
const xcodeFix = "the Xcode Command Line Tools are missing or broken, as after a macOS upgrade: run `xcode-select --install`, then run onboard again"
