package steps

import (
	"errors"
	"slices"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

func TestRenderEnv(t *testing.T) {
	vals := func(kv ...string) map[string]config.String {
		m := map[string]config.String{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = config.String{Value: kv[i+1]}
		}
		return m
	}
	inputs := map[string]string{"pw": `a"b $c`}
	for _, tc := range []struct {
		name    string
		values  map[string]config.String
		want    []string
		wantErr bool
	}{
		{"plain values as they are", vals("A", "x {y} $Z"), []string{"A=x {y} $Z"}, false},
		{"inputs, env, project, sorted", vals("B", "{{ .Inputs.pw }}", "A", "{{ .Project }}-{{ .Env.HOME }}"), []string{"A=demo-/h", `B=a"b $c`}, false},
		{"functions", vals("A", `{{ upper "x" }}{{ "" | default "d" }}{{ b64enc "a" }}`), []string{"A=XdYQ=="}, false},
		{"unknown input", vals("A", "{{ .Inputs.nope }}"), nil, true},
		{"literal braces", vals("A", `{{ "{{" }}`), []string{"A={{"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := renderEnv(tc.values, inputs, "demo", []string{"HOME=/h"})
			if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
				t.Errorf("renderEnv = %q, %v; want %q (error %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
	if _, err := renderEnv(vals("A", "{{ randAlphaNum 3 }}"), nil, "", nil); !errors.Is(err, errEnvRandom) {
		t.Errorf("randAlphaNum: %v, want errEnvRandom", err)
	}
}
