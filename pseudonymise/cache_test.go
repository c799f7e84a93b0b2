package pseudonymise

import "testing"

// TestPseudonymCacheGivesTheHashersPseudonym: the previous input's
// pseudonym is reused only for the same input in the same domain; every
// answer equals the hasher's own, whatever the order of the inputs.
func TestPseudonymCacheGivesTheHashersPseudonym(t *testing.T) {
	k := testKey(t, 7)
	p, h := New(k), NewHasher(k)
	inputs := []struct {
		d  Domain
		in string
	}{
		{DomainBSN, "111222333"}, {DomainBSN, "111222333"}, {DomainFallback, "111222333"}, {DomainBSN, "111222333"},
		{DomainBSN, "123456782"}, {DomainFallback, "devries\x001980-02-01\x00m"}, {DomainFallback, "devries\x001980-02-01\x00m"},
		{DomainBSN, "111222333"}, {DomainFallback, "devries\x001980-02-01\x00v"}, {DomainFallback, ""}, {DomainFallback, ""},
	}
	buf := make([]byte, 0, 64)
	for i, c := range inputs {
		buf = append(buf[:0], c.in...) // the caller reuses its buffer, as identify does
		got := p.pseudonym(c.d, buf)
		if want := h.Pseudonym(c.d, []byte(c.in)); got != want {
			t.Errorf("input %d (%v %q): %s, want %s", i, c.d, c.in, got, want)
		}
	}
	if a, b := p.pseudonym(DomainBSN, []byte("111222333")), p.pseudonym(DomainFallback, []byte("111222333")); a == b {
		t.Error("the same input in two domains gave one pseudonym")
	}
}
