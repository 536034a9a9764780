package count

import (
	"encoding/json"
	"math/big"
	"testing"
)

func TestJSON(t *testing.T) {
	two53 := new(big.Int).Lsh(big.NewInt(1), 53)
	tests := []struct {
		n    N
		want string
	}{
		{N{}, `0`},
		{Int(25), `25`},
		{Of(two53), `9007199254740992`},
		{Of(new(big.Int).Add(two53, big.NewInt(1))), `"9007199254740993"`},
		{Of(new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil)), `"100000000000000000000"`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.n)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.n, b, err, tt.want)
		}
		var back N
		if err := json.Unmarshal(b, &back); err != nil || back.Big().Cmp(tt.n.Big()) != 0 {
			t.Errorf("Unmarshal(%s) = %v, %v", b, back, err)
		}
	}
	var bad N
	if err := json.Unmarshal([]byte(`"x1"`), &bad); err == nil {
		t.Error("no error on a non-integer")
	}
}
