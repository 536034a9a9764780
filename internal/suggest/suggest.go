package suggest

import "strings"

// Closest returns the candidate nearest to s by edit distance, or "" when
// none is near enough to be a likely typo (at most a third of s's length,
// and at least 1, edits away). Ties go to the first candidate.
func Closest(s string, candidates []string) string {
	limit := max(1, len(s)/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if abs(len(c)-len(s)) > limit {
			continue
		}
		if d := editDistance(s, c, bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Suffix returns the single candidate that ends in "/"+s, or "" when
// there is none or more than one: "us-east-1" for "aws/us-east-1".
func Suffix(s string, candidates []string) string {
	found := ""
	for _, c := range candidates {
		if strings.HasSuffix(c, "/"+s) {
			if found != "" {
				return ""
			}
			found = c
		}
	}
	return found
}

// editDistance is the Levenshtein distance between a and b, computed with
// two rows in O(len(a)·len(b)) time; it gives up and returns bound as soon
// as every entry of a row reaches bound.
func editDistance(a, b string, bound int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= bound {
			return bound
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
