package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
)

const diffOld = `depgraph: 1
include: [vercel, heroku]
nodes:
  - id: acme/failover
    kind: vendor
    depends_on: [heroku/eu]
  - id: acme/bot
    kind: service
    depends_on: [{any_of: [vercel/iad1, acme/failover]}]
`

var diffRunTests = []struct {
	name     string
	new      string
	json     bool
	wantCode int
	want     []string
}{
	{"failover moved into the primary's region", strings.Replace(diffOld, "heroku/eu", "heroku/us", 1), false, ExitOK, []string{
		"Single points of failure per service\n  acme/bot: + aws/us-east-1\n",
		"  + acme/failover → heroku/us: impact 1",
		"  - acme/failover → heroku/eu: impact 1",
	}},
	{"json", diffOld, true, ExitOK, []string{`"schema_version": 1`, `"services": []`}},
	{"invalid new model", "depgraph: 1\nnodes: [{id: x, kind: servcie}]\n", false, ExitInput, nil},
}

func TestRunDiff(t *testing.T) {
	for _, tt := range diffRunTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			err := runDiff(context.Background(), &diffOptions{IO: ios, Old: writeTemp(t, "old.yaml", diffOld), New: writeTemp(t, "new.yaml", tt.new), JSON: tt.json})
			if code := exitCode(err); code != tt.wantCode {
				t.Fatalf("exit code: got:%d want:%d (error %v)", code, tt.wantCode, err)
			}
			for _, s := range tt.want {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out.String())
				}
			}
			if tt.json {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("output is not JSON: %v", err)
				}
			}
		})
	}
}

func TestDiffCmd(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"a.yaml", "git:HEAD:a.yaml", "--json"}, ""},
		{[]string{"a.yaml"}, "depgraph diff needs two models to compare: OLD NEW (files, directories or git:REV:path)"},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *diffOptions
		err := executeStub(ios, diffCmd(ios, func(_ context.Context, o *diffOptions) error { got = o; return nil }), tt.args...)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr || exitCode(err) != ExitInput {
				t.Errorf("got:%v want FlagError %q", err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.Old != "a.yaml" || got.New != "git:HEAD:a.yaml" || !got.JSON {
			t.Errorf("got:%v %+v", err, got)
		}
	}
	if newDiffCmd(nil).Use != "diff OLD NEW" {
		t.Errorf("newDiffCmd: unexpected Use")
	}
}
