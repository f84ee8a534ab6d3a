package inputs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// Files in onboard's state directory. Secret answers live only in
// secrets.env, mode 0600; never in answers.yaml or state.json.
const (
	AnswersFile = "answers.yaml"
	SecretsFile = "secrets.env"
)

// LoadRemembered reads the answers of earlier runs from dir (.onboard).
// Missing files are no answers; unreadable ones are an error naming the
// file. They are read through rootfs, inside dir: a symlink planted at
// answers.yaml or secrets.env does not make onboard read (and hand to
// the checklist's commands) a file elsewhere.
func LoadRemembered(dir string) (map[string]string, error) {
	out := map[string]string{}
	root, err := rootfs.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil // no state directory yet: nothing remembered
	}
	if err != nil {
		return nil, err
	}
	defer root.Close()
	data, err := readFile(root, AnswersFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		var m map[string]string
		if err := yaml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %v (delete it to be asked again)", filepath.Join(dir, AnswersFile), err)
		}
		for k, v := range m {
			out[k] = v
		}
	}
	data, err = readFile(root, SecretsFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			k, q, ok := strings.Cut(sc.Text(), "=")
			if !ok || strings.HasPrefix(k, "#") {
				continue
			}
			v, err := strconv.Unquote(q)
			if err != nil {
				return nil, fmt.Errorf("%s: the line for %s is damaged (delete the file to be asked again)", filepath.Join(dir, SecretsFile), k)
			}
			out[strings.ToLower(strings.TrimPrefix(k, "ONBOARD_INPUT_"))] = v
		}
	}
	return out, nil
}

// SaveRemembered writes the answers for the next run, atomically.
func SaveRemembered(dir string, answers map[string]Answer) error {
	if len(answers) == 0 {
		return nil // a checklist without inputs leaves nothing to remember
	}
	plain := map[string]string{}
	var secret bytes.Buffer
	secret.WriteString("# onboard's secret answers: never commit or share this file\n")
	names := make([]string, 0, len(answers))
	for n := range answers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := answers[n]
		if a.Secret {
			// Quoted, so values with newlines or '=' survive the round trip.
			fmt.Fprintf(&secret, "%s=%s\n", EnvName(n), strconv.Quote(a.Value))
		} else {
			plain[n] = a.Value
		}
	}
	data, err := yaml.Marshal(plain)
	if err != nil {
		return err
	}
	if err := writeIfChanged(filepath.Join(dir, AnswersFile), data); err != nil {
		return err
	}
	return writeIfChanged(filepath.Join(dir, SecretsFile), secret.Bytes())
}

// readFile reads name in root: "cannot read PATH: why", naming the file
// in full, and saying so when a symlink leads it outside.
func readFile(root *rootfs.Root, name string) ([]byte, error) {
	f, err := root.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, rootfs.Explain("cannot read", root.Path(name), err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, rootfs.Explain("cannot read", root.Path(name), err)
	}
	return b, nil
}

// writeIfChanged skips the atomic write (and its fsync) when the file
// already holds data: a no-op re-run should not touch the disk.
func writeIfChanged(path string, data []byte) error {
	if old, err := readIn(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return rootfs.WriteFile(path, data, 0o600)
}

// readIn reads the file at path through a Root on its directory.
func readIn(path string) ([]byte, error) {
	root, err := rootfs.Open(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return readFile(root, filepath.Base(path))
}
