package pseudonymise

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// referencePseudonym computes a pseudonym with one-shot crypto/hmac, as the
// package documentation defines it, independently of Hasher's reuse.
func referencePseudonym(secret []byte, prefix string, id []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(prefix))
	mac.Write(id)
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

func TestPseudonymKnownAnswers(t *testing.T) {
	// Expected values computed independently with Python:
	//   hmac.new(bytes(range(32)), prefix + id, hashlib.sha256).hexdigest()[:32]
	// with prefix b"outcomes/pseudonym/bsn/v1\x00" or
	// b"outcomes/pseudonym/fallback/v1\x00".
	h := NewHasher(testKey(t, 0))
	tests := []struct {
		name   string
		domain Domain
		id     string
		want   string
	}{
		{"bsn 111222333", DomainBSN, "111222333", "c160e8c4df85cafd3176318f99c1a9dc"},
		{"bsn 123456782", DomainBSN, "123456782", "5cbdfc9d4033d66e582e46a4a3636f09"},
		{"fallback", DomainFallback, "berg|1980-02-29|v", "65abd9a5a693f62f9ef38b56065c5207"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.Pseudonym(tc.domain, []byte(tc.id)); got != tc.want {
				t.Errorf("Pseudonym(%v, %q) = %s, want %s", tc.domain, tc.id, got, tc.want)
			}
		})
	}
}

func TestPseudonymMatchesReference(t *testing.T) {
	secret := testSecret(7)
	h := NewHasher(testKey(t, 7))
	ids := []string{"", "0", "111222333", "123456782", "berg|1980-02-29|v", strings.Repeat("x", 200)}
	for _, id := range ids {
		for d, prefix := range map[Domain]string{
			DomainBSN:      "outcomes/pseudonym/bsn/v1\x00",
			DomainFallback: "outcomes/pseudonym/fallback/v1\x00",
		} {
			t.Run(d.String()+"/"+id[:min(len(id), 20)], func(t *testing.T) {
				want := referencePseudonym(secret, prefix, []byte(id))
				if got := h.Pseudonym(d, []byte(id)); got != want {
					t.Errorf("Pseudonym = %s, want %s", got, want)
				}
			})
		}
	}
}

func TestPseudonymDeterministic(t *testing.T) {
	k := testKey(t, 0)
	h1, h2 := NewHasher(k), NewHasher(testKey(t, 0))
	ids := []string{"111222333", "123456782", "012345672"}
	first := make([]string, len(ids))
	for i, id := range ids {
		first[i] = h1.Pseudonym(DomainBSN, []byte(id))
	}
	// Again, in reverse order, on the same Hasher and on a Hasher from the
	// same key loaded again: Reset must leave no state behind.
	for i := len(ids) - 1; i >= 0; i-- {
		if got := h1.Pseudonym(DomainBSN, []byte(ids[i])); got != first[i] {
			t.Errorf("same Hasher, second time: %s, want %s", got, first[i])
		}
		if got := h2.Pseudonym(DomainBSN, []byte(ids[i])); got != first[i] {
			t.Errorf("second Hasher: %s, want %s", got, first[i])
		}
	}
}

func TestPseudonymDiffersByKeyAndDomain(t *testing.T) {
	a, b := NewHasher(testKey(t, 0)), NewHasher(testKey(t, 1))
	for _, id := range []string{"111222333", "123456782", "berg|1980-02-29|v"} {
		t.Run(id, func(t *testing.T) {
			if pa, pb := a.Pseudonym(DomainBSN, []byte(id)), b.Pseudonym(DomainBSN, []byte(id)); pa == pb {
				t.Errorf("two keys give the same pseudonym %s", pa)
			}
			if pb, pf := a.Pseudonym(DomainBSN, []byte(id)), a.Pseudonym(DomainFallback, []byte(id)); pb == pf {
				t.Errorf("two domains give the same pseudonym %s", pb)
			}
		})
	}
}

func TestAppendPseudonym(t *testing.T) {
	h := NewHasher(testKey(t, 0))
	id := []byte("111222333")
	dst := append(make([]byte, 0, 64), "prefix,"...)
	out := h.AppendPseudonym(dst, DomainBSN, id)
	if got, want := string(out), "prefix,"+h.Pseudonym(DomainBSN, id); got != want {
		t.Errorf("AppendPseudonym = %q, want %q", got, want)
	}
	if len(out) != len("prefix,")+PseudonymLen {
		t.Errorf("len = %d, want %d", len(out), len("prefix,")+PseudonymLen)
	}
	p := out[len("prefix,"):]
	for _, c := range p {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			t.Fatalf("pseudonym %q is not lower-case hex", p)
		}
	}
	if out = h.AppendPseudonym(nil, DomainBSN, id); len(out) != PseudonymLen {
		t.Errorf("AppendPseudonym(nil) has length %d", len(out))
	}
}

func TestHasherPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"zero key", func() { NewHasher(Key{}) }},
		{"zero domain", func() { NewHasher(testKey(t, 0)).Pseudonym(0, []byte("1")) }},
		{"unknown domain", func() { NewHasher(testKey(t, 0)).Pseudonym(DomainCase+1, []byte("1")) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tc.f()
		})
	}
}

// TestZeroAllocs asserts that the per-identifier work does not allocate.
// It counts allocations; it does not time anything.
func TestZeroAllocs(t *testing.T) {
	h := NewHasher(testKey(t, 0))
	id := []byte("111222333")
	raw := "111.222.333"
	dst := make([]byte, 0, PseudonymLen)
	var norm [9]byte

	tests := []struct {
		name string
		f    func()
	}{
		{"AppendPseudonym", func() { dst = h.AppendPseudonym(dst[:0], DomainBSN, id) }},
		{"NormaliseBSN", func() { NormaliseBSN(raw, &norm) }},
		{"NormaliseBSN and AppendPseudonym", func() {
			if NormaliseBSN(raw, &norm) == BSNOK {
				dst = h.AppendPseudonym(dst[:0], DomainBSN, norm[:])
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, tc.f); n != 0 {
				t.Errorf("%v allocations per identifier, want 0", n)
			}
		})
	}
}

// syntheticNormalisedBSNs returns n elfproef-valid BSNs as 9-byte arrays.
func syntheticNormalisedBSNs(n int) [][9]byte {
	ids := make([][9]byte, n)
	for i := range ids {
		copy(ids[i][:], SyntheticBSN(uint32(i*7919)))
	}
	return ids
}

func BenchmarkHasherBSN(b *testing.B) {
	h := NewHasher(testKey(b, 0))
	ids := syntheticNormalisedBSNs(4096)
	dst := make([]byte, 0, PseudonymLen)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		dst = h.AppendPseudonym(dst[:0], DomainBSN, ids[n&4095][:])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ids/s")
}

// BenchmarkNormaliseAndHashBSN includes checking a raw, formatted BSN.
func BenchmarkNormaliseAndHashBSN(b *testing.B) {
	h := NewHasher(testKey(b, 0))
	raws := make([]string, 4096)
	for i := range raws {
		s := SyntheticBSN(uint32(i * 7919))
		raws[i] = s[:3] + "." + s[3:6] + "." + s[6:]
	}
	dst := make([]byte, 0, PseudonymLen)
	var norm [9]byte
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if NormaliseBSN(raws[n&4095], &norm) == BSNOK {
			dst = h.AppendPseudonym(dst[:0], DomainBSN, norm[:])
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ids/s")
}
