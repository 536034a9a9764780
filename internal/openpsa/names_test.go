package openpsa

import (
	"regexp"
	"testing"
)

// mefName is the MEF schema's name pattern (an NCName, then
// [^\-.]+(-[^\-.]+)*), restricted to ASCII as EncodeName writes.
var mefName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$`)

var nameTests = []struct{ id, want string }{
	{"cloudflare/cdn", "cloudflare_Scdn"},
	{"azure/southcentralus/openai", "azure_Ssouthcentralus_Sopenai"},
	{"azure.eastus", "azure_Deastus"},
	{"1password", "_N1password"},
	{"my_svc", "my__svc"},
	{"a-b", "a-b"},
	{"-a", "_Ha"},
	{"a--b", "a_H_Hb"},
	{"a-", "a_H"},
	{"x y:z", "x_X20y_X3Az"},
	{"é", "_XC3_XA9"},
	{"", "_E"},
	{"TopEvent", "TopEvent"},
}

func TestEncodeName(t *testing.T) {
	for _, tt := range nameTests {
		got := EncodeName(tt.id)
		if got != tt.want {
			t.Errorf("EncodeName(%q) = %q, want %q", tt.id, got, tt.want)
		}
		if !mefName.MatchString(got) || !ValidName(got) {
			t.Errorf("EncodeName(%q) = %q is not a MEF name", tt.id, got)
		}
		if back, ok := DecodeName(got); !ok || back != tt.id {
			t.Errorf("DecodeName(%q) = %q, %t; want %q", got, back, ok, tt.id)
		}
	}
	for _, bad := range []string{"a_", "a_Q", "a_X4", "a_Xzz", "a_x41", "ab_N1"} {
		if _, ok := DecodeName(bad); ok {
			t.Errorf("DecodeName(%q) accepted", bad)
		}
	}
}

// FuzzName checks that every string encodes to a MEF name that decodes
// back to it.
func FuzzName(f *testing.F) {
	for _, tt := range nameTests {
		f.Add(tt.id)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := EncodeName(s)
		if !mefName.MatchString(n) || !ValidName(n) {
			t.Fatalf("EncodeName(%q) = %q is not a MEF name", s, n)
		}
		if back, ok := DecodeName(n); !ok || back != s {
			t.Fatalf("DecodeName(EncodeName(%q)) = %q, %t", s, back, ok)
		}
	})
}
