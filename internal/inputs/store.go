package inputs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
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

// LoadRemembered reads the answers of earlier runs. Missing files are no
// answers; unreadable ones are an error naming the file.
func LoadRemembered(dir string) (map[string]string, error) {
	out := map[string]string{}
	data, err := os.ReadFile(filepath.Join(dir, AnswersFile))
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
	data, err = os.ReadFile(filepath.Join(dir, SecretsFile))
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

// writeIfChanged skips the atomic write (and its fsync) when the file
// already holds data: a no-op re-run should not touch the disk.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return rootfs.WriteFile(path, data, 0o600)
}
