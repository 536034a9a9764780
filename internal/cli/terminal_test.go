package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
)

// TestColorOnlyOnATerminal is issue 16 item 14: state words are coloured
// on a terminal, never in a pipe or file, never with NO_COLOR.
func TestColorOnlyOnATerminal(t *testing.T) {
	for _, tt := range []struct {
		tty     bool
		noColor string
		want    bool
	}{{true, "", true}, {true, "1", false}, {false, "", false}} {
		t.Setenv("NO_COLOR", tt.noColor)
		ios, _, out, errOut := iostreams.Test()
		ios.SetStdoutTTY(tt.tty)
		if code := Main(context.Background(), []string{"blast", "azure/southcentralus"}, ios); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		got := strings.Contains(out.String(), "\x1b[31mdown\x1b[0m")
		if got != tt.want || (!tt.want && strings.Contains(out.String(), "\x1b[")) {
			t.Errorf("tty %v NO_COLOR %q: coloured %v, want %v:\n%q", tt.tty, tt.noColor, got, tt.want, out)
		}
	}
}

// TestProgressOnlyOnATerminal: long runs (domains, report) show progress
// on the error output when it is a terminal, and nothing otherwise.
func TestProgressOnlyOnATerminal(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir()) // no incident store
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"domains"}, "\rdepgraph: analysed targets 3/3"},
		{[]string{"report", "--format", "json"}, "\rdepgraph: analysed services 3/3"},
	} {
		for _, tty := range []bool{false, true} {
			ios, _, _, errOut := iostreams.Test()
			ios.SetStderrTTY(tty)
			Main(context.Background(), tt.args, ios)
			if got := strings.Contains(errOut.String(), tt.want); got != tty {
				t.Errorf("%v, stderr tty %v: progress shown %v:\n%q", tt.args, tty, got, errOut)
			}
		}
	}
}
