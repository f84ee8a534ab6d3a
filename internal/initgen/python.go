package initgen

import "strings"

// detectPython: uv (uv.lock), poetry (poetry.lock or [tool.poetry]) or pip
// (requirements*.txt) install into .venv; .python-version pins python3.
func detectPython(r *repo, c *Checklist) error {
	pyproject, hasPyproject, err := r.read("pyproject.toml")
	if err != nil {
		return err
	}
	reqs := r.first("requirements.txt", "requirements-dev.txt", "requirements/dev.txt", "requirements/base.txt")
	if !hasPyproject && reqs == "" {
		return nil
	}
	from := "pyproject.toml"
	if !hasPyproject {
		from = reqs
	}
	pinnedTool(r, c, "python3", ".python-version", from)
	// pyvenv.cfg is a regular file every venv has; .venv/bin/python is a
	// symlink to the interpreter, outside the repository.
	const venv = ".venv/pyvenv.cfg"
	switch {
	case r.exists("uv.lock"):
		c.addTool(Tool{Name: "uv", From: "uv.lock"})
		c.Steps = append(c.Steps, Step{ID: "python-deps", Run: "uv sync --frozen", Creates: venv,
			Needs: []string{"tool:uv"}, From: "uv.lock"})
	case r.exists("poetry.lock") || strings.Contains(pyproject, "[tool.poetry]"):
		src := "pyproject.toml"
		if r.exists("poetry.lock") {
			src = "poetry.lock"
		}
		c.addTool(Tool{Name: "poetry", From: src})
		c.Steps = append(c.Steps, Step{ID: "python-deps", Run: "poetry install", Check: "poetry check --lock",
			Needs: []string{"tool:python3", "tool:poetry"}, From: src,
			Comment: "poetry install keeps its own virtualenv; set virtualenvs.in-project to have it in .venv"})
	default:
		c.Steps = append(c.Steps, Step{ID: "venv", Run: "python3 -m venv .venv", Creates: venv,
			Needs: []string{"tool:python3"}, From: from})
		run := ".venv/bin/pip install -e ."
		if reqs != "" {
			run = ".venv/bin/pip install -r " + reqs
			from = reqs
		}
		c.Steps = append(c.Steps, Step{ID: "python-deps", Run: run, Needs: []string{"venv"}, From: from})
	}
	return nil
}
