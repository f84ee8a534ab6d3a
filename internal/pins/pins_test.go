package pins

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	version "github.com/hashicorp/go-version"
)

// writeFiles writes name → content under dir, creating directories.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		from     string
		tool     string
		raw      string
		resolved string
		want     string   // constraint
		accept   []string // versions the constraint must accept
		reject   []string // and reject
	}{
		// .nvmrc / .node-version
		{name: "nvmrc major", files: map[string]string{".nvmrc": "20\n"}, from: ".nvmrc", tool: "node",
			raw: "20", resolved: "20", want: ">= 20, < 21",
			accept: []string{"20.0.0", "20.11.1", "20.99.3"}, reject: []string{"19.9.0", "21.0.0", "22.1.0"}},
		{name: "nvmrc v prefix", files: map[string]string{".nvmrc": "v20.11.1"}, from: ".nvmrc", tool: "node",
			raw: "v20.11.1", resolved: "20.11.1", want: ">= 20.11.1, < 20.12",
			accept: []string{"20.11.1", "20.11.5"}, reject: []string{"20.11.0", "20.12.0", "21.0.0", "19.11.1"}},
		{name: "nvmrc CRLF BOM comments", files: map[string]string{".nvmrc": "\uFEFF# node for the web app\r\n  v18.19.0   # LTS\r\n\r\n"},
			from: ".nvmrc", tool: "node", raw: "v18.19.0", resolved: "18.19.0", want: ">= 18.19.0, < 18.20",
			accept: []string{"18.19.1"}, reject: []string{"18.18.2", "18.20.0"}},
		{name: "nvmrc UTF-16 from PowerShell", files: map[string]string{".nvmrc": "\xFF\xFE2\x000\x00\r\x00\n\x00"},
			from: ".nvmrc", tool: "node", raw: "20", resolved: "20", want: ">= 20, < 21"},
		{name: "node-version in subdirectory", files: map[string]string{"web/.node-version": "20.11"}, from: "web/.node-version", tool: "node",
			raw: "20.11", resolved: "20.11", want: ">= 20.11, < 20.12",
			accept: []string{"20.11.0", "20.11.9"}, reject: []string{"20.10.9", "20.12.0"}},

		// .tool-versions
		{name: "tool-versions nodejs", files: map[string]string{".tool-versions": "# asdf\nnodejs 20.11.1\npython 3.12.1 3.11.7\n"},
			from: ".tool-versions", tool: "node", raw: "20.11.1", resolved: "20.11.1", want: ">= 20.11.1, < 20.12"},
		{name: "tool-versions python first wins", files: map[string]string{".tool-versions": "nodejs 20.11.1\r\npython   3.12.1 3.11.7 # two\r\n"},
			from: ".tool-versions", tool: "python3", raw: "3.12.1", resolved: "3.12.1", want: ">= 3.12.1, < 3.13",
			accept: []string{"3.12.4"}, reject: []string{"3.11.7", "3.13.0"}},
		{name: "tool-versions golang", files: map[string]string{".tool-versions": "golang 1.22.3\n"},
			from: ".tool-versions", tool: "go", raw: "1.22.3", resolved: "1.22.3", want: ">= 1.22.3, < 1.23"},
		{name: "tool-versions mise name", files: map[string]string{".tool-versions": "node 20\n"},
			from: ".tool-versions", tool: "node", raw: "20", resolved: "20", want: ">= 20, < 21"},
		{name: "tool-versions ruby", files: map[string]string{".tool-versions": "ruby 3.2.2\n"},
			from: ".tool-versions", tool: "ruby", raw: "3.2.2", resolved: "3.2.2", want: ">= 3.2.2, < 3.3"},
		{name: "tool-versions terraform", files: map[string]string{".tool-versions": "terraform 1.7.0\n"},
			from: ".tool-versions", tool: "terraform", raw: "1.7.0", resolved: "1.7.0", want: ">= 1.7.0, < 1.8",
			accept: []string{"1.7.5"}, reject: []string{"1.8.0", "1.6.6"}},
		{name: "tool-versions java temurin", files: map[string]string{".tool-versions": "java temurin-17.0.9+9\n"},
			from: ".tool-versions", tool: "java", raw: "temurin-17.0.9+9", resolved: "17.0.9", want: ">= 17.0.9, < 17.1",
			accept: []string{"17.0.10"}, reject: []string{"17.0.8", "21.0.1"}},
		{name: "tool-versions java openjdk major", files: map[string]string{".tool-versions": "java openjdk-17\n"},
			from: ".tool-versions", tool: "java", raw: "openjdk-17", resolved: "17", want: ">= 17, < 18"},
		{name: "tool-versions java two-word distribution", files: map[string]string{".tool-versions": "java liberica-javafx-21.0.1+12\n"},
			from: ".tool-versions", tool: "java", raw: "liberica-javafx-21.0.1+12", resolved: "21.0.1", want: ">= 21.0.1, < 21.1"},
		{name: "tool-versions java vendor build", files: map[string]string{".tool-versions": "java corretto-17.0.9.8.1\n"},
			from: ".tool-versions", tool: "java", raw: "corretto-17.0.9.8.1", resolved: "17.0.9.8.1", want: ">= 17.0.9, < 17.1",
			accept: []string{"17.0.9"}},
		{name: "tool-versions rust via cargo", files: map[string]string{".tool-versions": "rust 1.75.0\n"},
			from: ".tool-versions", tool: "cargo", raw: "1.75.0", resolved: "1.75.0", want: ">= 1.75.0, < 1.76"},

		// .python-version
		{name: "python-version", files: map[string]string{".python-version": "3.12.1\n"}, from: ".python-version", tool: "python",
			raw: "3.12.1", resolved: "3.12.1", want: ">= 3.12.1, < 3.13"},
		{name: "python-version minor, several lines", files: map[string]string{".python-version": "3.12\n3.11\n"}, from: ".python-version", tool: "python3",
			raw: "3.12", resolved: "3.12", want: ">= 3.12, < 3.13", accept: []string{"3.12.0", "3.12.7"}, reject: []string{"3.11.9", "3.13.0"}},

		// .ruby-version
		{name: "ruby-version", files: map[string]string{".ruby-version": "3.2.2 \n"}, from: ".ruby-version", tool: "ruby",
			raw: "3.2.2", resolved: "3.2.2", want: ">= 3.2.2, < 3.3"},
		{name: "ruby-version prefixed", files: map[string]string{".ruby-version": "ruby-3.2.2\n"}, from: ".ruby-version", tool: "ruby",
			raw: "ruby-3.2.2", resolved: "3.2.2", want: ">= 3.2.2, < 3.3"},

		// .terraform-version
		{name: "terraform-version", files: map[string]string{".terraform-version": "1.7.0\n"}, from: ".terraform-version", tool: "terraform",
			raw: "1.7.0", resolved: "1.7.0", want: ">= 1.7.0, < 1.8"},

		// go.mod: a minimum, not a range
		{name: "go.mod go line", files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n"}, from: "go.mod", tool: "go",
			raw: "1.22", resolved: "1.22", want: ">= 1.22",
			accept: []string{"1.22.0", "1.22.3", "1.26.8"}, reject: []string{"1.21.9"}},
		{name: "go.mod go patch", files: map[string]string{"go.mod": "module m\r\ngo 1.22.3 // minimum\r\n"}, from: "go.mod", tool: "go",
			raw: "1.22.3", resolved: "1.22.3", want: ">= 1.22.3", accept: []string{"1.26.8"}, reject: []string{"1.22.2"}},
		{name: "go.mod toolchain raises the minimum", files: map[string]string{"go.mod": "module m\n\ngo 1.22\n\ntoolchain go1.22.5\n\nrequire (\n\tgo v1.0.0\n)\n"},
			from: "go.mod", tool: "go", raw: "go1.22.5", resolved: "1.22.5", want: ">= 1.22.5",
			accept: []string{"1.22.5", "1.26.8"}, reject: []string{"1.22.4"}},
		{name: "go.mod older toolchain ignored", files: map[string]string{"go.mod": "module m\ngo 1.23.1\ntoolchain go1.22.5\n"},
			from: "go.mod", tool: "golang", raw: "1.23.1", resolved: "1.23.1", want: ">= 1.23.1"},
		{name: "go.mod toolchain default", files: map[string]string{"go.mod": "module m\ngo 1.22\ntoolchain default\n"},
			from: "go.mod", tool: "go", raw: "1.22", resolved: "1.22", want: ">= 1.22"},
		{name: "go.mod custom toolchain suffix", files: map[string]string{"go.mod": "module m\ngo 1.21\ntoolchain go1.21.3-bigcorp\n"},
			from: "go.mod", tool: "go", raw: "go1.21.3-bigcorp", resolved: "1.21.3", want: ">= 1.21.3"},
		{name: "go.mod release candidate", files: map[string]string{"go.mod": "module m\ngo 1.21rc1\n"},
			from: "go.mod", tool: "go", raw: "1.21rc1", resolved: "1.21rc1", want: ">= 1.21rc1",
			accept: []string{"1.21.0", "1.26.8"}, reject: []string{"1.20.7"}},

		// rust-toolchain.toml / rust-toolchain
		{name: "rust-toolchain.toml", files: map[string]string{"rust-toolchain.toml": "[toolchain]\nchannel = \"1.75.0\" # MSRV\ncomponents = [\"rustfmt\"]\n"},
			from: "rust-toolchain.toml", tool: "rust", raw: "1.75.0", resolved: "1.75.0", want: ">= 1.75.0, < 1.76",
			accept: []string{"1.75.1"}, reject: []string{"1.74.1", "1.76.0"}},
		{name: "rust-toolchain.toml single quotes minor", files: map[string]string{"rust-toolchain.toml": "[toolchain]\r\nchannel='1.75'\r\n"},
			from: "rust-toolchain.toml", tool: "rustc", raw: "1.75", resolved: "1.75", want: ">= 1.75, < 1.76"},
		{name: "rust-toolchain.toml dotted key", files: map[string]string{"rust-toolchain.toml": "toolchain.channel = \"1.75.0\"\n"},
			from: "rust-toolchain.toml", tool: "rust", raw: "1.75.0", resolved: "1.75.0", want: ">= 1.75.0, < 1.76"},
		{name: "rust-toolchain.toml host triple", files: map[string]string{"rust-toolchain.toml": "[toolchain]\nchannel = \"1.75.0-x86_64-unknown-linux-gnu\"\n"},
			from: "rust-toolchain.toml", tool: "rust", raw: "1.75.0-x86_64-unknown-linux-gnu", resolved: "1.75.0", want: ">= 1.75.0, < 1.76"},
		{name: "rust-toolchain legacy", files: map[string]string{"rust-toolchain": "1.75.0\n"},
			from: "rust-toolchain", tool: "cargo", raw: "1.75.0", resolved: "1.75.0", want: ">= 1.75.0, < 1.76"},
		{name: "rust-toolchain legacy TOML content", files: map[string]string{"rust-toolchain": "[toolchain]\nchannel = \"1.70.0\"\n"},
			from: "rust-toolchain", tool: "rust", raw: "1.70.0", resolved: "1.70.0", want: ">= 1.70.0, < 1.71"},

		// paths are relative to the repository root, either separator
		{name: "backslash separator", files: map[string]string{"web/.nvmrc": "20"}, from: `web\.nvmrc`, tool: "node",
			raw: "20", resolved: "20", want: ">= 20, < 21"},
		{name: "in-repo path with dot", files: map[string]string{".nvmrc": "20"}, from: "./.nvmrc", tool: "node",
			raw: "20", resolved: "20", want: ">= 20, < 21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			p, err := ReadDir(dir, tt.from, tt.tool)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			want := Pin{File: tt.from, Raw: tt.raw, Resolved: tt.resolved, Constraint: tt.want}
			if p != want {
				t.Fatalf("Read = %+v, want %+v", p, want)
			}
			checkConstraint(t, p.Constraint, tt.accept, tt.reject)
			if err := Validate(tt.from, tt.tool); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// checkConstraint checks that c parses and decides samples as documented.
func checkConstraint(t *testing.T, c string, accept, reject []string) {
	t.Helper()
	cs, err := version.NewConstraint(c)
	if err != nil {
		t.Fatalf("constraint %q does not parse: %v", c, err)
	}
	for _, s := range accept {
		if !cs.Check(version.Must(version.NewVersion(s))) {
			t.Errorf("%q rejects %s, want accept", c, s)
		}
	}
	for _, s := range reject {
		if cs.Check(version.Must(version.NewVersion(s))) {
			t.Errorf("%q accepts %s, want reject", c, s)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		from    string
		tool    string
		want    string // the whole message
		missing bool   // errors.Is(err, fs.ErrNotExist)
	}{
		{name: "nvmrc lts alias", files: map[string]string{".nvmrc": "lts/iron\n"}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: "lts/iron" is an alias; onboard checks versions offline, so pin a number like 20.11.1`},
		{name: "nvmrc lts star", files: map[string]string{".nvmrc": "lts/*"}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: "lts/*" is an alias; onboard checks versions offline, so pin a number like 20.11.1`},
		{name: "node-version node alias", files: map[string]string{".node-version": "node"}, from: ".node-version", tool: "node",
			want: `.node-version: "node" is an alias; onboard checks versions offline, so pin a number like 20.11.1`},
		{name: "nvmrc empty", files: map[string]string{".nvmrc": ""}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: is empty; it should hold a version like 20.11.1`},
		{name: "nvmrc only comments and blanks", files: map[string]string{".nvmrc": "\uFEFF# pin me\r\n   \r\n"}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: is empty; it should hold a version like 20.11.1`},
		{name: "nvmrc garbage", files: map[string]string{".nvmrc": "20.x"}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: "20.x" is not a version number; write one like 20.11.1`},
		{name: "nvmrc huge number", files: map[string]string{".nvmrc": "99999999999999999999"}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: "99999999999999999999" is not a version number; write one like 20.11.1`},
		{name: "nvmrc binary", files: map[string]string{".nvmrc": "20\x00"}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: is not a text file`},
		{name: "nvmrc too big", files: map[string]string{".nvmrc": "20\n" + strings.Repeat("#", MaxSize)}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: is 65539 bytes, more than the 64 KiB a version file may have; refusing to read it`},
		{name: "missing file", from: ".nvmrc", tool: "node", missing: true,
			want: `.nvmrc: the checklist reads the node version from this file, but the repository has no .nvmrc; the maintainers need to add it or change onboard.yaml`},
		{name: "missing in subdirectory", from: "web/.nvmrc", tool: "node", missing: true,
			want: `web/.nvmrc: the checklist reads the node version from this file, but the repository has no web/.nvmrc; the maintainers need to add it or change onboard.yaml`},
		{name: "directory", files: map[string]string{".nvmrc/x": ""}, from: ".nvmrc", tool: "node",
			want: `.nvmrc: is a directory, not a version file`},
		{name: "unsupported file", files: map[string]string{"package.json": "{}"}, from: "package.json", tool: "node",
			want: `package.json: onboard cannot read a version from this file; supported: .nvmrc, .node-version, .tool-versions, .python-version, .ruby-version, .terraform-version, go.mod, rust-toolchain.toml, rust-toolchain`},

		{name: "tool-versions missing tool", files: map[string]string{".tool-versions": "python 3.12.1\n"}, from: ".tool-versions", tool: "node",
			want: `.tool-versions: has no line for nodejs (the checklist's node); add one like "nodejs 20.11.1"`},
		{name: "tool-versions missing same-name tool", files: map[string]string{".tool-versions": "python 3.12.1\n"}, from: ".tool-versions", tool: "ruby",
			want: `.tool-versions: has no line for ruby; add one like "ruby 3.2.2"`},
		{name: "tool-versions no version", files: map[string]string{".tool-versions": "nodejs\n"}, from: ".tool-versions", tool: "node",
			want: `.tool-versions: the nodejs line has no version; write one like "nodejs 20.11.1"`},
		{name: "tool-versions system", files: map[string]string{".tool-versions": "python system\n"}, from: ".tool-versions", tool: "python",
			want: `.tool-versions: "system" means whatever is installed; onboard needs a version number to check, like 3.12.1`},
		{name: "tool-versions ref", files: map[string]string{".tool-versions": "golang ref:master\n"}, from: ".tool-versions", tool: "go",
			want: `.tool-versions: "ref:master" is not a released version; pin a number like 1.22.3`},
		{name: "tool-versions rust channel", files: map[string]string{".tool-versions": "rust nightly\n"}, from: ".tool-versions", tool: "rust",
			want: `.tool-versions: "nightly" is a channel name, not a version; onboard cannot check a channel, so pin a number like 1.75.0`},
		{name: "tool-versions node lts", files: map[string]string{".tool-versions": "nodejs lts-iron\n"}, from: ".tool-versions", tool: "node",
			want: `.tool-versions: "lts-iron" is an alias; onboard checks versions offline, so pin a number like 20.11.1`},
		{name: "tool-versions empty", files: map[string]string{".tool-versions": "# nothing\n"}, from: ".tool-versions", tool: "node",
			want: `.tool-versions: is empty; it should hold a line like "nodejs 20.11.1"`},

		{name: "python-version system", files: map[string]string{".python-version": "system\n"}, from: ".python-version", tool: "python",
			want: `.python-version: "system" means whatever is installed; onboard needs a version number to check, like 3.12.1`},
		{name: "python-version pre-release", files: map[string]string{".python-version": "3.13.0rc1\n"}, from: ".python-version", tool: "python",
			want: `.python-version: "3.13.0rc1" is a pre-release; onboard checks release versions, so pin one like 3.12.1`},
		{name: "ruby-version other implementation", files: map[string]string{".ruby-version": "jruby-9.4.5.0\n"}, from: ".ruby-version", tool: "ruby",
			want: `.ruby-version: "jruby-9.4.5.0" is not a version number; write one like 3.2.2`},
		{name: "terraform latest", files: map[string]string{".terraform-version": "latest\n"}, from: ".terraform-version", tool: "terraform",
			want: `.terraform-version: "latest" asks tfenv to pick a version online; onboard checks versions offline, so pin a number like 1.7.0`},
		{name: "terraform latest regex", files: map[string]string{".terraform-version": "latest:^1.5\n"}, from: ".terraform-version", tool: "terraform",
			want: `.terraform-version: "latest:^1.5" asks tfenv to pick a version online; onboard checks versions offline, so pin a number like 1.7.0`},
		{name: "terraform min-required", files: map[string]string{".terraform-version": "min-required\n"}, from: ".terraform-version", tool: "terraform",
			want: `.terraform-version: "min-required" asks tfenv to pick a version online; onboard checks versions offline, so pin a number like 1.7.0`},

		{name: "go.mod without go line", files: map[string]string{"go.mod": "module m\n"}, from: "go.mod", tool: "go",
			want: `go.mod: has no go line; add one like "go 1.22"`},
		{name: "go.mod bad go line", files: map[string]string{"go.mod": "module m\ngo latest\n"}, from: "go.mod", tool: "go",
			want: `go.mod: "go latest" is not a Go version line; write one like "go 1.22"`},
		{name: "go.mod bad toolchain", files: map[string]string{"go.mod": "module m\ngo 1.22\ntoolchain 1.22.5\n"}, from: "go.mod", tool: "go",
			want: `go.mod: toolchain "1.22.5" is not a Go toolchain name; write one like go1.22.5`},
		{name: "go.mod empty", files: map[string]string{"go.mod": "// nothing\n"}, from: "go.mod", tool: "go",
			want: `go.mod: is empty; it should hold a line like "go 1.22"`},
		{name: "go.mod for another tool", files: map[string]string{"go.mod": "module m\ngo 1.22\n"}, from: "go.mod", tool: "protoc-gen-go",
			want: `go.mod: only the go version can be read from go.mod, not the version of "protoc-gen-go"`},

		{name: "rust-toolchain.toml stable", files: map[string]string{"rust-toolchain.toml": "[toolchain]\nchannel = \"stable\"\n"}, from: "rust-toolchain.toml", tool: "rust",
			want: `rust-toolchain.toml: "stable" is a channel name, not a version; onboard cannot check a channel, so pin a number like 1.75.0`},
		{name: "rust-toolchain dated nightly", files: map[string]string{"rust-toolchain": "nightly-2024-01-01\n"}, from: "rust-toolchain", tool: "rust",
			want: `rust-toolchain: "nightly-2024-01-01" is a channel name, not a version; onboard cannot check a channel, so pin a number like 1.75.0`},
		{name: "rust-toolchain.toml no channel", files: map[string]string{"rust-toolchain.toml": "[toolchain]\ncomponents = [\"rustfmt\"]\n"}, from: "rust-toolchain.toml", tool: "rust",
			want: `rust-toolchain.toml: has no channel in [toolchain]; add channel = "1.75.0"`},
		{name: "rust-toolchain.toml unquoted", files: map[string]string{"rust-toolchain.toml": "[toolchain]\nchannel = 1.75\n"}, from: "rust-toolchain.toml", tool: "rust",
			want: `rust-toolchain.toml: the channel value must be quoted, like channel = "1.75.0"`},
		{name: "rust-toolchain.toml channel in other section", files: map[string]string{"rust-toolchain.toml": "[other]\nchannel = \"1.75.0\"\n"}, from: "rust-toolchain.toml", tool: "rust",
			want: `rust-toolchain.toml: has no channel in [toolchain]; add channel = "1.75.0"`},

		// Confinement: the file outside exists, so only confinement can refuse it.
		{name: "parent directory", from: "../.nvmrc", tool: "node",
			want: `../.nvmrc: refusing to read outside the repository; name a file inside it, like .nvmrc`},
		{name: "parent directory unknown file", from: "../outside", tool: "node",
			want: `../outside: refusing to read outside the repository; name a file inside it, like .nvmrc`},
		{name: "climbs out through a subdirectory", files: map[string]string{"web/x": ""}, from: "web/../../.nvmrc", tool: "node",
			want: `web/../../.nvmrc: refusing to read outside the repository; name a file inside it, like .nvmrc`},
		{name: "absolute path", from: "/etc/hostname", tool: "node",
			want: `/etc/hostname: refusing to read outside the repository; name a file inside it, like .nvmrc`},
		{name: "empty from", from: "", tool: "node",
			want: "`from` names no file; write one like \"from .nvmrc\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			writeFiles(t, parent, map[string]string{".nvmrc": "20\n", "outside": "20\n"})
			dir := filepath.Join(parent, "repo")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, dir, tt.files)
			_, err := ReadDir(dir, tt.from, tt.tool)
			if err == nil {
				t.Fatal("Read succeeded, want an error")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.File != tt.from {
				t.Errorf("error %v is not an *Error for %q", err, tt.from)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.missing {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", got, tt.missing)
			}
		})
	}
}

func TestSymlinks(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "repo")
	outside := filepath.Join(parent, "outside")
	writeFiles(t, parent, map[string]string{"outside/.nvmrc": "20\n", "repo/config/node": "v20.11.1\n"})
	links := map[string]string{
		".nvmrc":          "/etc/hostname",         // absolute, out of the repo
		".node-version":   "../outside/.nvmrc",     // relative, climbing out
		"web":             outside,                 // a directory leading out
		"ok/.nvmrc":       "../config/node",        // stays inside: allowed
		".python-version": "does-not-exist-either", // dangling, inside
	}
	for name, target := range links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("cannot create symlinks here: %v", err)
		}
	}
	tests := []struct{ from, tool, want string }{
		{".nvmrc", "node", ".nvmrc: is a symlink that leads outside the repository; onboard reads pins only from files inside it"},
		{".node-version", "node", ".node-version: is a symlink that leads outside the repository; onboard reads pins only from files inside it"},
		{"web/.nvmrc", "node", "web/.nvmrc: web is a symlink that leads outside the repository; onboard reads pins only from files inside it"},
		{".python-version", "python", ".python-version: the checklist reads the python version from this file, but the repository has no .python-version; the maintainers need to add it or change onboard.yaml"},
	}
	for _, tt := range tests {
		_, err := ReadDir(dir, tt.from, tt.tool)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Read(%s):\n got %v\nwant %s", tt.from, err, tt.want)
		}
	}
	p, err := ReadDir(dir, "ok/.nvmrc", "node")
	if err != nil || p.Resolved != "20.11.1" {
		t.Errorf("Read(ok/.nvmrc) through an in-repo symlink = %+v, %v; want 20.11.1", p, err)
	}
}

func TestValidate(t *testing.T) {
	for _, from := range []string{".nvmrc", "web/.node-version", ".tool-versions", "go.mod", "rust-toolchain.toml"} {
		if err := Validate(from, "go"); err != nil {
			t.Errorf("Validate(%q): %v", from, err)
		}
	}
	for _, tt := range []struct{ from, tool string }{
		{"../.nvmrc", "node"}, {"/abs/.nvmrc", "node"}, {`..\.nvmrc`, "node"}, {"package.json", "node"}, {"go.mod", "node"},
	} {
		if err := Validate(tt.from, tt.tool); err == nil {
			t.Errorf("Validate(%q, %q) = nil, want an error", tt.from, tt.tool)
		}
	}
}

// FuzzParse feeds any text to every format: none may panic, and every pin
// they accept must be a constraint go-version parses.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"20\n", "v20.11.1", "lts/iron", "nodejs 20.11.1\npython 3.12.1 3.11.7", "java temurin-17.0.9+9",
		"module m\ngo 1.22\ntoolchain go1.22.5\n", "[toolchain]\nchannel = \"1.75.0\"\n", "\uFEFF3.12\r\n", "\xFF\xFE2\x000\x00"} {
		f.Add([]byte(s))
	}
	tools := []string{"node", "python", "java", "rust", "go"}
	f.Fuzz(func(t *testing.T, b []byte) {
		text, ok := decode(b)
		if !ok {
			return
		}
		for _, fm := range formats {
			for _, tool := range tools {
				p, err := fm.parse("f", tool, text)
				if err != nil {
					if strings.Contains(err.Error(), "\n") {
						t.Errorf("multi-line error %q", err)
					}
					continue
				}
				if _, err := version.NewConstraint(p.Constraint); err != nil {
					t.Errorf("%q from %q: %v", p.Constraint, text, err)
				}
			}
		}
	})
}
