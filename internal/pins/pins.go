// Package pins reads a tool's pinned version from a standard file in the
// repository, for checklist entries like `node: {version: "from .nvmrc"}`.
// Projects already pin versions in .nvmrc, .tool-versions, go.mod and the
// like; reading them keeps onboard.yaml from becoming a second copy that
// drifts.
//
// A pin becomes a hashicorp/go-version constraint meaning "this version or a
// newer patch of the same minor":
//
//	X       >= X, < X+1        (any X.y.z)
//	X.Y     >= X.Y, < X.(Y+1)  (any X.Y.z)
//	X.Y.Z   >= X.Y.Z, < X.(Y+1)
//
// A newer patch is accepted because patches are bug and security fixes that
// a developer may well have installed already, while a different minor may
// change behaviour the project depends on. Versions with more than three
// numbers (corretto-17.0.9.8.1) are compared on the first three, because
// that is what the tools print about themselves.
//
// go.mod is the exception: see [Read].
package pins

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// MaxSize is the largest pin file Read accepts. Version files are a few
// lines; anything bigger is a mistake (or a trap) not worth reading.
const MaxSize = 64 << 10

// Pin is a version read from a file in the repository.
type Pin struct {
	// File is the path as the checklist wrote it after `from`, e.g. ".nvmrc".
	File string
	// Raw is the version as written in the file, e.g. "v20.11.1",
	// "temurin-17.0.9+9" or, for go.mod with a toolchain line, "go1.22.5".
	Raw string
	// Resolved is the plain numeric version read, e.g. "20.11.1", "17.0.9",
	// "1.22.5"; the engine records it in state so that a changed pin is
	// noticed on the next run.
	Resolved string
	// Constraint is a hashicorp/go-version constraint string, e.g.
	// ">= 20.11.1, < 20.12"; see the package documentation.
	Constraint string
}

// Error is a problem with a pin file. Its message is one line that starts
// with the file's name. When the repository lacks the file, Err wraps
// fs.ErrNotExist, so errors.Is(err, fs.ErrNotExist) tells "the repository
// is missing a file the checklist names" from "the file says something
// onboard cannot check".
type Error struct {
	File string // as written after `from`
	Msg  string
	Err  error // the underlying cause, if any
}

func (e *Error) Error() string {
	if e.File == "" {
		return e.Msg
	}
	return e.File + ": " + e.Msg
}

// Unwrap returns the underlying cause, such as fs.ErrNotExist.
func (e *Error) Unwrap() error { return e.Err }

func errorf(file, format string, args ...any) *Error {
	return &Error{File: file, Msg: fmt.Sprintf(format, args...)}
}

// Validate reports, without touching the disk, whether `from FILE` can work
// for tool: the path stays inside the repository, the file is one onboard
// knows how to read, and the file can pin that tool. It lets `onboard
// validate` point at the checklist line before any run reads the file.
func Validate(from, tool string) error {
	_, err := lookup(from, tool)
	return err
}

// Read reads the version of tool pinned in the file from (the text after
// `from `, a slash-separated path relative to the repository root, e.g.
// ".nvmrc" or "web/.nvmrc"). Reads go through root, so neither "../" nor a
// symlink can reach a file outside the repository.
//
// Supported files: .nvmrc, .node-version, .tool-versions (asdf: the line of
// tool, where node is "nodejs", go "golang", python3 "python" and
// rust/rustc/cargo "rust"), .python-version, .ruby-version,
// .terraform-version, go.mod, rust-toolchain.toml and rust-toolchain.
//
// go.mod deviates from the "same minor" rule on purpose: its `go 1.22` line
// is a minimum by Go's own definition (any newer Go builds the module, and
// the go command itself only refuses older ones), so it becomes ">= 1.22".
// A `toolchain go1.22.5` line names what the maintainers build with and
// raises the minimum to ">= 1.22.5"; the higher of the two lines wins.
// Demanding the same minor would send every developer with a current Go to
// downgrade for nothing.
func Read(root *os.Root, from, tool string) (Pin, error) {
	f, err := lookup(from, tool)
	if err != nil {
		return Pin{}, err
	}
	text, err := readText(root, from, tool)
	if err != nil {
		return Pin{}, err
	}
	p, err := f.parse(from, tool, text)
	if err != nil {
		return Pin{}, err
	}
	p.File = from
	return p, nil
}

// ReadDir is Read for a repository root given as a directory path.
func ReadDir(dir, from, tool string) (Pin, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Pin{}, err
	}
	defer root.Close()
	return Read(root, from, tool)
}

// format is one kind of pin file.
type format struct {
	names []string // base names
	// tools, when set, are the only checklist tools the file can pin.
	tools []string
	parse func(file, tool, text string) (Pin, error)
}

// formats is the dispatch table; its order is the order in error messages.
var formats = []format{
	{names: []string{".nvmrc", ".node-version"}, parse: parseNode},
	{names: []string{".tool-versions"}, parse: parseToolVersions},
	{names: []string{".python-version"}, parse: parsePython},
	{names: []string{".ruby-version"}, parse: parseRuby},
	{names: []string{".terraform-version"}, parse: parseTerraform},
	// go.mod also holds module versions (require lines); naming the tool
	// catches a checklist that hoped to read a Go tool's module version.
	{names: []string{"go.mod"}, tools: []string{"go", "golang"}, parse: parseGoMod},
	{names: []string{"rust-toolchain.toml", "rust-toolchain"}, parse: parseRustToolchain},
}

func supported() string {
	var names []string
	for _, f := range formats {
		names = append(names, f.names...)
	}
	return strings.Join(names, ", ")
}

// lookup checks from and tool without reading anything and returns the
// format that reads the file.
func lookup(from, tool string) (format, error) {
	if from == "" {
		return format{}, errorf("", "`from` names no file; write one like \"from .nvmrc\"")
	}
	// Checked here, before os.Root refuses it anyway, to say why in words.
	if !filepath.IsLocal(osPath(from)) {
		return format{}, errorf(from, "refusing to read outside the repository; name a file inside it, like .nvmrc")
	}
	base := path.Base(slashPath(from))
	for _, f := range formats {
		for _, n := range f.names {
			if n != base {
				continue
			}
			if f.tools != nil && !contains(f.tools, tool) {
				return format{}, errorf(from, "only the %s version can be read from %s, not the version of %q", f.tools[0], base, tool)
			}
			return f, nil
		}
	}
	return format{}, errorf(from, "onboard cannot read a version from this file; supported: %s", supported())
}

// slashPath accepts either separator in a checklist path, as the config
// loader does, so a checklist written on Windows works everywhere.
func slashPath(from string) string { return strings.ReplaceAll(from, `\`, "/") }

func osPath(from string) string { return filepath.FromSlash(slashPath(from)) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readText reads a pin file through root and returns it as text with the
// byte-order mark removed and line endings normalised to "\n".
func readText(root *os.Root, from, tool string) (string, error) {
	name := osPath(from)
	// Stat before opening: opening a FIFO would block, and the size check
	// should not need to read.
	fi, err := root.Stat(name)
	if err != nil {
		return "", statError(root, from, tool, err)
	}
	if fi.IsDir() {
		return "", errorf(from, "is a directory, not a version file")
	}
	if !fi.Mode().IsRegular() {
		return "", errorf(from, "is not a regular file")
	}
	if fi.Size() > MaxSize {
		return "", errorf(from, "is %d bytes, more than the %d KiB a version file may have; refusing to read it", fi.Size(), MaxSize>>10)
	}
	fh, err := root.Open(name)
	if err != nil {
		return "", statError(root, from, tool, err)
	}
	defer fh.Close()
	// The file may have grown since Stat: read at most one byte too many.
	b, err := io.ReadAll(io.LimitReader(fh, MaxSize+1))
	if err != nil {
		return "", &Error{File: from, Msg: fmt.Sprintf("cannot be read: %v", unwrapPath(err)), Err: err}
	}
	if len(b) > MaxSize {
		return "", errorf(from, "is more than the %d KiB a version file may have; refusing to read it", MaxSize>>10)
	}
	text, ok := decode(b)
	if !ok {
		return "", errorf(from, "is not a text file")
	}
	return text, nil
}

// decode turns file bytes into text. Windows PowerShell 5 writes
// `echo 20 > .nvmrc` as UTF-16 with a byte-order mark, and Notepad adds a
// UTF-8 one; both are common enough in version files to accept.
func decode(b []byte) (string, bool) {
	var s string
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		if len(b)%2 != 0 {
			return "", false
		}
		u := make([]uint16, 0, len(b)/2-1)
		for i := 2; i < len(b); i += 2 {
			if b[0] == 0xFF {
				u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
			} else {
				u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
			}
		}
		s = string(utf16.Decode(u))
	default:
		s = string(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))
	}
	if strings.ContainsRune(s, 0) {
		return "", false
	}
	return strings.ReplaceAll(s, "\r", "\n"), true
}

// statError explains a failed Stat or Open of a pin file.
func statError(root *os.Root, from, tool string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		what := "the " + tool + " version"
		if tool == "" {
			what = "a version"
		}
		return &Error{File: from, Err: err, Msg: fmt.Sprintf(
			"the checklist reads %s from this file, but the repository has no %s; the maintainers need to add it or change onboard.yaml",
			what, from)}
	}
	if link := escapingLink(root, from); link != "" {
		msg := "is a symlink that leads outside the repository; onboard reads pins only from files inside it"
		if link != slashPath(from) {
			msg = fmt.Sprintf("%s is a symlink that leads outside the repository; onboard reads pins only from files inside it", link)
		}
		return &Error{File: from, Msg: msg, Err: err}
	}
	return &Error{File: from, Msg: fmt.Sprintf("cannot be read: %v", unwrapPath(err)), Err: err}
}

// escapingLink returns the first element of from (a prefix of it) that is a
// symlink root refuses to follow, or "". os.Root's own error only says
// "path escapes from parent", which does not tell the maintainer which link
// to fix.
func escapingLink(root *os.Root, from string) string {
	parts := strings.Split(slashPath(from), "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		fi, err := root.Lstat(filepath.FromSlash(p))
		if err != nil {
			return ""
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if _, err := root.Stat(filepath.FromSlash(p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
	return ""
}

// unwrapPath drops the *fs.PathError wrapper, whose op and path would
// repeat what the message already says.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
