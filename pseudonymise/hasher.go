package pseudonymise

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
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
	// DomainCase is for a case number (study.RoleKeyed fields: case_id),
	// trimmed of surrounding spaces and upper-cased.
	DomainCase
)

// domainPrefix holds the HMAC input prefix of each domain. Changing one
// changes every pseudonym of that domain: a new prefix needs a new version
// suffix and a new study. No prefix is a prefix of another, nor of
// fingerprintMessage, so HMAC inputs of different domains never coincide.
var domainPrefix = [...][]byte{
	DomainBSN:      []byte("outcomes/pseudonym/bsn/v1\x00"),
	DomainFallback: []byte("outcomes/pseudonym/fallback/v1\x00"),
	DomainCase:     []byte("outcomes/pseudonym/case/v1\x00"),
}

// String returns "bsn" or "fallback", the names used for linkage quality,
// or "case".
func (d Domain) String() string {
	switch d {
	case DomainBSN:
		return "bsn"
	case DomainFallback:
		return "fallback"
	case DomainCase:
		return "case"
	}
	return "Domain(" + strconv.Itoa(int(d)) + ")"
}

// sha256Block is SHA-256's block size, the length HMAC pads its key to.
const sha256Block = 64

// sha256State is a SHA-256 hash that can save and restore its state
// without allocating (crypto/sha256's digest implements both).
type sha256State interface {
	hash.Hash
	encoding.BinaryAppender
	encoding.BinaryUnmarshaler
}

// Hasher computes pseudonyms with one study key. It is HMAC-SHA256 (RFC
// 2104) computed by hand so that the work that does not depend on the
// identifier is done once: NewHasher hashes the padded key blocks (and, for
// the inner hash, each domain's prefix) and keeps the SHA-256 states that
// follow them. A pseudonym then costs restoring two saved states and the
// compression of the identifier's and the inner digest's final blocks; the
// result is byte-identical to crypto/hmac (the tests check it).
//
// A Hasher is not safe for concurrent use: make one per goroutine with
// [NewHasher]. Hashers made from the same key give the same pseudonyms.
type Hasher struct {
	inner, outer sha256State
	// innerState[d] is the inner hash's state after (key XOR ipad) and
	// domainPrefix[d]; outerState after (key XOR opad). They are derived
	// from the key and, like it, never leave the Hasher.
	innerState [len(domainPrefix)][]byte
	outerState []byte
	sum        [sha256.Size]byte
	pad        [sha256Block + 8]byte
	state      []byte // scratch for AppendBinary
	tail       []byte // scratch: identifier and padding
	// outerBlock is the outer hash's last block: the inner digest, then
	// the padding of a 96-byte message.
	outerBlock [sha256Block]byte
}

// NewHasher returns a Hasher for k. It panics if k is the zero Key: running
// without a key is a bug in the caller, which must load the key first.
func NewHasher(k Key) *Hasher {
	if k.IsZero() {
		panic("pseudonymise: NewHasher called with the zero Key")
	}
	newState := func() sha256State {
		s, ok := sha256.New().(sha256State)
		if !ok {
			panic("pseudonymise: crypto/sha256 cannot save its state")
		}
		return s
	}
	h := &Hasher{inner: newState(), outer: newState(), state: make([]byte, 0, 128), tail: make([]byte, 0, 2*sha256Block)}
	copy(h.outerBlock[sha256.Size:], padding(&h.pad, sha256Block+sha256.Size))
	// RFC 2104: a key longer than the block is first hashed.
	var pad [sha256Block]byte
	if secret := k.secret(); len(secret) > sha256Block {
		sum := sha256.Sum256(secret)
		copy(pad[:], sum[:])
	} else {
		copy(pad[:], secret)
	}
	defer clear(pad[:])
	for i := range pad {
		pad[i] ^= 0x36
	}
	for d, prefix := range domainPrefix {
		if prefix == nil {
			continue
		}
		h.inner.Reset()
		h.inner.Write(pad[:])
		h.inner.Write(prefix)
		h.innerState[d] = mustAppendState(h.inner, nil)
	}
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	h.outer.Reset()
	h.outer.Write(pad[:])
	h.outerState = mustAppendState(h.outer, nil)
	return h
}

func mustAppendState(s sha256State, dst []byte) []byte {
	b, err := s.AppendBinary(dst)
	if err != nil {
		panic("pseudonymise: saving a SHA-256 state: " + err.Error())
	}
	return b
}

// padding returns SHA-256's padding for a message of n bytes: 0x80, zeros
// up to 56 mod 64, then the length in bits as a big-endian uint64. After it
// the message fills whole blocks, all compressed by Write.
func padding(buf *[sha256Block + 8]byte, n int) []byte {
	k := sha256Block - (n+1+8)%sha256Block
	if k == sha256Block {
		k = 0
	}
	p := buf[:1+k+8]
	p[0] = 0x80
	clear(p[1 : 1+k])
	binary.BigEndian.PutUint64(p[1+k:], uint64(n)*8)
	return p
}

// chainingValue reads the 8 state words of s, which after a padded message
// are its SHA-256 digest, from its saved state: a 4-byte magic, then the
// words big-endian (the crypto/sha256 state format, which Go keeps stable
// because saved states must stay readable).
func (h *Hasher) chainingValue(s sha256State) []byte {
	h.state = mustAppendState(s, h.state[:0])
	copy(h.sum[:], h.state[4:4+sha256.Size])
	return h.sum[:]
}

// restore sets s to a state saved by mustAppendState; a failure is a bug.
func restore(s sha256State, state []byte) {
	if err := s.UnmarshalBinary(state); err != nil {
		panic("pseudonymise: restoring a SHA-256 state: " + err.Error())
	}
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
	// Inner hash: the saved state holds (key XOR ipad) and the prefix; add
	// the identifier and SHA-256's padding, so the last block is compressed
	// by Write and the chaining value read back is the inner digest. This
	// skips Sum's copy of the whole state.
	// Identifier and padding go in as one Write.
	restore(h.inner, h.innerState[domain])
	tail := append(h.tail[:0], normalised...)
	tail = append(tail, padding(&h.pad, sha256Block+len(domainPrefix[domain])+len(normalised))...)
	h.inner.Write(tail)
	h.tail = tail[:0]
	// Outer hash: (key XOR opad), then one block holding the inner digest
	// and the padding, which NewHasher wrote once.
	restore(h.outer, h.outerState)
	copy(h.outerBlock[:sha256.Size], h.chainingValue(h.inner))
	h.outer.Write(h.outerBlock[:])
	sum := h.chainingValue(h.outer)
	return hex.AppendEncode(dst, sum[:pseudonymBytes])
}

// Pseudonym returns the pseudonym of a normalised identifier as a string.
// It is AppendPseudonym with one allocation for the result.
func (h *Hasher) Pseudonym(domain Domain, normalised []byte) string {
	var buf [PseudonymLen]byte
	return string(h.AppendPseudonym(buf[:0], domain, normalised))
}
