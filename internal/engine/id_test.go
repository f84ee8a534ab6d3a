package engine

import (
	"encoding/json"
	"testing"
)

func TestID(t *testing.T) {
	for _, tc := range []struct {
		id   ID
		want string
		kind Kind
		name string
	}{
		{RepoID, "repo", KindRepo, ""},
		{InputID("db_password"), "input:db_password", KindInput, "db_password"},
		{ToolID("go"), "tool:go", KindTool, "go"},
		{StepID("deps"), "step:deps", KindStep, "deps"},
		{ServiceID("api"), "service:api", KindService, "api"},
	} {
		if tc.id.String() != tc.want || tc.id.Kind() != tc.kind || tc.id.Name() != tc.name {
			t.Errorf("%q: String %q, Kind %q, Name %q; want %q, %q, %q", tc.want, tc.id.String(), tc.id.Kind(), tc.id.Name(), tc.want, tc.kind, tc.name)
		}
	}
	// Events and state.json keep the plain string form.
	b, err := json.Marshal(map[ID][]ID{StepID("a"): {ToolID("go")}})
	if err != nil || string(b) != `{"step:a":["tool:go"]}` {
		t.Errorf("json = %s, %v", b, err)
	}
}
