package pseudonymise

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/internal/names"
	"github.com/outcomes-research/outcomes/study"
)

// Keyed encodings for probabilistic linkage (see "Encodings" in doc.go).
//
// A name becomes a balanced, keyed Bloom filter of EncodingBytes bytes; a
// birth date becomes DateTokensBytes bytes of keyed tokens of its parts.
// Neither can be computed or inverted without the study key, and neither
// holds a letter or a digit of its input.
const (
	// bloomBits is the length of the unbalanced filter; the stored
	// encoding is twice as long (the filter and its complement).
	bloomBits = 512
	// bloomHashes is the number of bit positions each bigram sets.
	bloomHashes = 16
	// EncodingBytes is the length of a name encoding.
	EncodingBytes = 2 * bloomBits / 8
	// DateTokensBytes is the length of a birth-date encoding: five 8-byte
	// tokens (see DateToken).
	DateTokensBytes = 5 * 8
	// noiseShift: each bit of a name encoding is flipped with probability
	// 2^-noiseShift (1/32).
	noiseShift = 5
)

// Encoding is the keyed encodings of one row: of its surname
// (EncodingBytes, nil when empty), of a two-part surname's parts
// (AppendSurnameParts, nil otherwise), of its given name (EncodingBytes,
// nil when the export has none) and of its birth date (DateTokensBytes, nil
// when unknown). Line is the row's line in its file.
type Encoding struct {
	Line                                int64
	Surname, SurnameParts, Given, Birth []byte
}

// Encoded fields. Each has its own key, derived from the study key, so the
// same bigram sets unrelated bits in a surname and a given name.
type EncodedField uint8

const (
	// EncSurname is the surname, normalised as for the fallback key
	// (names.NormaliseSurname: prefixes dropped, diacritics folded).
	EncSurname EncodedField = iota
	// EncGiven is the first given name (or initial), when an export has
	// one: normalised as the surname, then cut at its first space, since
	// registrations differ in whether they write a second given name.
	EncGiven
	encFields
)

func (f EncodedField) String() string {
	switch f {
	case EncSurname:
		return "surname"
	case EncGiven:
		return "given"
	}
	return "EncodedField(" + strconv.Itoa(int(f)) + ")"
}

// DateToken indexes the tokens of a birth-date encoding.
type DateToken int

const (
	// DateFull is the token of year, month and day.
	DateFull DateToken = iota
	// DateUnordered is the token of year and the unordered pair {day,
	// month}: equal for a date and its day–month swap.
	DateUnordered
	// DateYearMonth, DateYearDay and DateMonthDay are the tokens of two of
	// the three parts: one of them agrees when one part was mistyped.
	DateYearMonth
	DateYearDay
	DateMonthDay
)

// encodingPrefix is the HMAC input prefix from which each encoding key is
// derived from the study key. None is a prefix of a pseudonym domain's or
// of the fingerprint message.
func encodingPrefix(purpose string) []byte {
	return []byte("outcomes/encoding/" + purpose + "/v1\x00")
}

// Encoder computes the keyed encodings of one study key. It is not safe for
// concurrent use: make one per goroutine. Encoders made from the same key
// give the same encodings for the same input and record reference.
type Encoder struct {
	// bigram[f] is HMAC under the field's own key: each bigram's bit
	// positions are its digest (random hashing, not double hashing).
	bigram [encFields]hash.Hash
	// perm[f] is the field's keyed permutation of the balanced filter.
	perm [encFields][2 * bloomBits]uint16
	// noise seeds the per-record bit flips; date computes date tokens.
	noise, date hash.Hash
	sum         []byte
	filter      [bloomBits / 64]uint64
	balanced    [2 * bloomBits / 64]uint64
	scratch     []byte
	padded      []byte
	ref         []byte
}

// NewEncoder returns the encoder of key k.
func NewEncoder(k Key) *Encoder {
	derive := func(purpose string) []byte {
		m := hmac.New(sha256.New, k.secret())
		m.Write(encodingPrefix(purpose))
		return m.Sum(nil)
	}
	e := &Encoder{sum: make([]byte, 0, sha256.Size), scratch: make([]byte, 0, 64)}
	for f := EncodedField(0); f < encFields; f++ {
		e.bigram[f] = hmac.New(sha256.New, derive(f.String()+"/bigram"))
		var seed [32]byte
		copy(seed[:], derive(f.String()+"/permutation"))
		r := rand.New(rand.NewChaCha8(seed))
		p := &e.perm[f]
		for i := range p {
			p[i] = uint16(i)
		}
		r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	}
	e.noise = hmac.New(sha256.New, derive("noise"))
	e.date = hmac.New(sha256.New, derive("birth-date"))
	return e
}

// AppendName appends the encoding of a name to dst (EncodingBytes bytes)
// and returns it, or returns dst unchanged when the name is empty after
// normalisation. ref names the record (e.g. file and line): it seeds the
// record's bit flips, so one record encodes the same way in every run while
// two records of one name do not share an encoding.
//
// The steps: normalise (surname rules, for both fields); split into
// bigrams of the name padded with a space at both ends; set, for each
// bigram, bloomHashes positions taken from HMAC(field key, bigram) in a
// 512-bit filter; balance: append the filter's complement and permute the
// 1024 bits with the field's keyed permutation, so every encoding has
// exactly 512 ones; flip each bit with probability 1/32, from a
// generator seeded by HMAC(noise key, field || ref).
func (e *Encoder) AppendName(dst []byte, f EncodedField, name string, ref []byte) []byte {
	e.scratch = names.AppendNormalisedSurname(e.scratch[:0], name)
	if f == EncGiven {
		if i := slices.Index(e.scratch, ' '); i > 0 {
			e.scratch = e.scratch[:i]
		}
	}
	if len(e.scratch) == 0 {
		return dst
	}
	clear(e.filter[:])
	e.padded = append(append(append(e.padded[:0], ' '), e.scratch...), ' ')
	padded := e.padded
	mac := e.bigram[f]
	for i := 0; i+1 < len(padded); i++ {
		mac.Reset()
		mac.Write(padded[i : i+2])
		e.sum = mac.Sum(e.sum[:0])
		for h := 0; h < bloomHashes; h++ {
			pos := binary.LittleEndian.Uint16(e.sum[2*h:]) % bloomBits
			e.filter[pos/64] |= 1 << (pos % 64)
		}
	}
	clear(e.balanced[:])
	p := &e.perm[f]
	for i := 0; i < 2*bloomBits; i++ {
		var bit uint64
		if i < bloomBits {
			bit = e.filter[i/64] >> (i % 64) & 1
		} else {
			bit = ^e.filter[(i-bloomBits)/64] >> ((i - bloomBits) % 64) & 1
		}
		to := p[i]
		e.balanced[to/64] |= bit << (to % 64)
	}
	e.noise.Reset()
	e.noise.Write([]byte{byte(f)})
	e.noise.Write(ref)
	var seed [32]byte
	copy(seed[:], e.noise.Sum(e.sum[:0]))
	r := rand.NewChaCha8(seed)
	for w := range e.balanced {
		flip := ^uint64(0)
		for range noiseShift {
			flip &= r.Uint64()
		}
		e.balanced[w] ^= flip
	}
	for _, w := range e.balanced {
		dst = binary.LittleEndian.AppendUint64(dst, w)
	}
	return dst
}

// AppendSurnameParts appends, for a surname written as two joined by a
// hyphen ("Jansen-de Vries"), the encodings of its first and last part
// (2 × EncodingBytes bytes, under the surname key, so that a part matches a
// record that holds only that surname); for any other surname it returns
// dst unchanged. Each part has its own noise (ref with a part suffix).
func (e *Encoder) AppendSurnameParts(dst []byte, name string, ref []byte) []byte {
	first, last, ok := cutSurname(name)
	if !ok {
		return dst
	}
	n := len(dst)
	e.ref = append(append(e.ref[:0], ref...), 0, 1)
	dst = e.AppendName(dst, EncSurname, first, e.ref)
	e.ref = append(append(e.ref[:0], ref...), 0, 2)
	dst = e.AppendName(dst, EncSurname, last, e.ref)
	if len(dst)-n != 2*EncodingBytes {
		return dst[:n] // a part is empty after normalisation
	}
	return dst
}

// cutSurname splits a surname at its first hyphen into two non-empty parts.
func cutSurname(name string) (first, last string, ok bool) {
	for i := 0; i < len(name); i++ {
		if name[i] == '-' {
			first, last = name[:i], name[i+1:]
			return first, last, first != "" && last != ""
		}
	}
	return "", "", false
}

// AppendDate appends the birth-date encoding of d to dst (DateTokensBytes
// bytes): the five tokens of DateToken in order, each the first 8 bytes of
// HMAC(date key, token kind || parts). Dates are spread evenly enough over
// days and months that a token's frequency says little; the birth year,
// which the store holds anyway, is the one part with a skewed distribution.
func (e *Encoder) AppendDate(dst []byte, d time.Time) []byte {
	y, m, day := d.Year(), int(d.Month()), d.Day()
	lo, hi := min(m, day), max(m, day)
	for _, t := range [...][4]int{
		DateFull:      {int(DateFull), y, m, day},
		DateUnordered: {int(DateUnordered), y, lo, hi},
		DateYearMonth: {int(DateYearMonth), y, m, 0},
		DateYearDay:   {int(DateYearDay), y, day, 0},
		DateMonthDay:  {int(DateMonthDay), 0, m, day},
	} {
		b := e.scratch[:0]
		for _, v := range t {
			b = binary.BigEndian.AppendUint32(b, uint32(v))
		}
		e.date.Reset()
		e.date.Write(b)
		e.sum = e.date.Sum(e.sum[:0])
		dst = append(dst, e.sum[:8]...)
	}
	return dst
}

// Dice is the Dice coefficient 2|a∧b| / (|a|+|b|) of two name encodings,
// from 0 to 1; 0 when either is empty or their lengths differ.
func Dice(a, b []byte) float64 {
	if len(a) == 0 || len(a) != len(b) || len(a)%8 != 0 {
		return 0
	}
	var both, na, nb int
	for i := 0; i < len(a); i += 8 {
		x, y := binary.LittleEndian.Uint64(a[i:]), binary.LittleEndian.Uint64(b[i:])
		both += bits.OnesCount64(x & y)
		na += bits.OnesCount64(x)
		nb += bits.OnesCount64(y)
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(both) / float64(na+nb)
}

// suppliedColumns are a supplier-pseudonymised export's encoding columns
// (base64, as ExportWriter writes them); nil when not mapped.
type suppliedColumns struct{ surname, parts, given, birth *array.String }

func suppliedEncodings(col map[string]arrow.Array) suppliedColumns {
	return suppliedColumns{stringCol(col, study.FieldEncSurname), stringCol(col, study.FieldEncSurnameParts),
		stringCol(col, study.FieldEncGivenName), stringCol(col, study.FieldEncBirthDate)}
}

// append decodes row i's encodings and appends them to out. A value that
// is not base64 of an encoding's length is left out (the row still loads;
// it links by its pseudonyms only).
func (c suppliedColumns) append(out []Encoding, line int64, i int) []Encoding {
	dec := func(a *array.String, n int) []byte {
		v := value(a, i)
		if v == "" {
			return nil
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b)%n != 0 || len(b) > 2*n {
			return nil
		}
		return b
	}
	e := Encoding{Line: line, Surname: dec(c.surname, EncodingBytes), SurnameParts: dec(c.parts, 2*EncodingBytes),
		Given: dec(c.given, EncodingBytes), Birth: dec(c.birth, DateTokensBytes)}
	if len(e.Surname) != EncodingBytes {
		e.Surname, e.SurnameParts = nil, nil
	}
	if len(e.Given) != EncodingBytes {
		e.Given = nil
	}
	if len(e.Birth) != DateTokensBytes {
		e.Birth = nil
	}
	if e.Surname == nil && e.Birth == nil {
		return out
	}
	return append(out, e)
}
