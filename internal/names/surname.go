package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

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
func NormaliseSurname(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // at start, or just wrote a space
	sep := func() {
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if f := foldLetter(r); f != "" {
			b.WriteString(f)
			space = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		sep()
	}
	words := strings.Fields(b.String())
	first, last := 0, len(words)
	for first < last && isSurnamePrefix(words[first]) {
		first++
	}
	if first == last {
		// Only prefix words: keep them all, as the name itself.
		return strings.Join(words, " ")
	}
	for isSurnamePrefix(words[last-1]) {
		last--
	}
	return strings.Join(words[first:last], " ")
}

// foldLetter returns the ASCII spelling of a lower-case letter that NFKD
// does not decompose, or "" for any other rune.
func foldLetter(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'đ', 'ð':
		return "d"
	case 'þ':
		return "th"
	case 'ı': // Turkish dotless i: "Yılmaz" is often written "Yilmaz"
		return "i"
	case 'ħ':
		return "h"
	case 'ŧ':
		return "t"
	}
	return ""
}

// isSurnamePrefix reports whether w, a word of a normalised surname, is a
// name prefix: a word of the Dutch table of voorvoegsels (BRP Tabel 36,
// which includes foreign ones such as "de la", "von" and "el"), written as
// NormaliseSurname leaves it ("'t" as "t", "d'" as "d"), and the
// abbreviations "v" and "vd" ("v.d." becomes "v d").
func isSurnamePrefix(w string) bool {
	switch w {
	case "a", "aan", "af", "al", "am", "auf", "aus",
		"ben", "bij", "bin",
		"d", "da", "dal", "dalla", "das", "de", "deca", "degli", "dei", "del", "della", "den", "der", "des", "di", "die", "do", "don", "dos", "du",
		"el",
		"gen",
		"het",
		"i", "im", "in",
		"l", "la", "las", "le", "les", "lo", "los",
		"m",
		"op", "over",
		"s",
		"t", "te", "ten", "ter", "tho", "thoe", "thor", "to", "toe", "tot",
		"uijt", "uit", "unter",
		"v", "van", "vd", "ver", "vom", "von", "voor", "vor",
		"zu", "zum", "zur":
		return true
	}
	return false
}

// AppendNormalisedSurname appends NormaliseSurname(s) to dst. For ASCII
// text, by far the most common case, it does so without allocating: the
// lower-cased letters and digits are written to dst with single spaces
// between words, and the kept words (after dropping leading and trailing
// prefixes) are one contiguous run of that text. Other text goes through
// NormaliseSurname. The tests check that both paths agree.
func AppendNormalisedSurname(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(dst, NormaliseSurname(s)...)
		}
	}
	base := len(dst)
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			continue
		}
		dst = append(dst, c)
		space = false
	}
	if space && len(dst) > base {
		dst = dst[:len(dst)-1] // trailing separator
	}
	text := dst[base:]
	// Drop leading prefix words.
	start := 0
	for start < len(text) {
		end := start + wordLen(text[start:])
		if !isSurnamePrefix(string(text[start:end])) {
			break
		}
		start = end + 1
	}
	if start >= len(text) {
		return dst // only prefix words (or none): keep them all
	}
	// Drop trailing prefix words; the word at start is not one.
	stop := len(text)
	for {
		w := lastWordStart(text[:stop])
		if w <= start || !isSurnamePrefix(string(text[w:stop])) {
			break
		}
		stop = w - 1
	}
	n := copy(dst[base:], text[start:stop])
	return dst[:base+n]
}

// wordLen is the length of the word at the start of b (up to a space).
func wordLen(b []byte) int {
	for i, c := range b {
		if c == ' ' {
			return i
		}
	}
	return len(b)
}

// lastWordStart is the index where the last word of b starts.
func lastWordStart(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ' ' {
			return i + 1
		}
	}
	return 0
}
