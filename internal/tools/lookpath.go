package tools

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// lookPath finds program the way a shell would: a name with a path
// separator is used as given (relative to dir if dir is set), any other
// name is searched in the folders of PATH, taken from env when env sets it
// and from this process otherwise. Relative PATH entries are skipped, as
// os/exec refuses to run programs found through them.
func lookPath(program string, env []string, dir string) (string, error) {
	if strings.ContainsRune(program, '/') || strings.ContainsRune(program, filepath.Separator) {
		if dir != "" && !filepath.IsAbs(program) {
			program = filepath.Join(dir, program)
		}
		p, err := exec.LookPath(program)
		if err != nil {
			return "", err
		}
		return filepath.Abs(p)
	}
	pathList, ok := envPath(env)
	if !ok {
		return exec.LookPath(program)
	}
	for _, d := range filepath.SplitList(pathList) {
		if !filepath.IsAbs(d) {
			continue
		}
		if p, err := exec.LookPath(filepath.Join(d, program)); err == nil {
			return p, nil
		}
	}
	return "", &exec.Error{Name: program, Err: exec.ErrNotFound}
}

// envPath returns the value of PATH in env, the last one if there are
// several (as os/exec uses the last). On Windows the name is matched
// without regard to case.
func envPath(env []string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		k, v, _ := strings.Cut(env[i], "=")
		if k == "PATH" || runtime.GOOS == "windows" && strings.EqualFold(k, "PATH") {
			return v, true
		}
	}
	return "", false
}
