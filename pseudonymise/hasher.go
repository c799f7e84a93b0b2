package pseudonymise

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
)

// PseudonymLen is the length of a pseudonym: 16 bytes of HMAC-SHA256 as
// lower-case hex.
const PseudonymLen = 2 * pseudonymBytes

const pseudonymBytes = 16

// Domain says what kind of identifier a pseudonym is computed from. Each
// domain has its own HMAC input prefix, so identifiers of different domains
// never share a pseudonym, even if their bytes are equal.
type Domain uint8

const (
	// DomainBSN is for a national ID normalised by [NormaliseBSN]: exactly
	// 9 ASCII digits that pass the elfproef.
	DomainBSN Domain = iota + 1
	// DomainFallback is for a fallback key made by [FallbackKey] from
	// surname, birth date and sex, used when there is no valid BSN.
	DomainFallback
)

// domainPrefix holds the HMAC input prefix of each domain. Changing one
// changes every pseudonym of that domain: a new prefix needs a new version
// suffix and a new study. No prefix is a prefix of another, nor of
// fingerprintMessage, so HMAC inputs of different domains never coincide.
var domainPrefix = [...][]byte{
	DomainBSN:      []byte("outcomes/pseudonym/bsn/v1\x00"),
	DomainFallback: []byte("outcomes/pseudonym/fallback/v1\x00"),
}

// String returns "bsn" or "fallback", the names used for linkage quality.
func (d Domain) String() string {
	switch d {
	case DomainBSN:
		return "bsn"
	case DomainFallback:
		return "fallback"
	}
	return "Domain(" + strconv.Itoa(int(d)) + ")"
}

// Hasher computes pseudonyms with one study key. It reuses a single HMAC
// state and a scratch buffer, so computing a pseudonym does not allocate.
//
// A Hasher is not safe for concurrent use: make one per goroutine with
// [NewHasher]. Hashers made from the same key give the same pseudonyms.
type Hasher struct {
	mac hash.Hash
	sum [sha256.Size]byte
}

// NewHasher returns a Hasher for k. It panics if k is the zero Key: running
// without a key is a bug in the caller, which must load the key first.
func NewHasher(k Key) *Hasher {
	if k.IsZero() {
		panic("pseudonymise: NewHasher called with the zero Key")
	}
	return &Hasher{mac: hmac.New(sha256.New, k.secret())}
}

// AppendPseudonym appends to dst the pseudonym of a normalised identifier
// and returns the extended slice: PseudonymLen lower-case hex digits, the
// first 16 bytes of HMAC-SHA256(key, prefix(domain) || normalised). It does
// not allocate when dst has room for PseudonymLen more bytes.
//
// normalised must be the output of [NormaliseBSN] (with [DomainBSN]) or of
// [FallbackKey] (with [DomainFallback]); AppendPseudonym does not check it,
// and an empty identifier gives a pseudonym like any other, so callers must
// not pass rows without an identifier. It panics on an unknown domain, which
// is a bug in the caller.
func (h *Hasher) AppendPseudonym(dst []byte, domain Domain, normalised []byte) []byte {
	if int(domain) >= len(domainPrefix) || domainPrefix[domain] == nil {
		panic("pseudonymise: unknown " + domain.String())
	}
	h.mac.Reset()
	h.mac.Write(domainPrefix[domain])
	h.mac.Write(normalised)
	sum := h.mac.Sum(h.sum[:0])
	return hex.AppendEncode(dst, sum[:pseudonymBytes])
}

// Pseudonym returns the pseudonym of a normalised identifier as a string.
// It is AppendPseudonym with one allocation for the result.
func (h *Hasher) Pseudonym(domain Domain, normalised []byte) string {
	var buf [PseudonymLen]byte
	return string(h.AppendPseudonym(buf[:0], domain, normalised))
}
