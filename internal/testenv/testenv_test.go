package testenv

import "testing"

func TestIsHeavy(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want bool
	}{{"", false}, {"0", false}, {"yes", false}, {"1", true}} {
		t.Setenv(HeavyEnv, tt.env)
		if got := IsHeavy(); got != tt.want {
			t.Errorf("%s=%q: IsHeavy() = %v, want %v", HeavyEnv, tt.env, got, tt.want)
		}
	}
}

func TestHeavySkips(t *testing.T) {
	t.Setenv(HeavyEnv, "")
	ran := false
	t.Run("inner", func(t *testing.T) {
		Heavy(t)
		ran = true
	})
	if ran {
		t.Error("Heavy did not skip without DEPGRAPH_HEAVY=1")
	}
	t.Setenv(HeavyEnv, "1")
	t.Run("inner", func(t *testing.T) {
		Heavy(t)
		ran = true
	})
	if !ran {
		t.Error("Heavy skipped with DEPGRAPH_HEAVY=1")
	}
}
