package mention

import (
	"fmt"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/model"
)

var testNodes = []*model.Node{
	{ID: "aws", Name: "AWS", Aliases: []string{"Amazon Web Services", "Amazon Web Services, Inc."}},
	{ID: "aws/us-east-1", Name: "AWS us-east-1", Aliases: []string{"us-east-1", "N. Virginia", "IAD", "US East (N. Virginia)"}},
	{ID: "aws/us-east-1/dynamodb", Name: "Amazon DynamoDB us-east-1", Aliases: []string{"DynamoDB"}},
	{ID: "azure/front-door", Name: "Azure Front Door", Aliases: []string{"AFD"}},
	{ID: "azure", Name: "Azure", Aliases: []string{"Microsoft Azure"}},
	{ID: "gcp/storage", Name: "Storage"},
	{ID: "vercel/iad1", Name: "Vercel iad1", Aliases: []string{"iad1"}},
}

// matchTests are the texts of real incidents (cascades.md) and the traps
// short codes set.
var matchTests = []struct {
	text string
	want []string // "node=quote/kind"
}{
	{"Amazon Web Services reports increased error rates in us-east-1.", []string{"aws=Amazon Web Services/alias", "aws/us-east-1=us-east-1/code"}},
	{"Our upstream provider (AWS) is having issues in N. Virginia", []string{"aws=AWS/code", "aws/us-east-1=N. Virginia/alias"}},
	{"increased latency in IAD", []string{"aws/us-east-1=IAD/code"}},
	{"the iad region and IADX are not codes we know", nil},
	{"us-east-1a and eu-us-east-1 are other tokens", nil},
	{"The US-EAST-1 region", []string{"aws/us-east-1=US-EAST-1/code"}},
	{"Azure Front Door (AFD) saw errors", []string{"azure/front-door=Azure Front Door/name", "azure/front-door=AFD/code"}},
	{"AFDX, safd and Afd are not AFD-like", nil},
	{"Microsoft Azure status", []string{"azure=Microsoft Azure/alias"}},
	{"we lost storage capacity", nil},
	{"Cloud Storage errors", []string{"gcp/storage=Storage/name"}},
	{"Vercel region iad1 was degraded; IAD1 too", []string{"vercel/iad1=iad1/alias", "vercel/iad1=IAD1/alias"}},
	{"DynamoDB endpoint dynamodb.us-east-1.amazonaws.com had an empty record", []string{"aws/us-east-1/dynamodb=DynamoDB/alias"}},
	{"AWS's US East (N. Virginia) Region", []string{"aws=AWS/code", "aws/us-east-1=US East (N. Virginia)/alias"}},
	{"aws/us-east-1 down", []string{"aws/us-east-1=aws/us-east-1/name"}},
	{"", nil},
}

func TestMatch(t *testing.T) {
	ix := New(testNodes)
	for _, tt := range matchTests {
		var got []string
		for _, m := range ix.Match(tt.text) {
			if tt.text[m.Start:m.End] != m.Quote {
				t.Errorf("%q: quote %q is not text[%d:%d]", tt.text, m.Quote, m.Start, m.End)
			}
			got = append(got, fmt.Sprintf("%s=%s/%s", m.NodeID, m.Quote, m.Kind))
		}
		if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
			t.Errorf("Match(%q)\n got:%v\nwant:%v", tt.text, got, tt.want)
		}
	}
}

func TestSharedPhrase(t *testing.T) {
	ix := New([]*model.Node{{ID: "a", Aliases: []string{"Shared Name"}}, {ID: "b", Aliases: []string{"Shared Name"}}})
	ms := ix.Match("the Shared Name failed")
	if len(ms) != 2 || ms[0].NodeID != "a" || ms[1].NodeID != "b" {
		t.Errorf("got:%v want a and b", ms)
	}
}

func FuzzMatch(f *testing.F) {
	for _, tt := range matchTests {
		f.Add(tt.text)
	}
	ix := New(testNodes)
	f.Fuzz(func(t *testing.T, s string) {
		last := -1
		for _, m := range ix.Match(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || s[m.Start:m.End] != m.Quote {
				t.Fatalf("bad mention %+v in %q", m, s)
			}
			if m.Start < last {
				t.Fatalf("mentions out of order in %q", s)
			}
			last = m.Start
		}
	})
}
