package suggest

import "testing"

var closestTests = []struct {
	in         string
	candidates []string
	want       string
}{
	{"depend_on", []string{"depends_on", "id", "kind"}, "depends_on"},
	{"servce", []string{"service", "vendor"}, "service"},
	{"zzzzzz", []string{"service", "vendor"}, ""},
	{"a", []string{"b"}, "b"}, // one edit is always near enough
	{"", []string{"id"}, ""},
	{"kind", []string{"kind"}, "kind"},
}

func TestClosest(t *testing.T) {
	for _, tt := range closestTests {
		if got := Closest(tt.in, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q): got:%q want:%q", tt.in, got, tt.want)
		}
	}
}

func TestSuffix(t *testing.T) {
	ids := []string{"aws/us-east-1", "gcp/us-east1", "aws/us-east-1/use1-az1", "a/x", "b/x"}
	for in, want := range map[string]string{"us-east-1": "aws/us-east-1", "use1-az1": "aws/us-east-1/use1-az1", "x": "", "nope": ""} {
		if got := Suffix(in, ids); got != want {
			t.Errorf("Suffix(%q): got:%q want:%q", in, got, want)
		}
	}
}
