package config

import _ "embed"

//go:embed onboard.schema.json
var schema []byte

// Schema returns the JSON Schema (2020-12) of onboard.yaml v1, for editors
// and CI linters. It mirrors the loader; a test runs every fixture through
// both and fails where they disagree on a rule the schema can express.
func Schema() []byte {
	return append([]byte(nil), schema...)
}
