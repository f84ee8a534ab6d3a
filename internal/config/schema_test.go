package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	yaml "go.yaml.in/yaml/v4"
)

// schemaMarker, at the start of a line of a txtar script's comment (or of
// the first line of a loose fixture), says that the loader rejects the
// fixture for a reason JSON Schema cannot express: a cross reference, a
// duplicate, a YAML spelling the JSON data model does not keep...
const schemaMarker = "# schema: cannot express"

// fixture is one checklist the loader and the schema must agree on.
type fixture struct {
	name   string // shown in failures: script.txtar/onboard.yaml
	data   []byte
	group  string // the file that carries the marker (a txtar script or the loose file)
	marked bool   // the group says the schema cannot express why the loader refuses it
}

// loadFixtures returns every *.yaml file of every testscript script plus the
// loose fixtures in testdata/*.yaml, and the set of marked groups (a marked
// script may hold no *.yaml file). Scripts are globbed on every run, so new
// ones take part without a change here.
func loadFixtures(t testing.TB) (fixtures []fixture, marked map[string]bool) {
	t.Helper()
	var out []fixture
	marked = map[string]bool{}
	scripts, err := filepath.Glob(filepath.Join("..", "..", "cmd", "onboard", "testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range scripts {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(path)
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if strings.HasPrefix(line, schemaMarker) {
				marked[base] = true
			}
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".yaml") {
				out = append(out, fixture{name: base + "/" + f.Name, data: f.Data, group: base, marked: marked[base]})
			}
		}
	}
	loose, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range loose {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(data), "\n")
		name := "testdata/" + filepath.Base(path)
		marked[name] = strings.HasPrefix(first, schemaMarker)
		out = append(out, fixture{name: name, data: data, group: name, marked: marked[name]})
	}
	if len(out) == 0 {
		t.Fatal("no fixtures found: the globs are wrong")
	}
	return out, marked
}

// compileSchema compiles Schema() as editors and CI linters would, with the
// "regex" format asserted. The library's regexp engine is Go's regexp
// (RE2 syntax), the dialect the loader compiles patterns with.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("onboard.schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "file:///onboard.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	// Compile also validates the schema against the 2020-12 metaschema.
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("onboard.schema.json does not compile: %v", err)
	}
	return sch
}

// TestSchemaAgreesWithLoader runs every fixture through both the loader and
// the schema and fails where they disagree on a rule the schema can express.
func TestSchemaAgreesWithLoader(t *testing.T) {
	sch := compileSchema(t)
	fixtures, marked := loadFixtures(t)

	// needed records, per group, whether one of its fixtures is refused by
	// the loader and accepted by the schema, that is whether its marker is
	// earned. A script marks all its files at once, so a marker is stale
	// only when no file of the script needs it.
	needed := map[string]bool{}
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			_, lerr := Parse(fx.name, fx.data)
			loaderOK := lerr == nil
			var el *ErrorList
			if lerr != nil && !errors.As(lerr, &el) {
				t.Fatalf("Parse returned %T, want *ErrorList: %v", lerr, lerr)
			}
			value, cerr := yamlToJSON(fx.data)
			if cerr != nil {
				// Not YAML, or YAML without a JSON equivalent: there is
				// nothing for the schema to see; the loader must refuse it.
				if loaderOK {
					t.Errorf("the loader accepts a document that has no JSON equivalent (%v)", cerr)
				}
				return
			}
			serr := sch.Validate(value)
			schemaOK := serr == nil
			t.Logf("loader accepts: %v, schema accepts: %v, marked: %v", loaderOK, schemaOK, fx.marked)
			switch {
			case loaderOK && !schemaOK:
				t.Errorf("the schema rejects a checklist the loader accepts; editors would show false errors:\n%#v", serr)
			case !loaderOK && schemaOK:
				needed[fx.group] = true
				if !fx.marked {
					where := "a line of the comment (before the first -- file --) of " + fx.group
					if !strings.HasSuffix(fx.group, ".txtar") {
						where = "the first line of " + fx.group
					}
					t.Errorf("the loader rejects this checklist but the schema accepts it. Make the schema express the rule or, if JSON Schema cannot, start %s with %q. The loader said:\n%s",
						where, schemaMarker+" <reason>", el.Render())
				}
			}
		})
	}
	groups := make([]string, 0, len(marked))
	for group := range marked {
		groups = append(groups, group)
	}
	slices.Sort(groups)
	for _, group := range groups {
		if marked[group] && !needed[group] {
			t.Errorf("%s is marked %q, but no checklist in it needs the marker (each one the loader rejects, the schema rejects too, or is not YAML): remove the stale marker", group, schemaMarker)
		}
	}
}

// yamlToJSON converts a YAML document into the value a JSON Schema
// validator sees, as an editor's YAML language server does: scalars by
// their resolved tag, aliases followed, merge keys (<<) applied the way the
// loader applies them (keys written in the mapping win, then earlier merge
// sources), and the first of duplicate keys kept, as the loader keeps it.
// It fails for what has no JSON equivalent: invalid YAML, non-scalar keys,
// infinite or NaN floats, malformed merges, and documents whose aliases
// expand beyond a million values.
func yamlToJSON(data []byte) (any, error) {
	var root yaml.Node
	if err := yaml.Load(data, &root, yaml.WithUniqueKeys(false)); err != nil {
		return nil, err
	}
	n := &root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil, nil
		}
		n = n.Content[0]
	}
	if n.Kind == 0 {
		return nil, nil // an empty stream: null, as in JSON
	}
	if size := expandedSize(n, map[*yaml.Node]int{}); size > 1_000_000 {
		return nil, fmt.Errorf("aliases expand to more than a million values")
	}
	c := &converter{active: map[*yaml.Node]bool{}}
	return c.value(n)
}

// expandedSize counts the values of n with every alias written out.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	if s, ok := memo[n]; ok {
		return s
	}
	memo[n] = 0 // a node that contains itself adds nothing more
	s := 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		s += expandedSize(n.Alias, memo)
	}
	for _, c := range n.Content {
		s += expandedSize(c, memo)
		if s > math.MaxInt32 {
			s = math.MaxInt32
		}
	}
	memo[n] = s
	return s
}

type converter struct {
	active map[*yaml.Node]bool // nodes being converted, to refuse cycles
}

func (c *converter) value(n *yaml.Node) (any, error) {
	if c.active[n] {
		return nil, fmt.Errorf("line %d: a node contains itself", n.Line)
	}
	c.active[n] = true
	defer delete(c.active, n)
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, fmt.Errorf("line %d: alias to nothing", n.Line)
		}
		return c.value(n.Alias)
	case yaml.ScalarNode:
		return scalar(n)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, el := range n.Content {
			v, err := c.value(el)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		pairs, err := c.pairs(n)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(pairs))
		for _, p := range pairs {
			out[p.key] = p.value
		}
		return out, nil
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %v", n.Line, n.Kind)
}

type pair struct {
	key   string
	value any
}

// pairs returns the entries of a mapping after merge keys, as
// decoder.fields does.
func (c *converter) pairs(n *yaml.Node) ([]pair, error) {
	var out, merged []pair
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolveAlias(n.Content[i]), n.Content[i+1]
		if k == nil {
			return nil, fmt.Errorf("line %d: alias to nothing", n.Content[i].Line)
		}
		if k.Tag == "!!merge" {
			ps, err := c.merge(v)
			if err != nil {
				return nil, err
			}
			merged = append(merged, ps...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: a key that is not a scalar has no JSON equivalent", k.Line)
		}
		if seen[k.Value] {
			continue
		}
		seen[k.Value] = true
		val, err := c.value(v)
		if err != nil {
			return nil, err
		}
		out = append(out, pair{k.Value, val})
	}
	for _, p := range merged {
		if !seen[p.key] {
			seen[p.key] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// merge expands the value of a << key: a mapping or a list of mappings,
// earlier ones winning.
func (c *converter) merge(v *yaml.Node) ([]pair, error) {
	v = resolveAlias(v)
	var sources []*yaml.Node
	switch {
	case v == nil:
		return nil, fmt.Errorf("alias to nothing")
	case v.Kind == yaml.MappingNode:
		sources = []*yaml.Node{v}
	case v.Kind == yaml.SequenceNode:
		sources = v.Content
	default:
		return nil, fmt.Errorf("line %d: << must merge a mapping or a list of mappings", v.Line)
	}
	var out []pair
	seen := map[string]bool{}
	for _, s := range sources {
		s = resolveAlias(s)
		if s == nil || s.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("<< must merge a mapping or a list of mappings")
		}
		if c.active[s] {
			return nil, fmt.Errorf("line %d: a mapping merges itself", s.Line)
		}
		c.active[s] = true
		ps, err := c.pairs(s)
		delete(c.active, s)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !seen[p.key] {
				seen[p.key] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// scalar converts a scalar by its tag, as YAML resolved it.
func scalar(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		// As decoder.boolean reads it, even under an explicit !!bool tag.
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
	case "!!int":
		plain := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), nil
		}
		if u, err := strconv.ParseUint(strings.TrimPrefix(plain, "+"), 0, 64); err == nil {
			return json.Number(strconv.FormatUint(u, 10)), nil
		}
		// An explicit !!int on text that is no number (`!!int abc`): the
		// loader reads its text, so the schema sees the text.
		return n.Value, nil
	case "!!float":
		switch n.Value {
		case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
			return nil, fmt.Errorf("line %d: %s has no JSON equivalent", n.Line, n.Value)
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: the float %q has no JSON equivalent", n.Line, n.Value)
		}
		return f, nil
	}
	// !!str, and tags JSON has no type for (!!timestamp, !!binary, local
	// tags): editors see the text.
	return n.Value, nil
}

// TestSchemaIsDraft202012 checks the schema is JSON and declares its draft.
func TestSchemaIsDraft202012(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatalf("onboard.schema.json is not valid JSON: %v", err)
	}
	const want = "https://json-schema.org/draft/2020-12/schema"
	if got := doc["$schema"]; got != want {
		t.Errorf(`"$schema" is %q, want %q`, got, want)
	}
	compileSchema(t)
}

// TestSchemaWhiteSpaceIsUnicode checks the character class the schema uses
// for "not only white space" against unicode.IsSpace, which the loader
// trims with (strings.TrimSpace). The class is spelled with escapes that
// Go's regexp and ECMA-262 (editors) read alike, since \s differs between
// them.
func TestSchemaWhiteSpaceIsUnicode(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	p, err := schemaAt(doc, "$defs/nonEmpty/pattern")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(p.(string))
	check := func(r rune) {
		if got, want := re.MatchString(string(r)), !unicode.IsSpace(r); got != want {
			t.Errorf("$defs/nonEmpty/pattern matches %U: %v; unicode.IsSpace says it is white space: %v", r, got, !want)
		}
	}
	// All white space is in the Basic Multilingual Plane; two runes stand
	// for the planes above it.
	for r := rune(0); r < 0x10000; r++ {
		check(r)
	}
	check(0x10000)
	check(unicode.MaxRune)
}

// TestSchemaKeysMatchLoader checks that each mapping of the schema names
// exactly the keys the loader accepts, and that its enums list the values
// the loader accepts.
func TestSchemaKeysMatchLoader(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatalf("onboard.schema.json is not valid JSON: %v", err)
	}
	keys := []struct {
		loader string
		keys   []string
		path   string // in the schema, following local $refs at each step
	}{
		{"fileKeys", fileKeys, "properties"},
		{"repoKeys", repoKeys, "properties/repo/properties"},
		{"inputKeys", inputKeys, "$defs/input/properties"},
		{"toolKeys", toolKeys, "$defs/tool/properties"},
		{"stepKeys", stepKeys, "$defs/step/properties"},
		{"templateKeys", templateKeys, "$defs/step/properties/template/properties"},
		{"whenKeys", whenKeys, "$defs/step/properties/when/properties"},
		{"stepCIKeys", stepCIKeys, "$defs/step/properties/ci/properties"},
		{"inputCIKeys", inputCIKeys, "$defs/input/properties/ci/properties"},
		{"serviceKeys", serviceKeys, "$defs/service/properties"},
		{"composeKeys", composeKeys, "$defs/service/properties/compose/properties"},
		{"setupKeys", setupKeys, "$defs/service/properties/setup/properties"},
		{"readyKeys", readyKeys, "$defs/service/properties/ready/properties"},
	}
	for _, k := range keys {
		node, err := schemaAt(doc, k.path)
		if err != nil {
			t.Errorf("%s: %v", k.loader, err)
			continue
		}
		props, ok := node.(map[string]any)
		if !ok {
			t.Errorf("%s: the schema's %s is not an object", k.loader, k.path)
			continue
		}
		var schemaKeys []string
		for key := range props {
			schemaKeys = append(schemaKeys, key)
		}
		compareSets(t, k.loader, k.keys, k.path, schemaKeys)
	}

	enums := []struct {
		loader string
		values []string
		path   string
	}{
		{"knownOS", knownOS, "$defs/os/enum"},
		{"knownArch", knownArch, "$defs/arch/enum"},
		{"mergeModes", mergeModes, "$defs/step/properties/template/properties/merge/enum"},
		{"restarts", restarts, "$defs/service/properties/restart/enum"},
		{"conditions", conditions, "$defs/service/properties/depends_on/oneOf/1/additionalProperties/enum"},
	}
	for _, e := range enums {
		node, err := schemaAt(doc, e.path)
		if err != nil {
			t.Errorf("%s: %v", e.loader, err)
			continue
		}
		list, _ := node.([]any)
		var values []string
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				t.Errorf("%s: the schema's %s holds %v, not a string", e.loader, e.path, v)
			}
			values = append(values, s)
		}
		compareSets(t, e.loader, e.values, e.path, values)
	}
}

// schemaAt walks a slash-separated path from the schema's root, following
// a local "$ref" wherever the path continues past an object that has one.
func schemaAt(root map[string]any, path string) (any, error) {
	var node any = root
	walked := ""
	for _, step := range strings.Split(path, "/") {
		for hops := 0; ; hops++ {
			obj, ok := node.(map[string]any)
			if !ok {
				break
			}
			ref, ok := obj["$ref"].(string)
			if !ok || obj[step] != nil {
				break
			}
			if hops > 10 || !strings.HasPrefix(ref, "#/") {
				return nil, fmt.Errorf("the schema's %s: cannot follow $ref %q", walked, ref)
			}
			target, err := schemaAt(root, strings.TrimPrefix(ref, "#/"))
			if err != nil {
				return nil, err
			}
			node = target
		}
		walked = strings.TrimPrefix(walked+"/"+step, "/")
		switch v := node.(type) {
		case map[string]any:
			next, ok := v[step]
			if !ok {
				return nil, fmt.Errorf("the schema has no %s", walked)
			}
			node = next
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(v) {
				return nil, fmt.Errorf("the schema has no %s", walked)
			}
			node = v[i]
		default:
			return nil, fmt.Errorf("the schema has no %s", walked)
		}
	}
	return node, nil
}

func compareSets(t *testing.T, loaderName string, loader []string, path string, schema []string) {
	t.Helper()
	var onlyLoader, onlySchema []string
	for _, k := range loader {
		if !slices.Contains(schema, k) {
			onlyLoader = append(onlyLoader, k)
		}
	}
	for _, k := range schema {
		if !slices.Contains(loader, k) {
			onlySchema = append(onlySchema, k)
		}
	}
	slices.Sort(onlySchema)
	if len(onlyLoader) > 0 {
		t.Errorf("%s (file.go) has %q, missing from the schema's %s", loaderName, onlyLoader, path)
	}
	if len(onlySchema) > 0 {
		t.Errorf("the schema's %s has %q, missing from %s (file.go)", path, onlySchema, loaderName)
	}
}
