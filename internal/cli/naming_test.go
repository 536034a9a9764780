package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
)

// unknownNodeTests: an unknown node id is reported in the name of the
// command the user ran (issue 16 item 12: domains, explain and graph
// --focus said "blast: no node …").
var unknownNodeTests = []struct {
	args []string
	want string
}{
	{[]string{"blast", "nope"}, `depgraph: error: blast: no node "nope" in the model`},
	{[]string{"domains", "acme/checkot"}, `depgraph: error: domains: no node "acme/checkot" in the model (did you mean "acme/checkout"?)`},
	{[]string{"domains", "--by-node", "nope"}, `depgraph: error: domains: no node "nope" in the model`},
	{[]string{"graph", "--focus", "nope"}, `depgraph: error: graph: no node "nope" in the model`},
	{[]string{"graph", "--blast", "nope"}, `depgraph: error: graph: no node "nope" in the model`},
	{[]string{"explain", "--impacted", "nope", "--from", "2025-06-12T17:45Z", "--to", "2025-06-12T21:00Z"}, `depgraph: error: explain`},
}

func TestUnknownNodeNamesTheCommand(t *testing.T) {
	for _, tt := range unknownNodeTests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			if code := Main(context.Background(), tt.args, ios); code != ExitInput {
				t.Errorf("exit code: got:%d want:%d", code, ExitInput)
			}
			line, _, _ := strings.Cut(errOut.String(), "\n")
			if !strings.HasPrefix(line, tt.want) || strings.Contains(line, "blast:") != strings.HasPrefix(tt.want, "depgraph: error: blast:") {
				t.Errorf("got:%q want:%q", line, tt.want)
			}
		})
	}
}
