package bsn

// Valid reports whether d, 9 ASCII digits d1..d9, passes the elfproef for
// BSNs: 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9 is
// divisible by 11. The all-zero number is not valid, nor is d if any byte
// is not an ASCII digit.
func Valid(d [9]byte) bool {
	sum := 0
	zero := true
	for i, c := range d {
		if c < '0' || c > '9' {
			return false
		}
		v := int(c - '0')
		if v != 0 {
			zero = false
		}
		if i == 8 {
			sum -= v
		} else {
			sum += (9 - i) * v
		}
	}
	return !zero && sum%11 == 0
}

// SyntheticCount is the number of distinct values [Synthetic] makes.
const SyntheticCount = 9 * syntheticPrefixes

// syntheticPrefixes is the number of 7-digit prefixes Synthetic uses:
// 0000001 to 9999999 (never 0000000, so no number is all zeros).
const syntheticPrefixes = 10_000_000 - 1

// Synthetic returns a 9-digit number that passes the elfproef, for test
// data and synthetic-data generators. The numbers are SYNTHETIC: they are
// made by arithmetic alone, and one may happen to be a real person's BSN, so
// they must only ever be used as test fixtures, never mixed with real data.
//
// Synthetic is deterministic, and distinct n below SyntheticCount give
// distinct numbers; n is taken modulo SyntheticCount. The first seven
// digits are a bijective scramble of n%9999999 (so that consecutive n give
// unrelated-looking numbers), and the last two are the (n/9999999)-th of
// the at least nine digit pairs that complete the elfproef.
func Synthetic(n uint32) string {
	n %= SyntheticCount
	// q -> (q*a + c) mod m is a bijection of [0, m) because a is coprime
	// to m = 9999999 = 3^2 * 239 * 4649.
	const a, c = 7_654_321, 1_234_567
	prefix := (uint64(n%syntheticPrefixes)*a+c)%syntheticPrefixes + 1
	k := int(n / syntheticPrefixes)

	var d [9]byte
	t := 0 // 9*d1 + ... + 3*d7
	for i := 6; i >= 0; i-- {
		v := int(prefix % 10)
		prefix /= 10
		d[i] = byte('0' + v)
		t += (9 - i) * v
	}
	// Need 2*d8 - d9 ≡ r (mod 11). For each d8 there is one d9 mod 11, and
	// it is 10 (not a digit) for at most one d8 in 0..9.
	r := (11 - t%11) % 11
	for d8 := 0; d8 <= 9; d8++ {
		d9 := ((2*d8-r)%11 + 11) % 11
		if d9 == 10 {
			continue
		}
		if k == 0 {
			d[7] = byte('0' + d8)
			d[8] = byte('0' + d9)
			return string(d[:])
		}
		k--
	}
	panic("bsn: Synthetic found no check digits (bug)")
}
