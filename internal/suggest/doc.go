// Package suggest finds the likely intended name for a mistyped one, for
// "did you mean" hints: the nearest candidate by Levenshtein distance, or
// the single candidate a short name is the last path segment of.
package suggest
