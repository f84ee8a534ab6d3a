package dotenv

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	type kv struct {
		Key, Value string
		Export     bool
	}
	tests := []struct {
		name string
		in   string
		want []kv // assignments only, in order
	}{
		{"plain", "A=1\nB=two\n", []kv{{"A", "1", false}, {"B", "two", false}}},
		{"comments and blanks", "# top\n\nA=1\n  # indented\n", []kv{{"A", "1", false}}},
		{"no trailing newline", "A=1\nB=2", []kv{{"A", "1", false}, {"B", "2", false}}},
		{"crlf", "A=1\r\nB=2\r\n", []kv{{"A", "1", false}, {"B", "2", false}}},
		{"export", "export A=1\nexport\tB = 2\nexportC=3\n", []kv{{"A", "1", true}, {"B", "2", true}, {"exportC", "3", false}}},
		{"inline comment", "A=1 # one\nB=#not-a-comment\nC=x#y\n", []kv{{"A", "1", false}, {"B", "#not-a-comment", false}, {"C", "x#y", false}}},
		{"quoted hash", "A=\"p#ss # word\" # comment\nB='it''s'\nC='# lit \\n'\n",
			[]kv{{"A", "p#ss # word", false}, {"B", "it", false}, {"C", "# lit \\n", false}}},
		{"escapes", `A="a\"b\\c\nd\qe"` + "\n", []kv{{"A", "a\"b\\c\nd\\qe", false}}},
		{"multiline double", "A=\"line1\nline2 # still value\n\"\nB=2\n", []kv{{"A", "line1\nline2 # still value\n", false}, {"B", "2", false}}},
		{"multiline crlf", "A=\"l1\r\nl2\"\r\nB=2\r\n", []kv{{"A", "l1\nl2", false}, {"B", "2", false}}},
		{"multiline single", "A='l1\nl2'\n", []kv{{"A", "l1\nl2", false}}},
		{"unterminated quote", "A=\"open\nB=2\n", []kv{{"A", "\"open", false}, {"B", "2", false}}},
		{"duplicate keys", "A=1\nA=2\n", []kv{{"A", "1", false}, {"A", "2", false}}},
		{"empty value", "A=\nB=\"\"\n", []kv{{"A", "", false}, {"B", "", false}}},
		{"not assignments", "just words\n=nokey\nA B=1\n", nil},
		{"bom", "\ufeffA=1\n", []kv{{"A", "1", false}}},
		{"dotted and dashed keys", "a.b-c=1\n", []kv{{"a.b-c", "1", false}}},
		{"empty file", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := Parse([]byte(tt.in))
			var raw strings.Builder
			var got []kv
			for _, l := range lines {
				raw.WriteString(l.Raw)
				if l.Key != "" {
					got = append(got, kv{l.Key, l.Value, l.Export})
				}
			}
			if raw.String() != tt.in {
				t.Errorf("lines do not give the file back:\n got %q\nwant %q", raw.String(), tt.in)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("assignments\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMultilineIsOneLine(t *testing.T) {
	lines := Parse([]byte("A=\"x\ny\" # c\nB=1"))
	if len(lines) != 2 || lines[0].Raw != "A=\"x\ny\" # c\n" || lines[1].Raw != "B=1" {
		t.Fatalf("got %+v", lines)
	}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name, user, rendered string
		want                 string
		added                []string
	}{
		{
			name:     "nothing missing keeps the file as is",
			user:     "# mine\nB=mine\nA=mine\nEXTRA=kept\n",
			rendered: "A=1\nB=2\n",
			want:     "# mine\nB=mine\nA=mine\nEXTRA=kept\n",
		},
		{
			name:     "missing keys appended with their comments, template order",
			user:     "A=mine # my note\n",
			rendered: "# Database\nA=1\n\n# Cache URL\n# (local redis)\nC=3\nB=2\n",
			want:     "A=mine # my note\n# Cache URL\n# (local redis)\nC=3\nB=2\n",
			added:    []string{"C", "B"},
		},
		{
			name:     "user file without final newline",
			user:     "A=1",
			rendered: "A=x\nB=2\n",
			want:     "A=1\nB=2\n",
			added:    []string{"B"},
		},
		{
			name:     "template without final newline",
			user:     "A=1\n",
			rendered: "A=x\nB=2",
			want:     "A=1\nB=2\n",
			added:    []string{"B"},
		},
		{
			name:     "crlf user file gets crlf lines",
			user:     "A=1\r\n",
			rendered: "# b\nB=\"x\ny\"\n",
			want:     "A=1\r\n# b\r\nB=\"x\r\ny\"\r\n",
			added:    []string{"B"},
		},
		{
			name:     "lf user file gets lf lines from a crlf template",
			user:     "A=1\n",
			rendered: "B=2\r\n",
			want:     "A=1\nB=2\n",
			added:    []string{"B"},
		},
		{
			name:     "export on either side is the same key",
			user:     "export A=mine\n",
			rendered: "A=1\nexport B=2\n",
			want:     "export A=mine\nexport B=2\n",
			added:    []string{"B"},
		},
		{
			name:     "quoted hash and multiline values kept and added whole",
			user:     "PASS=\"p#ss # x\"\nCERT=\"-----BEGIN\nabc\n-----END\"\n",
			rendered: "PASS=changeme\nCERT=\"\"\n# key\nKEY=\"k1\nk2\"\n",
			want:     "PASS=\"p#ss # x\"\nCERT=\"-----BEGIN\nabc\n-----END\"\n# key\nKEY=\"k1\nk2\"\n",
			added:    []string{"KEY"},
		},
		{
			name:     "duplicate keys: user's duplicates stay, template's added once as last written",
			user:     "A=1\nA=2\n",
			rendered: "# first\nB=1\nA=x\n# second\nB=2\n",
			want:     "A=1\nA=2\n# second\nB=2\n",
			added:    []string{"B"},
		},
		{
			name:     "empty user file",
			user:     "",
			rendered: "# c\nA=1\n",
			want:     "# c\nA=1\n",
			added:    []string{"A"},
		},
		{
			name:     "comment above a key the user has is not copied",
			user:     "A=mine\n",
			rendered: "# about A\nA=1\nB=2\n",
			want:     "A=mine\nB=2\n",
			added:    []string{"B"},
		},
		{
			name:     "non-assignment lines in the user file are kept",
			user:     "garbage line\n=x\n",
			rendered: "A=1\n",
			want:     "garbage line\n=x\nA=1\n",
			added:    []string{"A"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, added := Merge([]byte(tt.user), []byte(tt.rendered))
			if string(got) != tt.want {
				t.Errorf("merged\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(added, tt.added) {
				t.Errorf("added %q, want %q", added, tt.added)
			}
			if !strings.HasPrefix(string(got), tt.user) {
				t.Errorf("the user's bytes changed")
			}
			// Merging again adds nothing: the result is stable.
			again, added2 := Merge(got, []byte(tt.rendered))
			if string(again) != string(got) || len(added2) != 0 {
				t.Errorf("second merge changed the file: added %q", added2)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	user := "# mine\r\nA=1\r\nexport B=old # note\r\nC=keep\r\nB=older\r\n"
	rendered := "A=1\nB=\"new value\"\nD=4\n"
	got := string(Update([]byte(user), []byte(rendered), []string{"B", "D"}))
	want := "# mine\r\nA=1\r\nexport B=old # note\r\nC=keep\r\nB=\"new value\"\r\n"
	if got != want {
		t.Errorf("Update =\n%q\nwant\n%q", got, want)
	}
	if v := Values([]byte(got)); v["B"] != "new value" || v["C"] != "keep" {
		t.Errorf("Values = %q", v)
	}
}
