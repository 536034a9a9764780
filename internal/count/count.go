// Package count is a count that may exceed any machine integer (the number
// of minimal cut sets of a large fault tree does), with one JSON form for
// every command: a JSON number when it is at most 2^53 (every such integer
// is exact in a float64, so JSON readers in any language read it
// exactly), a string of decimal digits beyond that ("130281976" is a
// number, "82000000000000000000" a string).
package count

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
)

// N is a non-negative count. The zero value is 0.
type N struct{ v *big.Int }

// maxExact is 2^53, the largest count written as a JSON number.
var maxExact = new(big.Int).Lsh(big.NewInt(1), 53)

// Of returns x as a count (x is not copied).
func Of(x *big.Int) N { return N{x} }

// Int returns n as a count.
func Int(n int) N { return N{big.NewInt(int64(n))} }

// Big returns the count as a big.Int (never nil).
func (n N) Big() *big.Int {
	if n.v == nil {
		return new(big.Int)
	}
	return n.v
}

// String is the decimal form.
func (n N) String() string { return n.Big().String() }

// IsExact reports whether the count is written as a JSON number.
func (n N) IsExact() bool { return n.Big().CmpAbs(maxExact) <= 0 }

// MarshalJSON writes a number up to 2^53, a decimal string beyond.
func (n N) MarshalJSON() ([]byte, error) {
	if n.IsExact() {
		return []byte(n.String()), nil
	}
	return json.Marshal(n.String())
}

// UnmarshalJSON reads either form.
func (n *N) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	v, ok := new(big.Int).SetString(string(b), 10)
	if !ok {
		return fmt.Errorf("count: %q is not an integer", b)
	}
	n.v = v
	return nil
}

// Slice converts each element.
func Slice(xs []*big.Int) []N {
	out := make([]N, len(xs))
	for i, x := range xs {
		out[i] = Of(x)
	}
	return out
}
