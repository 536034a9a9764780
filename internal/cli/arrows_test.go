package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
)

// arrowTests run commands that print dependency chains on the built-in
// example. Every arrow must read "depends on", dependent first (issue 16
// item 12: blast printed "a ← b" and explain --format markdown "b → a" for
// what domains printed as "a → b").
var arrowTests = []struct {
	args []string
	want string // a chain, in the one reading
}{
	{[]string{"blast", "aws/us-east-1"}, "acme/checkout → acme/storefront → vercel/iad1 → aws/us-east-1"},
	{[]string{"domains", "acme/support-bot"}, "acme/support-bot → acme/bot-backend → vercel/iad1 → aws/us-east-1"},
	{[]string{"explain", "--impacted", "acme/support-bot", "--from", "2025-06-12T17:45Z", "--to", "2025-06-12T21:00Z", "--top", "10"}, "acme/support-bot → acme/bot-backend → vercel/iad1"},
	{[]string{"explain", "--impacted", "acme/support-bot,acme/checkout", "--from", "2025-06-12T17:45Z", "--to", "2025-06-12T21:00Z", "--format", "markdown"}, "`acme/checkout` → `acme/storefront` → `vercel/iad1`"},
}

func TestArrowsReadDependsOn(t *testing.T) {
	for _, tt := range arrowTests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			if code := Main(context.Background(), tt.args, ios); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got := out.String()
			if strings.Contains(got, "←") {
				t.Errorf("a ← arrow is printed:\n%s", got)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("missing the chain %q in:\n%s", tt.want, got)
			}
		})
	}
}
