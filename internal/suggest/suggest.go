package suggest

import "strings"

// Closest returns the name of known nearest to got by edit distance
// (insertions, deletions, substitutions and swaps of adjacent letters,
// ignoring case, '-' and '_'), and whether it is near enough to suggest:
// at most 2 edits, and fewer than half of got's length. A name that
// differs only by separators or case (keyfile, key_file) is 0 edits away.
func Closest(got string, known []string) (string, bool) {
	norm := func(s string) string {
		return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s))
	}
	g := norm(got)
	best, bestDist := "", -1
	for _, k := range known {
		d := distance(g, norm(k))
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist < 0 || bestDist > 2 || 2*bestDist >= len([]rune(g)) {
		return "", false
	}
	return best, true
}

// distance is the optimal string alignment distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
