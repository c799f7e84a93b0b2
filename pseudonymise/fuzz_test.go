package pseudonymise

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/outcomes-research/outcomes/internal/names"
)

// referenceNormaliseBSN is a slow, straightforward restatement of
// NormaliseBSN's documented rules, to compare against.
var (
	refFormula = regexp.MustCompile(`^="(.*)"$`)
	refDecimal = regexp.MustCompile(`^([0-9]+)([.,])([0-9]+)$`)
)

func referenceNormaliseBSN(raw string) (BSNStatus, string) {
	const space = " \t\n\v\f\r"
	raw = strings.Trim(raw, space)
	if m := refFormula.FindStringSubmatch(raw); m != nil {
		raw = strings.Trim(m[1], space)
	}
	if rest, ok := strings.CutPrefix(raw, "'"); ok {
		raw = strings.Trim(rest, space)
	}
	if m := refDecimal.FindStringSubmatch(raw); m != nil && !(m[2] == "." && len(m[3]) == 3) {
		if strings.Trim(m[3], "0") != "" {
			return BSNNumberRendering, ""
		}
		raw = m[1]
	}
	var digits strings.Builder
	for _, r := range raw {
		switch {
		case '0' <= r && r <= '9':
			digits.WriteRune(r)
		case strings.ContainsRune("eE+,", r):
			if digits.Len() > 0 {
				return BSNNumberRendering, ""
			}
			return BSNNotDigits, ""
		case r == ' ' || r == '.' || r == '-' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r',
			strings.ContainsRune("\u00a0\u2007\u202f\u2010\u2011\u2012\u2013\u2014\u2015\u2212", r):
		default:
			// Includes utf8.RuneError from invalid bytes (a real U+FFFD is
			// not a separator either).
			return BSNNotDigits, ""
		}
	}
	d := digits.String()
	switch {
	case len(d) == 0:
		return BSNEmpty, ""
	case len(d) == 8:
		d = "0" + d
	case len(d) != 9:
		return BSNWrongLength, ""
	}
	if d == "000000000" {
		return BSNFailsElfproef, ""
	}
	sum := 0
	for i := range 8 {
		sum += (9 - i) * int(d[i]-'0')
	}
	sum -= int(d[8] - '0')
	if sum%11 != 0 {
		return BSNFailsElfproef, ""
	}
	return BSNOK, d
}

func FuzzNormaliseBSN(f *testing.F) {
	for _, s := range []string{"111222333", "123.456.782", "12345672", "", " ", "123456789", "000000000", "1112223334", "11122233a", "123\u00a0456\u2013782", "\xff", "10593925.0", "1.0593925E8", `="010593925"`, "'10593925", "10593925,00", "1059392.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var d [9]byte
		st := NormaliseBSN(raw, &d)
		wantSt, wantD := referenceNormaliseBSN(raw)
		if st != wantSt {
			t.Fatalf("NormaliseBSN(%q) = %v, reference %v", raw, st, wantSt)
		}
		if st != BSNOK {
			if d != [9]byte{} {
				t.Fatalf("NormaliseBSN(%q) = %v left dst = %q", raw, st, d[:])
			}
			return
		}
		for _, c := range d {
			if c < '0' || c > '9' {
				t.Fatalf("NormaliseBSN(%q) = OK with non-digit output %q", raw, d[:])
			}
		}
		if !ValidElfproef(d) {
			t.Fatalf("NormaliseBSN(%q) = OK but %q fails the elfproef", raw, d[:])
		}
		if string(d[:]) != wantD {
			t.Fatalf("NormaliseBSN(%q) = %q, reference %q", raw, d[:], wantD)
		}
		// Normalising the output gives itself.
		var again [9]byte
		if NormaliseBSN(string(d[:]), &again) != BSNOK || again != d {
			t.Fatalf("normalising %q again gives %q", d[:], again[:])
		}
	})
}

func FuzzPseudonym(f *testing.F) {
	for _, s := range []string{"111222333", "123456782", "berg|1980-02-29|v", "", "abcd", "0123456789abcdef", "\x00\xff"} {
		f.Add([]byte(s))
	}
	keys := [3]Key{testKey(f, 0), testKey(f, 1), testKey(f, 2)}
	f.Fuzz(func(t *testing.T, id []byte) {
		h := NewHasher(keys[0])
		p := h.AppendPseudonym(nil, DomainBSN, id)
		if len(p) != PseudonymLen {
			t.Fatalf("pseudonym %q has length %d", p, len(p))
		}
		for _, c := range p {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				t.Fatalf("pseudonym %q is not lower-case hex", p)
			}
		}
		// Deterministic per key: again on the same Hasher, on a new one,
		// and via Pseudonym.
		if again := h.AppendPseudonym(nil, DomainBSN, id); !bytes.Equal(again, p) {
			t.Fatalf("same Hasher gave %s then %s", p, again)
		}
		if other := NewHasher(keys[0]).Pseudonym(DomainBSN, id); other != string(p) {
			t.Fatalf("new Hasher with the same key gave %s, want %s", other, p)
		}
		// Different domains differ, and different keys differ.
		if fb := h.Pseudonym(DomainFallback, id); fb == string(p) {
			t.Fatalf("BSN and fallback domains give the same pseudonym %s", p)
		}
		if k1 := NewHasher(keys[1]).Pseudonym(DomainBSN, id); k1 == string(p) {
			t.Fatalf("two keys give the same pseudonym %s", p)
		}
		// The pseudonym never contains its input. A short input made of
		// hex digits can appear in 32 random hex digits by chance (about
		// 1 in 2,300 for 4 digits), so a hit fails only if the input also
		// appears in its pseudonyms under two more keys: a pseudonym that
		// copies its input would, chance would not (about 1 in 10^10).
		if len(id) >= 4 && bytes.Contains(p, id) {
			k1 := NewHasher(keys[1]).Pseudonym(DomainBSN, id)
			k2 := NewHasher(keys[2]).Pseudonym(DomainBSN, id)
			if strings.Contains(k1, string(id)) && strings.Contains(k2, string(id)) {
				t.Fatalf("pseudonyms %s, %s, %s all contain the input %q", p, k1, k2, id)
			}
		}
	})
}

func FuzzNormaliseSurname(f *testing.F) {
	for _, s := range []string{"van der Berg", "Berg, van der", "Çelik", "Müller", "Eén", "in 't Veld", "'s-Gravesande", "Van", "Yılmaz", "Straße", "ＢＥＲＧ", "", "\xff", "İ", "de Vries-van der Berg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := NormaliseSurname(s)
		if twice := NormaliseSurname(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
		if !utf8.ValidString(once) {
			t.Fatalf("NormaliseSurname(%q) = %q is not valid UTF-8", s, once)
		}
		if once != strings.Join(strings.Fields(once), " ") || strings.ContainsFunc(once, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) {
			t.Fatalf("NormaliseSurname(%q) = %q: spaces not collapsed", s, once)
		}
		for _, r := range once {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("NormaliseSurname(%q) = %q contains %U", s, once, r)
			}
			if unicode.Is(unicode.Mn, r) {
				t.Fatalf("NormaliseSurname(%q) = %q contains combining mark %U", s, once, r)
			}
			if unicode.ToLower(r) != r {
				t.Fatalf("NormaliseSurname(%q) = %q contains upper-case %U", s, once, r)
			}
		}
	})
}

// FuzzAppendNormalisedSurname checks that the allocation-free path used by
// FallbackKey (names.AppendNormalisedSurname) agrees with NormaliseSurname
// on every input, and appends after what dst holds.
func FuzzAppendNormalisedSurname(f *testing.F) {
	for _, s := range []string{"van der Berg", "Berg, van der", "in 't Veld", "'s-Gravesande", "Van", "van de", " de  Vries-van der Berg ",
		"d'Ancona", "O'Brien", "ter Horst", "Jansen van", "A", "", "  ", "-", "van van Dijk van", "Çelik", "Müller", "x1-Y2", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := NormaliseSurname(s)
		if got := string(names.AppendNormalisedSurname(nil, s)); got != want {
			t.Fatalf("AppendNormalisedSurname(%q) = %q, NormaliseSurname gives %q", s, got, want)
		}
		if got := string(names.AppendNormalisedSurname([]byte("prefix|"), s)); got != "prefix|"+want {
			t.Fatalf("after a prefix: %q, want %q", got, "prefix|"+want)
		}
	})
}

func TestFallbackKeyZeroAllocs(t *testing.T) {
	birth := time.Date(1980, 2, 29, 0, 0, 0, 0, time.UTC)
	dst := make([]byte, 0, 128)
	for _, name := range []string{"van der Berg", "in 't Veld", "El Amrani", "de Vries-van der Berg"} {
		t.Run(name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, func() { dst = FallbackKey(dst[:0], name, birth, "M") }); n != 0 {
				t.Errorf("%v allocations, want 0", n)
			}
		})
	}
}
