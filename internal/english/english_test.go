package english

import "testing"

var countTests = []struct {
	n         int
	one, many string
	want      string
}{
	{0, "node", "nodes", "0 nodes"},
	{1, "failure domain", "failure domains", "1 failure domain"},
	{2, "single point of failure", "single points of failure", "2 single points of failure"},
	{-1, "day", "days", "-1 days"},
}

func TestCount(t *testing.T) {
	for _, tt := range countTests {
		if got := Count(tt.n, tt.one, tt.many); got != tt.want {
			t.Errorf("Count(%d): got:%q want:%q", tt.n, got, tt.want)
		}
	}
	if got := CountString("1", "set", "sets"); got != "1 set" {
		t.Errorf("CountString(1): got:%q", got)
	}
	if got := CountString("10", "set", "sets"); got != "10 sets" {
		t.Errorf("CountString(10): got:%q", got)
	}
	if got := Noun(1, "is", "are"); got != "is" {
		t.Errorf("Noun(1): got:%q", got)
	}
}
