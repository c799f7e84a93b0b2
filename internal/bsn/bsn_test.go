package bsn

import "testing"

func digits9(s string) [9]byte {
	var d [9]byte
	copy(d[:], s)
	return d
}

func TestValid(t *testing.T) {
	// Sums worked by hand: 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - d9.
	tests := []struct {
		name string
		bsn  string
		want bool
	}{
		// 9+8+7+12+10+8+9+6 = 69; 69-3 = 66 = 6*11.
		{"111222333 (sum 66)", "111222333", true},
		// 9+16+21+24+25+24+21+16 = 156; 156-2 = 154 = 14*11.
		{"123456782 (sum 154)", "123456782", true},
		// 0+8+14+18+20+20+18+14 = 112; 112-2 = 110 = 10*11 (leading zero).
		{"012345672 (sum 110)", "012345672", true},
		// 9*(9+8+7+6+5+4+3+2) = 9*44 = 396 = 36*11.
		{"999999990 (sum 396)", "999999990", true},
		// 9*1 - 9 = 0: divisible, and not all zeros.
		{"100000009 (sum 0)", "100000009", true},
		// 2*1 - 2 = 0.
		{"000000012 (sum 0)", "000000012", true},
		// 9+16+21+24+25+24+24+0 = 143 = 13*11, minus 0: Synthetic(0).
		{"123456800 (sum 143)", "123456800", true},
		// 156-9 = 147 = 13*11 + 4.
		{"123456789 (sum 147)", "123456789", false},
		// 69-4 = 65 = 5*11 + 10.
		{"111222334 (sum 65)", "111222334", false},
		// 112-4 = 108 = 9*11 + 9.
		{"012345674 (sum 108)", "012345674", false},
		// 2*1 - 1 = 1.
		{"000000011 (sum 1)", "000000011", false},
		// -9: negative, not divisible.
		{"000000009 (sum -9)", "000000009", false},
		// Divisible, but the all-zero number is no BSN.
		{"all zeros (sum 0)", "000000000", false},
		// 2*5 = 10; ':' (the byte after '9') read as 10 would give 10-10 = 0.
		{"colon as last digit", "00000005:", false},
		// '/' (the byte before '0') read as -1 would give 10+1 = 11.
		{"slash as last digit", "00000005/", false},
		{"letter", "11122233a", false},
		{"space", "11122233 ", false},
		{"zero bytes", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Valid(digits9(tc.bsn)); got != tc.want {
				t.Errorf("Valid(%q) = %v, want %v", tc.bsn, got, tc.want)
			}
		})
	}
}

func TestValidZeroAllocs(t *testing.T) {
	d := digits9("123456782")
	if n := testing.AllocsPerRun(100, func() { _ = Valid(d) }); n != 0 {
		t.Errorf("Valid allocates %v times per call", n)
	}
}

func TestSyntheticKnownValues(t *testing.T) {
	// The prefix of n is (n%9999999 * 7654321 + 1234567) % 9999999 + 1, the
	// check pair the (n/9999999)-th (d8, d9) in d8 order that completes the
	// elfproef. These are the numbers the demo data and the pseudonymise
	// example start from; a change here changes testdata/demo.
	tests := []struct {
		name string
		n    uint32
		want string
	}{
		// Prefix 1234568: 9+16+21+24+25+24+24 = 143 ≡ 0; d8=0 needs d9=0.
		{"0", 0, "123456800"},
		// Prefix 8888889: 8*(9+8+7+6+5+4)+3*9 = 339 ≡ 9; d8=0 needs d9=9:
		// 339-9 = 330 = 30*11.
		{"1", 1, "888888909"},
		// Prefix 6543211: 54+40+28+18+10+4+3 = 157 ≡ 3; d8=0 needs d9=3: 154 = 14*11.
		{"2", 2, "654321103"},
		// Prefix 4197533: 36+8+63+42+25+12+9 = 195 ≡ 8; d8=0 needs d9=8: 187 = 17*11.
		{"3", 3, "419753308"},
		// Prefix of n=0 again, second pair: d8=1, d9=2: 143+2-2 = 143.
		{"9999999 (second pair)", syntheticPrefixes, "123456812"},
		// Taken modulo SyntheticCount.
		{"SyntheticCount wraps to 0", SyntheticCount, "123456800"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Synthetic(tc.n); got != tc.want {
				t.Errorf("Synthetic(%d) = %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}

func TestSynthetic(t *testing.T) {
	check := func(t *testing.T, n uint32, seen map[string]uint32) {
		t.Helper()
		s := Synthetic(n)
		if len(s) != 9 || !Valid(digits9(s)) {
			t.Fatalf("Synthetic(%d) = %q: not 9 digits passing the elfproef", n, s)
		}
		if prev, ok := seen[s]; ok {
			t.Fatalf("Synthetic(%d) = Synthetic(%d) = %q", n, prev, s)
		}
		seen[s] = n
	}
	t.Run("first 200000 distinct and valid", func(t *testing.T) {
		seen := make(map[string]uint32)
		for n := range uint32(200_000) {
			check(t, n, seen)
		}
	})
	t.Run("spread over the range distinct and valid", func(t *testing.T) {
		seen := make(map[string]uint32)
		// Samples q of the first seven digits, and the eight other numbers
		// that share its first seven digits.
		for q := uint32(0); q < syntheticPrefixes; q += syntheticPrefixes / 20_000 {
			for k := range uint32(9) {
				check(t, q+k*syntheticPrefixes, seen)
			}
		}
		check(t, SyntheticCount-1, seen)
	})
	t.Run("deterministic and wraps", func(t *testing.T) {
		for _, n := range []uint32{0, 1, 8, 9, 12345, SyntheticCount - 1} {
			if a, b := Synthetic(n), Synthetic(n); a != b {
				t.Errorf("Synthetic(%d) gave %q then %q", n, a, b)
			}
			if a, b := Synthetic(n), Synthetic(n+SyntheticCount); a != b {
				t.Errorf("Synthetic(%d) = %q, but Synthetic(n+SyntheticCount) = %q", n, a, b)
			}
		}
		if got := Synthetic(^uint32(0)); len(got) != 9 || !Valid(digits9(got)) {
			t.Errorf("Synthetic(max) = %q", got)
		}
	})
}
