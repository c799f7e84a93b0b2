package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"run", "check", "demo", "keygen", "pseudonymise", "synth", "bench"}
	for _, tc := range []struct {
		got, want string
		ok        bool
	}{
		{"rn", "run", false}, // 1 edit of 2 letters: too far to guess
		{"chekc", "check", true},
		{"pseudonymize", "pseudonymise", true},
		{"keygne", "keygen", true},
		{"bnech", "bench", true},
		{"report", "", false},
		{"", "", false},
	} {
		got, ok := Closest(tc.got, known)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("Closest(%q) = %q, %v; want %q, %v", tc.got, got, ok, tc.want, tc.ok)
		}
	}
	flags := []string{"study", "out", "key-file", "lang", "batch-size", "timings"}
	for got, want := range map[string]string{"keyfile": "key-file", "key_file": "key-file", "batchsize": "batch-size", "studdy": "study", "Lang": "lang"} {
		if s, ok := Closest(got, flags); !ok || s != want {
			t.Errorf("Closest(%q) = %q, %v; want %q", got, s, ok, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"ca", "abc", 3},
	} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
