package iostreams

import "testing"

func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		ios, _, _, errOut := Test()
		ios.SetStderrTTY(tty)
		p := ios.Progress()
		p.Count("analysed services", 1, 3)
		p.Count("analysed services", 2, 3)
		p.Show("done")
		p.Done()
		got := errOut.String()
		want := ""
		if tty {
			want = "\rdepgraph: analysed services 1/3\rdepgraph: analysed services 2/3\rdepgraph: done                 \r                               \r"
		}
		if got != want {
			t.Errorf("tty %v: got:%q want:%q", tty, got, want)
		}
	}
	var zero *Progress
	zero.Show("nothing") // a nil Progress does nothing
	zero.Done()
}
