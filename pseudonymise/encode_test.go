package pseudonymise

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestEncodingSimilarity(t *testing.T) {
	e := NewEncoder(testKey(t, 0))
	enc := func(name string, line int) []byte {
		return e.AppendName(nil, EncSurname, name, []byte("file.csv\x00"+strings.Repeat("x", line)))
	}
	cases := []struct {
		name, a, b string
		lo, hi     float64
	}{
		{"same name, other record", "Jansen", "Jansen", 0.90, 0.97},
		{"doubled letter", "Jansen", "Janssen", 0.85, 0.95},
		{"prefix and case", "van der Berg", "BERG", 0.90, 0.97},
		{"transposition", "Bakker", "Bakekr", 0.75, 0.90},
		{"second surname", "de Vries", "de Vries-Bakker", 0.70, 0.88},
		{"unrelated", "Jansen", "Visser", 0.55, 0.75},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Dice(enc(tc.a, 1), enc(tc.b, 2))
			t.Logf("%s / %s: %.3f", tc.a, tc.b, d)
			if d < tc.lo || d > tc.hi {
				t.Errorf("Dice(%s, %s) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, d, tc.lo, tc.hi)
			}
		})
	}
}

func TestEncodingProperties(t *testing.T) {
	k := testKey(t, 0)
	e1, e2, other := NewEncoder(k), NewEncoder(testKey(t, 0)), NewEncoder(testKey(t, 1))
	ref := []byte("f\x0012")
	a := e1.AppendName(nil, EncSurname, "Jansen", ref)
	if len(a) != EncodingBytes {
		t.Fatalf("length %d, want %d", len(a), EncodingBytes)
	}
	if b := e2.AppendName(nil, EncSurname, "Jansen", ref); !bytes.Equal(a, b) {
		t.Error("same key, name and record: encodings differ")
	}
	if b := e1.AppendName(nil, EncSurname, "Jansen", []byte("f\x0013")); bytes.Equal(a, b) {
		t.Error("two records of one name share an encoding (no per-record noise)")
	}
	if d := Dice(a, other.AppendName(nil, EncSurname, "Jansen", ref)); d > 0.7 {
		t.Errorf("another key: Dice %.3f, want unrelated (< 0.7)", d)
	}
	if d := Dice(a, e1.AppendName(nil, EncGiven, "Jansen", ref)); d > 0.7 {
		t.Errorf("another field: Dice %.3f, want unrelated (< 0.7)", d)
	}
	if got := e1.AppendName(nil, EncSurname, " - ", ref); len(got) != 0 {
		t.Errorf("empty name encoded to %d bytes", len(got))
	}
	// Balanced: about half the bits are set whatever the name's length.
	for _, name := range []string{"Li", "Jansen", "Wijnaldum-Vennegoor of Hesselink"} {
		n := 0
		for _, c := range e1.AppendName(nil, EncSurname, name, ref) {
			for ; c != 0; c &= c - 1 {
				n++
			}
		}
		if n < 450 || n > 574 {
			t.Errorf("%s: %d of 1024 bits set, want about 512", name, n)
		}
	}
}

func TestDateTokens(t *testing.T) {
	e := NewEncoder(testKey(t, 0))
	tok := func(y, m, d int) []byte {
		return e.AppendDate(nil, time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC))
	}
	part := func(b []byte, p DateToken) []byte { return b[8*int(p) : 8*int(p)+8] }
	a := tok(1980, 5, 12)
	if len(a) != DateTokensBytes {
		t.Fatalf("length %d", len(a))
	}
	if !bytes.Equal(a, tok(1980, 5, 12)) {
		t.Error("not deterministic")
	}
	swap := tok(1980, 12, 5)
	if bytes.Equal(part(a, DateFull), part(swap, DateFull)) || !bytes.Equal(part(a, DateUnordered), part(swap, DateUnordered)) {
		t.Error("day–month swap: want full tokens to differ and unordered tokens to agree")
	}
	typo := tok(1980, 5, 13)
	if !bytes.Equal(part(a, DateYearMonth), part(typo, DateYearMonth)) || bytes.Equal(part(a, DateYearDay), part(typo, DateYearDay)) {
		t.Error("day typo: want year-month to agree and year-day to differ")
	}
	if !bytes.Equal(part(a, DateMonthDay), part(tok(1981, 5, 12), DateMonthDay)) {
		t.Error("year typo: want month-day to agree")
	}
	if bytes.Contains(a, []byte("1980")) {
		t.Error("encoding holds the year in clear")
	}
}

func BenchmarkEncodeName(b *testing.B) {
	e := NewEncoder(testKey(b, 0))
	dst := make([]byte, 0, EncodingBytes)
	ref := []byte("file.csv\x00123")
	b.ReportAllocs()
	for b.Loop() {
		dst = e.AppendName(dst[:0], EncSurname, "van der Berg", ref)
	}
}

// TestGivenNameEncoding: only the first given name is encoded, under its
// own key (the same letters encode differently as a surname), and an
// empty given name gives no encoding.
func TestGivenNameEncoding(t *testing.T) {
	e := NewEncoder(testKey(t, 0))
	ref := []byte("f\x007")
	one := e.AppendName(nil, EncGiven, "Jan", ref)
	if two := e.AppendName(nil, EncGiven, "Jan  Pieter", ref); !bytes.Equal(one, two) {
		t.Error("a second given name changes the encoding of the first")
	}
	if d := Dice(one, e.AppendName(nil, EncSurname, "Jan", ref)); d > 0.8 {
		t.Errorf("Dice of the given-name and surname encodings of one name = %.3f: the fields share a key", d)
	}
	if got := e.AppendName(nil, EncGiven, " . ", ref); got != nil {
		t.Errorf("an empty given name encodes to %d bytes", len(got))
	}
	if len(one) != EncodingBytes {
		t.Errorf("given-name encoding of %d bytes, want %d", len(one), EncodingBytes)
	}
}
