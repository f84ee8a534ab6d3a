package initgen

import (
	"regexp"
	"strings"
	"sync"

	"github.com/onboard-dev/onboard/internal/dotenv"
)

// EnvTemplate is the template init writes beside .env.example when some of
// its keys are empty: the same file, with each empty key filled from the
// input asked for it. .env.example itself stays as it is, since people
// and tools without onboard read it too.
const EnvTemplate = ".env.onboard.tmpl"

var (
	// secretKey: values nobody should see on a screen.
	secretKey = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PASS$|SECRET|TOKEN|_KEY$|^KEY$|APIKEY|PRIVATE|CREDENTIAL|SALT)`)
	})
	// generatedKey: secrets the project makes up itself (a local database
	// password, a session key), unlike a token another service issues.
	generatedKey = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET_KEY|SESSION_SECRET|COOKIE_SECRET|JWT_SECRET|APP_SECRET|SALT|ENCRYPTION_KEY|SIGNING_KEY)`)
	})
	// issuedKey: secrets only their issuer can give (an API key, a token).
	issuedKey = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(API|TOKEN|ACCESS_KEY|CLIENT_SECRET|STRIPE|GITHUB|AWS|SENTRY|DSN)`)
	})
)

// detectDotenv: .env.example becomes .env (`merge: dotenv` keeps a
// developer's own values); each empty key is a question, secret when its
// name says so, generated when the project can make it up.
func detectDotenv(r *repo, c *Checklist) error {
	const src = ".env.example"
	text, ok, err := r.read(src)
	if err != nil || !ok {
		return err
	}
	var b strings.Builder
	asked := false
	for _, l := range dotenv.Parse([]byte(text)) {
		name := strings.ToLower(l.Key)
		if l.Key == "" || l.Value != "" || !inputName(name) || hasInput(c, name) {
			// {{ in a kept line would be read as template syntax.
			b.WriteString(escapeTemplate(l.Raw))
			continue
		}
		in := Input{Name: name, Prompt: l.Key + " for .env", From: src}
		if secretKey().MatchString(l.Key) {
			in.Secret = true
			if generatedKey().MatchString(l.Key) && !issuedKey().MatchString(l.Key) {
				in.Generate = 32
			}
		}
		c.Inputs = append(c.Inputs, in)
		asked = true
		prefix := ""
		if l.Export {
			prefix = "export "
		}
		// Quoted, so that an answer with a space or a # stays whole.
		end := l.Raw[len(strings.TrimRight(l.Raw, "\r\n")):]
		b.WriteString(prefix + l.Key + "={{ quote .Inputs." + name + " }}" + end)
	}
	t := &Template{Src: src, Dest: ".env", Mode: "0600", Merge: "dotenv"}
	from := src
	// A {{ in .env.example would be read as template syntax: the escaped
	// copy is needed then too.
	if asked || strings.Contains(text, "{{") {
		c.Files[EnvTemplate] = b.String()
		t.Src = EnvTemplate
	}
	step := Step{ID: "env", Template: t, From: from}
	if t.Src == EnvTemplate {
		step.Comment = EnvTemplate + " is " + src + " with each empty key filled from its input, and {{ kept as text"
	}
	c.Steps = append(c.Steps, step)
	return nil
}

// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var inputPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_]*$`) })

func inputName(s string) bool { return inputPattern().MatchString(s) }

func hasInput(c *Checklist, name string) bool {
	for _, in := range c.Inputs {
		if in.Name == name {
			return true
		}
	}
	return false
}

// escapeTemplate keeps text/template from reading {{ in a line as syntax.
func escapeTemplate(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return strings.ReplaceAll(s, "{{", `{{"{{"}}`)
}
