package pseudonymise

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/outcomes-research/outcomes/internal/bsn"
	"github.com/outcomes-research/outcomes/internal/names"
)

// BSNStatus is the outcome of [NormaliseBSN]: OK, or the reason a value is
// not a usable national ID, so that callers can count and quarantine rows
// per reason. The zero value is not a valid status. No status, and no error
// from [BSNStatus.Err], contains the value that was checked.
type BSNStatus uint8

const (
	// BSNOK: the value is a valid BSN; the normalised digits were written.
	BSNOK BSNStatus = iota + 1
	// BSNEmpty: the value is empty or holds only separators.
	BSNEmpty
	// BSNNotDigits: the value holds a character other than an ASCII digit,
	// a space, a dot or a dash.
	BSNNotDigits
	// BSNWrongLength: the value does not have 8 or 9 digits.
	BSNWrongLength
	// BSNFailsElfproef: the value has 9 digits (after padding) but fails the
	// elfproef, or is all zeros.
	BSNFailsElfproef
	// BSNNumberRendering: the value is a number as a spreadsheet renders it
	// that cannot be turned back into the digits it was made from:
	// scientific notation (1.0593925E8, whose digits may have been rounded
	// away) or a decimal fraction other than zeros (10593925.5).
	BSNNumberRendering
)

// Errors for the BSN statuses other than BSNOK, as returned by
// [BSNStatus.Err], for row errors checked with errors.Is.
var (
	ErrBSNEmpty         = errors.New("national ID (BSN) is empty")
	ErrBSNNotDigits     = errors.New("national ID (BSN) has characters other than digits, spaces, dots and dashes")
	ErrBSNWrongLength   = errors.New("national ID (BSN) does not have 8 or 9 digits")
	ErrBSNFailsElfproef = errors.New("national ID (BSN) fails the elfproef (11-test)")
	ErrBSNNumber        = errors.New("national ID (BSN) is a spreadsheet number rendering (scientific notation or a decimal fraction) that cannot be read back")
)

// String returns a stable reason code for counts and quarantine files:
// "ok", "empty", "not_digits", "wrong_length", "fails_elfproef" or
// "number_rendering".
func (s BSNStatus) String() string {
	switch s {
	case BSNOK:
		return "ok"
	case BSNEmpty:
		return "empty"
	case BSNNotDigits:
		return "not_digits"
	case BSNWrongLength:
		return "wrong_length"
	case BSNFailsElfproef:
		return "fails_elfproef"
	case BSNNumberRendering:
		return "number_rendering"
	}
	return "BSNStatus(" + strconv.Itoa(int(s)) + ")"
}

// Err returns nil for BSNOK and the matching ErrBSN... error otherwise.
// It panics on a status that is not one of the constants (a bug).
func (s BSNStatus) Err() error {
	switch s {
	case BSNOK:
		return nil
	case BSNEmpty:
		return ErrBSNEmpty
	case BSNNotDigits:
		return ErrBSNNotDigits
	case BSNWrongLength:
		return ErrBSNWrongLength
	case BSNFailsElfproef:
		return ErrBSNFailsElfproef
	case BSNNumberRendering:
		return ErrBSNNumber
	}
	panic("pseudonymise: invalid " + s.String())
}

// NormaliseBSN checks a national ID (burgerservicenummer) as written in a
// partner's export and, if it is valid, writes its 9 ASCII digits to dst.
//
// Spaces (including tabs and no-break spaces), dots and dashes are removed;
// "123.456.782", "123 456 782" and "123-45-6782" all give "123456782". Any
// other character, including non-ASCII digits, gives
// BSNNotDigits. A value of 8 digits is taken to have lost its leading zero
// (as happens when a spreadsheet reads the column as a number) and is
// left-padded with "0".
//
// Spreadsheets mangle IDs in a few more ways; each is undone exactly or the
// value is refused, so that a mangled ID never becomes another person's:
//
//   - text forced with a formula or an apostrophe, ="012345678" or
//     '012345678, is read as the text inside;
//   - a whole number written with a zero fraction, 10593925.0 or
//     10593925,00 (no other separator in the value), is read as its whole
//     part: 10593925, then padded to 010593925 as above. Without this rule
//     the dot would be dropped and 105939250, a different valid BSN, read;
//   - scientific notation (1.0593925E8, 1,06E+08) and any other fraction
//     (10593925.5, 1059.39250: one dot or comma between plain digits, not
//     followed by a group of three), give
//     BSNNumberRendering: such a value may have lost digits, so it is not
//     used (the row falls back to surname + birth date, and the reason is
//     counted in bsn_rejected).
//
// The 9 digits must pass the elfproef (see [ValidElfproef]).
//
// On any status other than BSNOK, dst is set to all zero bytes. NormaliseBSN
// does not allocate.
func NormaliseBSN(raw string, dst *[9]byte) BSNStatus {
	*dst = [9]byte{}
	raw = unwrapSpreadsheetText(raw)
	if whole, frac, ok := cutDecimal(raw); ok {
		if strings.Trim(frac, "0") != "" {
			return BSNNumberRendering
		}
		raw = whole
	}
	var d [9]byte
	n := 0
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			switch {
			case '0' <= c && c <= '9':
				if n < len(d) {
					d[n] = c
				}
				n++
			case c == 'e' || c == 'E' || c == '+' || c == ',':
				if n > 0 {
					return BSNNumberRendering
				}
				return BSNNotDigits
			case c == ' ' || c == '.' || c == '-' || '\t' <= c && c <= '\r':
			default:
				return BSNNotDigits
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(raw[i:])
		if !isBSNSeparator(r) {
			return BSNNotDigits
		}
		i += size
	}
	switch n {
	case 0:
		return BSNEmpty
	case 8:
		copy(d[1:], d[:8])
		d[0] = '0'
	case 9:
	default:
		return BSNWrongLength
	}
	if !ValidElfproef(d) {
		return BSNFailsElfproef
	}
	*dst = d
	return BSNOK
}

// unwrapSpreadsheetText removes the ways a spreadsheet forces a cell to be
// text: ="…" (a formula whose result is the text) and a leading apostrophe.
// Spaces around the value go too.
func unwrapSpreadsheetText(s string) string {
	const space = " \t\n\v\f\r"
	s = strings.Trim(s, space)
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.Trim(s[2:len(s)-1], space)
	}
	if strings.HasPrefix(s, "'") {
		s = strings.Trim(s[1:], space)
	}
	return s
}

// cutDecimal splits a number written with a decimal point or comma: plain
// ASCII digits, one '.' or ',', and one or more digits that are not a group
// of three after a dot (123.456 is a grouped number, not a decimal). A
// value with any other separator is not a decimal.
func cutDecimal(s string) (whole, frac string, ok bool) {
	i := strings.IndexAny(s, ".,")
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	whole, frac = s[:i], s[i+1:]
	if !allDigits(whole) || !allDigits(frac) || (s[i] == '.' && len(frac) == 3) {
		return "", "", false
	}
	return whole, frac, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isBSNSeparator reports whether a non-ASCII rune is a space or dash that
// spreadsheets and word processors put into numbers.
func isBSNSeparator(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f', // no-break, figure, narrow no-break space
		'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', // hyphens and dashes
		'\u2212': // minus sign
		return true
	}
	return false
}

// ValidElfproef reports whether d, 9 ASCII digits d1..d9, passes the
// elfproef for BSNs: 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8
// - 1*d9 is divisible by 11. The all-zero number is not valid, nor is d if
// any byte is not an ASCII digit. It is [bsn.Valid], the one implementation
// of the elfproef, which ingest/synth shares without importing this package.
func ValidElfproef(d [9]byte) bool { return bsn.Valid(d) }

// SyntheticBSNCount is the number of distinct values [SyntheticBSN] makes.
const SyntheticBSNCount = bsn.SyntheticCount

// SyntheticBSN returns a 9-digit number that passes the elfproef, for test
// data and synthetic-data generators. The numbers are SYNTHETIC: they are
// made by arithmetic alone, and one may happen to be a real person's BSN, so
// they must only ever be used as test fixtures, never mixed with real data.
//
// SyntheticBSN is deterministic, and distinct n below SyntheticBSNCount give
// distinct numbers; n is taken modulo SyntheticBSNCount. It is
// [bsn.Synthetic], where the construction is described.
func SyntheticBSN(n uint32) string { return bsn.Synthetic(n) }

// NormaliseSurname returns a surname in the canonical form used for
// fallback keys, so that the ways partners write one surname agree:
//
//   - compatibility decomposition (NFKD) and removal of combining marks, so
//     "Çelik" gives "celik", "Müller" "muller" and "Eén" "een"; letters that
//     do not decompose are folded too ("ß" to "ss", "ø" to "o", "ı" to "i");
//   - lower case;
//   - every character that is not a letter or digit (hyphens, apostrophes,
//     commas, dots) becomes a space, and runs of spaces become one;
//   - Dutch name prefixes (tussenvoegsels such as "van", "de", "van der",
//     "in 't", "d'") are dropped from the start and the end of the name.
//
// Prefixes are dropped, not moved, because registrations differ in where
// they write the prefix ("van der Berg", "Berg, van der", "Berg van der"),
// in whether they write it at all (many systems keep it in a separate field
// that an export may leave out) and in how they abbreviate it ("v.d. Berg").
// Dropping gives the same result for all of these; the prefix adds little to
// tell people apart once birth date and sex are part of the key. Prefix
// words inside a name ("Jansen-van der Berg") are kept. A name made only of
// prefix words ("Van", or the Vietnamese surname "Le") is kept whole.
//
// NormaliseSurname is idempotent: normalising its output changes nothing.
//
// The rule is implemented in internal/names ([names.NormaliseSurname]),
// which ingest/synth shares without importing this package.
func NormaliseSurname(s string) string { return names.NormaliseSurname(s) }

// NormaliseSex returns "m" (male), "v" (female, Dutch vrouw), "x" (the
// Dutch gender marker X) or "o" (unknown, Dutch onbekend). Case and
// surrounding spaces are ignored: "M", "man", "male" and "mannelijk" give
// "m"; "V", "F", "vrouw", "female" and "vrouwelijk" give "v"; "X" gives
// "x"; anything else, including numeric codes whose meaning differs per
// partner, gives "o".
func NormaliseSex(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range [...]string{"m", "man", "male", "mannelijk"} {
		if strings.EqualFold(s, w) {
			return "m"
		}
	}
	for _, w := range [...]string{"v", "f", "vrouw", "female", "vrouwelijk"} {
		if strings.EqualFold(s, w) {
			return "v"
		}
	}
	if strings.EqualFold(s, "x") {
		return "x"
	}
	return "o"
}

// FallbackKey appends to dst the canonical fallback identifier of a person
// without a usable BSN, "surname|YYYY-MM-DD|sex", and returns the extended
// slice, for [Hasher.AppendPseudonym] with [DomainFallback]. surname is
// normalised with [NormaliseSurname] (passing an already normalised name is
// fine) and sex with [NormaliseSex]. The date is birth's calendar date in
// birth's own location.
//
// FallbackKey returns nil when no key can be made: the surname is empty
// after normalisation, birth is the zero time, or its year is outside
// 1..9999. Such rows must not get a pseudonym, or all of them would be
// linked as one person.
//
// Fallback linkage is weaker than linkage by BSN: one person whose surname
// is spelled differently by two partners, or whose sex is unknown at one of
// them, gets two pseudonyms, and two people with the same surname, birth
// date and sex get one. The person table records which kind of key a
// pseudonym came from.
func FallbackKey(dst []byte, surname string, birth time.Time, sex string) []byte {
	if birth.IsZero() {
		return nil
	}
	y, m, d := birth.Date()
	if y < 1 || y > 9999 {
		return nil
	}
	n := len(dst)
	dst = names.AppendNormalisedSurname(dst, surname)
	if len(dst) == n {
		return nil
	}
	dst = append(dst, '|')
	dst = appendDigits(dst, y, 4)
	dst = append(dst, '-')
	dst = appendDigits(dst, int(m), 2)
	dst = append(dst, '-')
	dst = appendDigits(dst, d, 2)
	dst = append(dst, '|')
	return append(dst, NormaliseSex(sex)...)
}

// appendDigits appends v, which is not negative, left-padded with zeros to
// width digits.
func appendDigits(dst []byte, v, width int) []byte {
	var buf [8]byte
	i := len(buf)
	for v > 0 || len(buf)-i < width {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[i:]...)
}
