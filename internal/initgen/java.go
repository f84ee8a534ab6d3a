package initgen

// detectJava: pom.xml (Maven) or build.gradle(.kts) (Gradle) resolve their
// dependencies; a wrapper script in the repository is preferred over an
// installed mvn or gradle, since it pins the build tool's version.
func detectJava(r *repo, c *Checklist) error {
	var from, tool, wrapper, run string
	switch {
	case r.exists("pom.xml"):
		from, tool, wrapper, run = "pom.xml", "mvn", "mvnw", "dependency:go-offline -q"
	case r.first("build.gradle", "build.gradle.kts") != "":
		from, tool, wrapper, run = r.first("build.gradle", "build.gradle.kts"), "gradle", "gradlew", "dependencies -q"
	default:
		return nil
	}
	c.addTool(Tool{Name: "java", From: from})
	needs := []string{"tool:java"}
	if r.exists(wrapper) {
		run = "./" + wrapper + " " + run
		from = wrapper
	} else {
		c.addTool(Tool{Name: tool, From: from})
		needs = append(needs, "tool:"+tool)
		run = tool + " " + run
	}
	c.Steps = append(c.Steps, Step{ID: "java-deps", Run: run, Needs: needs, From: from})
	return nil
}
