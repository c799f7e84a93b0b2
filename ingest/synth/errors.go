package synth

import (
	"math/rand/v2"
	"strings"
)

// Registration errors, for measuring probabilistic linkage against known
// truth. Nothing here runs for the demo data: a caller asks for it.

// Mistake is a set of registration errors made in one record.
type Mistake uint16

const (
	MistakeTypo          Mistake = 1 << iota // one letter replaced by a neighbour on the keyboard
	MistakeTransposition                     // two adjacent letters swapped
	MistakeDoubled                           // a letter doubled, or a double letter made single
	MistakeSecondSurname                     // a second surname added after a hyphen
	MistakeDaySwap                           // day and month of the birth date swapped
	MistakeDateTypo                          // one part of the birth date off by one
	MistakeNoSurname                         // surname missing
	MistakeNoBirthDate                       // birth date missing
	MistakeNoSex                             // sex missing
	MistakeGivenTypo                         // a typo, transposition or doubled letter in the given name
	MistakeGivenInitial                      // the given name written as its initial
	MistakeNoGiven                           // given name missing
)

// ErrorRates are the probabilities, per record, of each mistake.
type ErrorRates struct {
	Typo, Transposition, Doubled, SecondSurname float64
	DaySwap, DateTypo                           float64
	NoSurname, NoBirthDate, NoSex               float64
	// GivenTypo is the rate of a typo, transposition or doubled letter in
	// the given name (one of the three); GivenInitial of a given name
	// written as its initial ("J."), NoGiven of no given name.
	GivenTypo, GivenInitial, NoGiven float64
}

// LinkageErrorRates are the rates the linkage tests use: about one record
// in four has at least one mistake, in line with what is reported for
// Dutch care registrations without a national ID.
func LinkageErrorRates() ErrorRates {
	return ErrorRates{Typo: 0.05, Transposition: 0.03, Doubled: 0.04, SecondSurname: 0.03,
		DaySwap: 0.04, DateTypo: 0.03, NoSurname: 0.01, NoBirthDate: 0.01, NoSex: 0.03,
		GivenTypo: 0.06, GivenInitial: 0.03, NoGiven: 0.05}
}

// Identity is what a registration holds about who a record is about.
type Identity struct {
	// Given is the given name ("" when not registered), Surname the
	// surname.
	Given, Surname   string
	Year, Month, Day int // 0: no birth date
	Sex              string
}

// Garble returns id as a registration with mistakes drawn at rates would
// hold it, and the mistakes made.
func Garble(r *rand.Rand, rates ErrorRates, id Identity) (Identity, Mistake) {
	var made Mistake
	draw := func(p float64, m Mistake) bool {
		if p > 0 && r.Float64() < p {
			made |= m
			return true
		}
		return false
	}
	s := []rune(id.Surname)
	letters := func() []int {
		var at []int
		for i, c := range s {
			if c >= 'a' && c <= 'z' {
				at = append(at, i)
			}
		}
		return at
	}
	if draw(rates.Typo, MistakeTypo) {
		if at := letters(); len(at) > 1 {
			i := at[1+r.IntN(len(at)-1)] // the first letter is typed most carefully
			s[i] = neighbour(r, s[i])
		}
	}
	if draw(rates.Transposition, MistakeTransposition) && len(s) > 3 {
		i := 1 + r.IntN(len(s)-2)
		s[i], s[i+1] = s[i+1], s[i]
	}
	if draw(rates.Doubled, MistakeDoubled) && len(s) > 2 {
		if j := doubleAt(s); j >= 0 {
			s = append(s[:j:j], s[j+1:]...)
		} else {
			i := 1 + r.IntN(len(s)-1)
			s = append(s[:i+1:i+1], s[i:]...)
		}
	}
	out := id
	out.Surname = string(s)
	if draw(rates.SecondSurname, MistakeSecondSurname) {
		out.Surname += "-" + surnames[r.IntN(len(surnames))]
	}
	if out.Year != 0 {
		if draw(rates.DaySwap, MistakeDaySwap) && out.Day <= 12 && out.Day != out.Month {
			out.Day, out.Month = out.Month, out.Day
		} else if draw(rates.DateTypo, MistakeDateTypo) {
			switch r.IntN(3) {
			case 0:
				out.Year += 1 - 2*r.IntN(2)
			case 1:
				out.Month = 1 + (out.Month+r.IntN(2)*10)%12
			default:
				out.Day = max(1, min(28, out.Day+1-2*r.IntN(2)))
			}
		}
	}
	if draw(rates.NoSurname, MistakeNoSurname) {
		out.Surname = ""
	}
	if draw(rates.NoBirthDate, MistakeNoBirthDate) {
		out.Year, out.Month, out.Day = 0, 0, 0
	}
	if draw(rates.NoSex, MistakeNoSex) {
		out.Sex = ""
	}
	// The given name's mistakes come last, so a caller that sets no
	// given-name rates draws the same surname and date mistakes as before.
	if out.Given != "" && draw(rates.GivenTypo, MistakeGivenTypo) {
		g := []rune(out.Given)
		switch r.IntN(3) {
		case 0:
			if i := 1 + r.IntN(max(len(g)-1, 1)); i < len(g) {
				g[i] = neighbour(r, g[i])
			}
		case 1:
			if len(g) > 3 {
				i := 1 + r.IntN(len(g)-2)
				g[i], g[i+1] = g[i+1], g[i]
			}
		default:
			if j := doubleAt(g); j >= 0 {
				g = append(g[:j:j], g[j+1:]...)
			} else if len(g) > 1 {
				i := 1 + r.IntN(len(g)-1)
				g = append(g[:i+1:i+1], g[i:]...)
			}
		}
		out.Given = string(g)
	}
	if out.Given != "" && draw(rates.GivenInitial, MistakeGivenInitial) {
		out.Given = string([]rune(out.Given)[:1]) + "."
	}
	if draw(rates.NoGiven, MistakeNoGiven) {
		out.Given = ""
	}
	return out, made
}

// doubleAt is the index of the first letter of a double letter, or -1.
func doubleAt(s []rune) int {
	for i := 1; i+1 < len(s); i++ {
		if s[i] == s[i+1] {
			return i
		}
	}
	return -1
}

var keyboard = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

func neighbour(r *rand.Rand, c rune) rune {
	for _, row := range keyboard {
		if i := strings.IndexRune(row, c); i >= 0 {
			switch {
			case i == 0:
				return rune(row[1])
			case i == len(row)-1:
				return rune(row[i-1])
			case r.IntN(2) == 0:
				return rune(row[i-1])
			}
			return rune(row[i+1])
		}
	}
	return c
}

// LinkageGivenName draws a given name for sex "m" or "v": half from the
// generator's lists (40 per sex, so the common names are very common, as in
// a real register), the rest built from syllables, and one in ten with a
// second given name ("Jan Pieter"), which registrations often leave out.
func LinkageGivenName(r *rand.Rand, sex string) string {
	pick := func() string {
		list := firstNamesV
		if sex == "m" {
			list = firstNamesM
		}
		if r.IntN(2) == 0 {
			return list[r.IntN(len(list))]
		}
		on := []string{"b", "d", "f", "h", "j", "k", "l", "m", "n", "r", "s", "t", "w", "y", "z", "ch", "st"}
		nu := []string{"a", "e", "i", "o", "u", "aa", "ie", "ei"}
		end := []string{"n", "s", "r", "l", "m", "", "", "k"}
		var b strings.Builder
		for n := 1 + r.IntN(2); n > 0; n-- {
			b.WriteString(on[r.IntN(len(on))])
			b.WriteString(nu[r.IntN(len(nu))])
		}
		b.WriteString(end[r.IntN(len(end))])
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	g := pick()
	if r.IntN(10) == 0 {
		g += " " + pick()
	}
	return g
}

// LinkageSurname draws a surname with a long tail, as a population holds
// them: three in ten from the generator's list of common surnames, the rest
// built from syllables (about 10^5 distinct), so namesakes are as rare as
// they are in a real register rather than as common as a list of a hundred
// names makes them.
func LinkageSurname(r *rand.Rand) string {
	if r.IntN(10) < 3 {
		return surnames[r.IntN(len(surnames))]
	}
	on := []string{"b", "d", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "dr", "kr", "st", "sch", "gr", "z"}
	nu := []string{"a", "e", "i", "o", "u", "aa", "ee", "oo", "ij", "ou"}
	co := []string{"n", "r", "l", "k", "s", "m", "rt", "ns", "ld", "rk", "ng", ""}
	var b strings.Builder
	for n := 2 + r.IntN(2); n > 0; n-- {
		b.WriteString(on[r.IntN(len(on))])
		b.WriteString(nu[r.IntN(len(nu))])
		b.WriteString(co[r.IntN(len(co))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}
