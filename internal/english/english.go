package english

import "strconv"

// Count returns n followed by one (when n is 1) or many: Count(1, "node",
// "nodes") is "1 node".
func Count(n int, one, many string) string {
	return CountString(strconv.Itoa(n), one, many)
}

// CountString is Count for a number already written out (a big.Int's
// String, say): "1" takes the singular, anything else the plural.
func CountString(n, one, many string) string {
	if n == "1" {
		return n + " " + one
	}
	return n + " " + many
}

// Noun returns one when n is 1 and many otherwise, for sentences where the
// number stands apart from its noun ("1 of your services is down").
func Noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
