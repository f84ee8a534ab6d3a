package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// MaxSize is the largest checklist onboard reads. A real onboard.yaml is a
// few KiB. The YAML parser allocates up to ~260 bytes per input byte on
// dense inputs (`[x,x,x,…]`), so this cap also keeps a hostile file under
// 64 MiB of memory; 1 MiB would allow ~270 MiB.
const MaxSize = 192 << 10

// FileName is the checklist's conventional name.
const FileName = "onboard.yaml"

// ReadError is a checklist that could not be read at all: missing, a
// directory, unreadable. It is a usage error, reported in one line.
type ReadError struct {
	Path string
	Err  error
}

func (e *ReadError) Error() string {
	switch {
	case errors.Is(e.Err, fs.ErrNotExist):
		return fmt.Sprintf("%s: no such file", e.Path)
	case errors.Is(e.Err, fs.ErrPermission):
		return fmt.Sprintf("%s: permission denied; make it readable (chmod u+r %s)", e.Path, e.Path)
	}
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return fmt.Sprintf("%s: cannot read: %v", e.Path, pe.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// Load reads and validates the checklist at path. The error is a
// *ReadError when the file cannot be read, or an *ErrorList with every
// problem in it.
func Load(path string) (*File, error) {
	// Stat before opening: opening a FIFO would block until a writer came.
	info, err := os.Stat(path)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	if info.IsDir() {
		return nil, &ReadError{Path: path, Err: errors.New("is a directory, not a checklist file")}
	}
	if !info.Mode().IsRegular() {
		return nil, &ReadError{Path: path, Err: errors.New("is not a regular file")}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	defer f.Close()
	// Read one byte past the cap so an oversized file is seen without
	// reading all of it.
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	return Parse(path, data)
}

// Parse validates a checklist held in memory; name is used in messages.
func Parse(name string, data []byte) (*File, error) {
	errs := &ErrorList{File: name, Source: data}
	if !checkBytes(errs, data) {
		return nil, errs
	}
	var root yaml.Node
	err := yaml.Load(data, &root, yaml.WithUniqueKeys(false))
	if err != nil {
		addYAMLError(errs, err)
		return nil, errs
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if a := checkExpansion(doc); a != nil {
		errs.add(pos(a), "anchors and aliases expand to more than %d values beyond what is written; write the values out", maxAliasExpansion)
		return nil, errs
	}
	d := &decoder{errs: errs}
	f := d.file(doc)
	f.Path, f.Source = name, data
	f.Warnings = d.warnings
	validate(f, errs)
	if errs.Len() > 0 {
		errs.sort()
		return nil, errs
	}
	return f, nil
}

// checkBytes refuses what is not a text checklist before YAML sees it, each
// with the position of the first offending byte.
func checkBytes(errs *ErrorList, data []byte) bool {
	if len(data) > MaxSize {
		errs.add(Pos{1, 1}, "the file is larger than %d KiB; a checklist is a small text file", MaxSize/1024)
		errs.Source = nil
		return false
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))) == 0 {
		errs.add(Pos{1, 1}, "the file is empty; a checklist starts with `version: 1`")
		return false
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		errs.add(offsetPos(data, i), "NUL byte: a checklist is a text file (is this a binary or UTF-16 file?)")
		return false
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		errs.add(offsetPos(data, i), "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", data[i])
		return false
	}
	return true
}

// offsetPos converts a byte offset into a line and a column counted in
// characters, as YAML positions are.
func offsetPos(data []byte, off int) Pos {
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return Pos{Line: line, Col: utf8.RuneCount(data[start:off]) + 1}
}

// addYAMLError turns a parser error into a positioned problem.
func addYAMLError(errs *ErrorList, err error) {
	var le *yaml.LoadError
	if errors.As(err, &le) && le.Mark.Line > 0 {
		msg := le.Message
		if le.ContextMsg != "" {
			msg = le.ContextMsg + ": " + msg
		}
		errs.add(Pos{le.Mark.Line, le.Mark.Column}, "YAML syntax: %s", msg)
		return
	}
	if errors.As(err, &le) {
		errs.add(Pos{1, 1}, "YAML: %s", trimYAMLPrefix(le.Message))
		return
	}
	errs.add(Pos{1, 1}, "YAML: %s", trimYAMLPrefix(err.Error()))
}

func trimYAMLPrefix(s string) string {
	for _, p := range []string{"yaml: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			s = s[len(p):]
		}
	}
	return s
}
