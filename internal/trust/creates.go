package trust

import "strings"

// without is r less the files at or under any of paths: the output a
// step says it creates.
func (r *repoFiles) without(paths []string) *repoFiles {
	if len(paths) == 0 {
		return r
	}
	out := &repoFiles{set: map[string]bool{}, byBase: map[string][]string{}, links: map[string]bool{}, exec: map[string]bool{}, git: r.git, roots: r.roots}
	for _, f := range r.files {
		if !underAny(f, paths) {
			out.add(f, r.links[f], r.exec[f])
		}
	}
	return out
}

// underAny reports whether name is one of paths or lies under one.
func underAny(name string, paths []string) bool {
	for _, p := range paths {
		if name == p || strings.HasPrefix(name, p+"/") {
			return true
		}
	}
	return false
}
