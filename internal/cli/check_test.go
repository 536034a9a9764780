package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/iostreams"
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var checkTests = []struct {
	name     string
	policy   string
	json     bool
	wantCode int
	wantOut  []string // substrings of the output
	wantErr  string   // substring of the error
}{
	{"clean", "policy: 1\nrules:\n  - max_source_age: {days: 100000, allow_unverified: true}\n", false, ExitOK,
		[]string{"policy.yaml: 1 rule, no violations"}, ""},
	{"failover group sharing a region", "policy: 1\nrules:\n  - failover_independent: {tags: [tier-1]}\n", false, ExitFound,
		[]string{"acme.yaml:60:9: failover_independent: failover group [acme/storefront, acme/storefront-fallback] of acme/checkout shares the failure domains aws, aws/us-east-1", "  rule at ", "policy.yaml:3:5"},
		"1 violation"},
	{"json", "policy: 1\nrules:\n  - no_spof: {tags: [tier-1]}\n", true, ExitFound,
		[]string{`"rule": "no_spof"`, `"where": "acme.yaml:44:5"`, `"schema_version": 1`}, "2 violations"},
	{"bad policy", "policy: 1\nrules:\n  - no_spof: {tag: [tier-1]}\n", false, ExitInput,
		nil, "policy.yaml:3:15: no_spof: unknown key \"tag\" (did you mean `tags`?)"},
	{"tag no service has", "policy: 1\nrules:\n  - no_spof: {tags: [tier1]}\n", false, ExitInput,
		nil, "no_spof: tag \"tier1\" matches no service (did you mean `tier-1`?)"},
}

func TestRunCheck(t *testing.T) {
	for _, tt := range checkTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			p := writeTemp(t, "policy.yaml", tt.policy)
			err := runCheck(context.Background(), &checkOptions{IO: ios, Policy: p, JSON: tt.json, Today: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
			if code := exitCode(err); code != tt.wantCode {
				t.Fatalf("exit code: got:%d want:%d (error %v)", code, tt.wantCode, err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error: got:%v want it to contain %q", err, tt.wantErr)
			}
			for _, s := range tt.wantOut {
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

var checkCmdTests = []struct {
	name    string
	args    []string
	wantErr string
	check   func(o *checkOptions) bool
}{
	{"policy and model", []string{"--policy", "p.yaml", "-m", "a.yaml", "--json"}, "", func(o *checkOptions) bool {
		return o.Policy == "p.yaml" && o.JSON && len(o.Model.Paths) == 1 && o.Today.IsZero()
	}},
	{"today", []string{"--policy", "p.yaml", "--today", "2026-01-02"}, "", func(o *checkOptions) bool {
		return o.Today.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	}},
	{"no policy", nil, "depgraph check needs --policy FILE", nil},
	{"bad today", []string{"--policy", "p.yaml", "--today", "yesterday"}, `--today "yesterday": use YYYY-MM-DD`, nil},
	{"argument", []string{"--policy", "p.yaml", "x"}, `depgraph check takes no arguments, got "x"`, nil},
}

func TestCheckCmd(t *testing.T) {
	for _, tt := range checkCmdTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *checkOptions
			err := executeStub(ios, checkCmd(ios, func(_ context.Context, o *checkOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || exitCode(err) != ExitInput {
					t.Fatalf("got:%v want FlagError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("got:%+v", *got)
			}
		})
	}
	if newCheckCmd(nil).Use != "check --policy FILE" {
		t.Errorf("newCheckCmd: unexpected Use")
	}
}
