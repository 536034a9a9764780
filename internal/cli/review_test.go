package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/review"
)

// sameRegionCandidate is a host in the region (AWS us-east-1) under both
// sides of the built-in example's checkout failover.
const sameRegionCandidate = `depgraph: 1
nodes:
  - id: newhost
    kind: vendor
    depends_on: [vercel/iad1]
`

var reviewRunTests = []struct {
	name      string
	candidate string // "@file" writes sameRegionCandidate to a file
	target    string
	format    string
	wantCode  int
	want      []string
	unwanted  []string
}{
	{"anthropic as failover", "anthropic", "acme/support-bot", "text", ExitOK,
		[]string{"Verdict: acceptable with reservations: shares no single point of failure with openai/api or acme/llm-failover"},
		[]string{"shares aws/us-east-1"}},
	{"same-region candidate", "@file", "acme/checkout", "text", ExitOK,
		[]string{"Verdict: not recommended: candidate newhost shares aws/us-east-1 (and aws, vercel, vercel/iad1) with the primary acme/storefront: it does not protect against that region failing",
			"candidate newhost shares aws/us-east-1 (and aws) with the existing alternative acme/storefront-fallback"}, nil},
	{"markdown", "@file", "acme/checkout", "markdown", ExitOK,
		[]string{"## Procurement review: newhost as failover for acme/checkout", "**Verdict: not recommended.**", "| acme/storefront (primary) | aws/us-east-1 (region), aws (provider), vercel (vendor), vercel/iad1 (component) |"}, nil},
	{"json", "anthropic", "acme/support-bot", "json", ExitOK,
		[]string{`"verdict": "acceptable with reservations"`, `"primary": "openai/api"`}, nil},
	{"unknown catalog", "anthropc", "acme/support-bot", "text", ExitInput, nil, nil},
	{"unknown target", "anthropic", "acme/support-bto", "text", ExitInput, nil, nil},
}

// TestRunReviewAmbiguousTarget: a target with several hard dependencies and
// no failover group does not say which dependency the candidate backs up.
func TestRunReviewAmbiguousTarget(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	m := writeTemp(t, "m.yaml", "depgraph: 1\ninclude: [vercel, heroku]\nnodes:\n  - id: acme/shop\n    kind: service\n    depends_on: [vercel/iad1, heroku/us]\n")
	err := runReview(context.Background(), &reviewOptions{IO: ios, Model: modelFlags{Paths: []string{m}}, Candidate: "anthropic", Format: "text",
		Placement: review.Placement{Mode: review.Failover, Target: "acme/shop"}})
	if code := exitCode(err); code != ExitInput {
		t.Fatalf("exit code: got:%d want:%d (error %v)", code, ExitInput, err)
	}
}

func TestRunReview(t *testing.T) {
	for _, tt := range reviewRunTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			cand := tt.candidate
			if cand == "@file" {
				cand = writeTemp(t, "newhost.yaml", sameRegionCandidate)
			}
			err := runReview(context.Background(), &reviewOptions{IO: ios, Candidate: cand, Format: tt.format,
				Placement: review.Placement{Mode: review.Failover, Target: tt.target}})
			if code := exitCode(err); code != tt.wantCode {
				t.Fatalf("exit code: got:%d want:%d (error %v)", code, tt.wantCode, err)
			}
			for _, s := range tt.want {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tt.unwanted {
				if strings.Contains(out.String(), s) {
					t.Errorf("output has %q:\n%s", s, out.String())
				}
			}
			if tt.format == "json" {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("output is not JSON: %v", err)
				}
			}
		})
	}
}

var reviewCmdTests = []struct {
	name    string
	args    []string
	wantErr string
	want    reviewOptions
}{
	{"failover", []string{"--candidate", "anthropic", "--as-failover-for", "acme/support-bot"}, "",
		reviewOptions{Candidate: "anthropic", Format: "text", Placement: review.Placement{Mode: review.Failover, Target: "acme/support-bot", Impact: 1}}},
	{"dependency with impact, json", []string{"--candidate", "x.yaml", "--node", "x/api", "--as-dependency-of", "acme/checkout", "--impact", "0.2", "--json"}, "",
		reviewOptions{Candidate: "x.yaml", Node: "x/api", Format: "json", Placement: review.Placement{Mode: review.Dependency, Target: "acme/checkout", Impact: 0.2}}},
	{"primary, markdown", []string{"--candidate", "a", "--as-failover-for", "s", "--primary", "p", "--format", "markdown"}, "",
		reviewOptions{Candidate: "a", Format: "markdown", Placement: review.Placement{Mode: review.Failover, Target: "s", Primary: "p", Impact: 1}}},
	{"no candidate", []string{"--as-failover-for", "s"}, "depgraph review needs --candidate FILE|NAME", reviewOptions{}},
	{"no placement", []string{"--candidate", "a"}, "say where the candidate goes: --as-failover-for NODE or --as-dependency-of NODE", reviewOptions{}},
	{"both placements", []string{"--candidate", "a", "--as-failover-for", "s", "--as-dependency-of", "t"}, "give either --as-failover-for or --as-dependency-of, not both", reviewOptions{}},
	{"impact with failover", []string{"--candidate", "a", "--as-failover-for", "s", "--impact", "0.5"}, "--impact goes with --as-dependency-of", reviewOptions{}},
	{"impact out of range", []string{"--candidate", "a", "--as-dependency-of", "s", "--impact", "2"}, "--impact 2: use a share in (0, 1]", reviewOptions{}},
	{"bad format", []string{"--candidate", "a", "--as-dependency-of", "s", "--format", "html"}, `unknown format "html": use one of text, markdown, json`, reviewOptions{}},
}

func TestReviewCmd(t *testing.T) {
	for _, tt := range reviewCmdTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *reviewOptions
			err := executeStub(ios, reviewCmd(ios, func(_ context.Context, o *reviewOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || exitCode(err) != ExitInput {
					t.Fatalf("got:%v want FlagError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Candidate != tt.want.Candidate || got.Node != tt.want.Node || got.Format != tt.want.Format || got.Placement != tt.want.Placement {
				t.Errorf("got:%+v want:%+v", *got, tt.want)
			}
		})
	}
	if !strings.HasPrefix(newReviewCmd(nil).Use, "review ") {
		t.Errorf("newReviewCmd: unexpected Use")
	}
}
