package tools

// brewHints are the install commands on macOS of the built-in tools: a
// Homebrew formula or cask where one is the usual way, the Xcode Command
// Line Tools for what they ship (their /usr/bin shims run nothing until
// they are installed). A checklist's own `install:` hint comes first;
// these are the fallback for a tool the checklist gives no hint for.
var brewHints = map[string]string{
	"go":             "brew install go",
	"node":           "brew install node",
	"npm":            "brew install node (npm comes with it)",
	"pnpm":           "brew install pnpm",
	"yarn":           "brew install yarn",
	"deno":           "brew install deno",
	"bun":            "brew install oven-sh/bun/bun",
	"python3":        "brew install python",
	"pip":            "brew install python (pip3 comes with it)",
	"uv":             "brew install uv",
	"ruby":           "brew install ruby (keg-only: add $(brew --prefix ruby)/bin to PATH, as brew's caveats say)",
	"bundler":        "gem install bundler",
	"java":           "brew install openjdk (keg-only: link it as `brew info openjdk` says)",
	"mvn":            "brew install maven",
	"gradle":         "brew install gradle",
	"rustc":          "brew install rust (or rustup, from https://rustup.rs)",
	"cargo":          "brew install rust (or rustup, from https://rustup.rs)",
	"git":            "xcode-select --install (or brew install git)",
	"docker":         "brew install --cask docker (Docker Desktop), then start it once",
	"docker compose": "brew install --cask docker (Docker Desktop ships docker compose)",
	"docker-compose": "brew install docker-compose",
	"kubectl":        "brew install kubectl",
	"helm":           "brew install helm",
	"terraform":      "brew install hashicorp/tap/terraform",
	"make":           "xcode-select --install (GNU Make 3.81; brew install make gives a newer one as gmake)",
	"gcc":            "xcode-select --install (its gcc is Apple clang; GNU GCC: brew install gcc, run as gcc-NN)",
	"clang":          "xcode-select --install (or brew install llvm)",
	"psql":           "brew install libpq && brew link --force libpq",
	"redis-server":   "brew install redis",
	"mysql":          "brew install mysql",
	"protoc":         "brew install protobuf",
	"jq":             "brew install jq",
	"gh":             "brew install gh",
	"aws":            "brew install awscli",
	"gcloud":         "brew install --cask gcloud-cli",
}

// InstallHint is the usual way to install built-in tool name on goos
// (a GOOS value). Only macOS has hints (Homebrew and Xcode): Linux
// distributions and Windows differ too much for one command to be right.
func InstallHint(name, goos string) (string, bool) {
	if goos != "darwin" {
		return "", false
	}
	h, ok := brewHints[name]
	return h, ok
}
