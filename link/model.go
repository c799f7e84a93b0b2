package link

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Record is what the model compares of one entity: a record, or all records
// of one exact pseudonym. Every field is optional; a missing field makes
// its comparison null, which weighs nothing either way.
type Record struct {
	// Surname and Given are keyed name encodings of equal length (a
	// multiple of 8 bytes; pseudonymise.EncodingBytes), nil when unknown.
	Surname, Given []byte
	// SurnameParts is, for a surname of two joined by a hyphen, the
	// encodings of its two parts one after the other
	// (pseudonymise.AppendSurnameParts), nil otherwise: a record that
	// holds one of the two matches on it.
	SurnameParts []byte
	// Birth is the birth-date encoding, pseudonymise.DateTokensBytes
	// bytes in the order of its tokens (full, unordered day–month, year–
	// month, year–day, month–day), nil when unknown.
	Birth []byte
	// BirthYear is the year of birth (0: unknown), used only for blocking.
	BirthYear int32
	// Sex is 'm', 'v' or 'x'; anything else is unknown.
	Sex byte
	// Source numbers the record's source (a partner's file, or a
	// partner). Within a source listed in Config.OneToOne, two records are
	// never put in one cluster.
	Source int32
	// Anchor marks a record identified by a national ID: two anchors are
	// never put in one cluster.
	Anchor bool
}

// Fields compared, and their levels. Level 0 is null (a side is missing);
// level 1 is the strongest agreement, the last level disagreement.
const (
	FieldSurname = iota
	FieldGiven
	FieldBirth
	FieldSex
	NumFields
)

// MaxLevels is the number of levels of the field with the most, null
// included.
const MaxLevels = 6

// Levels is the number of levels of each field, null included.
var Levels = [NumFields]int{FieldSurname: 5, FieldGiven: 5, FieldBirth: 6, FieldSex: 3}

// FieldNames and LevelNames label the fields and levels in reports.
var (
	FieldNames = [NumFields]string{"surname", "given", "birth_date", "sex"}
	LevelNames = [NumFields][MaxLevels]string{
		FieldSurname: {"null", "dice>=0.90", "dice>=0.84", "dice>=0.77", "else"},
		FieldGiven:   {"null", "dice>=0.90", "dice>=0.84", "dice>=0.77", "else"},
		FieldBirth:   {"null", "exact", "day-month swap", "year and month or day", "month and day", "else"},
		FieldSex:     {"null", "agree", "disagree"},
	}
)

// Dice thresholds of the name levels, on balanced keyed encodings: the same
// name in two records scores about 0.93 (the per-record noise), a doubled or
// dropped letter about 0.91, a transposition or typo about 0.85, a second
// surname about 0.79, unrelated names 0.60-0.72. A surname of two parts is
// also compared by each part, and the best level counts.
var diceLevels = [...]float64{0.90, 0.84, 0.77}

// Pattern is a comparison vector packed into one number: the level of each
// field in mixed radix (Levels).
type Pattern uint16

// NumPatterns is the number of distinct patterns.
const NumPatterns = 5 * 5 * 6 * 3

// Level returns the level of field f in p.
func (p Pattern) Level(f int) int { return int(levelOf[p][f]) }

// levelOf unpacks every pattern once.
var levelOf = func() (t [NumPatterns][NumFields]uint8) {
	for p := range t {
		v := p
		for f := 0; f < NumFields; f++ {
			t[p][f] = uint8(v % Levels[f])
			v /= Levels[f]
		}
	}
	return t
}()

func pack(levels [NumFields]int) Pattern {
	v, mul := 0, 1
	for f := 0; f < NumFields; f++ {
		v += levels[f] * mul
		mul *= Levels[f]
	}
	return Pattern(v)
}

// prepared is a record with its name encodings' bit counts, so a
// comparison is popcounts only. The encodings themselves are not copied:
// prepared refers to the Record's bytes (Link's caller holds them anyway),
// read a word at a time when comparing.
type prepared struct {
	surname, given []byte
	// parts are a two-part surname's parts and their bit counts; nil for
	// a one-part surname (most records).
	parts    *surnameParts
	birth    [5]uint64
	ns, ng   int32
	year     int32
	source   int32
	sex      byte
	hasBirth bool
	anchor   bool
}

// surnameParts are the two parts of a two-part surname.
type surnameParts struct {
	w [2][]byte
	n [2]int32
}

// prepare fills p from r.
func (p *prepared) prepare(r *Record) {
	*p = prepared{year: r.BirthYear, source: r.Source, anchor: r.Anchor}
	p.surname, p.ns = encoding(r.Surname)
	p.given, p.ng = encoding(r.Given)
	if h := len(r.SurnameParts) / 2; h > 0 && h == len(r.Surname) {
		var sp surnameParts
		sp.w[0], sp.n[0] = encoding(r.SurnameParts[:h])
		sp.w[1], sp.n[1] = encoding(r.SurnameParts[h:])
		if sp.w[0] != nil && sp.w[1] != nil {
			p.parts = &sp
		}
	}
	if len(r.Birth) >= 40 {
		p.hasBirth = true
		for i := range p.birth {
			p.birth[i] = binary.LittleEndian.Uint64(r.Birth[8*i:])
		}
	}
	if r.Sex == 'm' || r.Sex == 'v' || r.Sex == 'x' {
		p.sex = r.Sex
	}
}

// encoding returns an encoding (capped to its length) and its bit count;
// nil for none or a length that is not a whole number of words.
func encoding(b []byte) ([]byte, int32) {
	if len(b) == 0 || len(b)%8 != 0 {
		return nil, 0
	}
	n := 0
	for i := 0; i < len(b); i += 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b[i:]))
	}
	return b[:len(b):len(b)], int32(n)
}

func diceLevel(a, b []byte, na, nb int32) int {
	if a == nil || b == nil || len(a) != len(b) || na+nb == 0 {
		return 0
	}
	both := 0
	if len(a) == 128 {
		// The encodings' length (pseudonymise.EncodingBytes): as arrays,
		// without bounds checks.
		x, y := (*[128]byte)(a), (*[128]byte)(b)
		for i := 0; i < 128; i += 8 {
			both += bits.OnesCount64(binary.LittleEndian.Uint64(x[i:i+8]) & binary.LittleEndian.Uint64(y[i:i+8]))
		}
	} else {
		for i := 0; i+8 <= len(a); i += 8 {
			both += bits.OnesCount64(binary.LittleEndian.Uint64(a[i:]) & binary.LittleEndian.Uint64(b[i:]))
		}
	}
	d := 2 * float64(both) / float64(na+nb)
	for i, t := range diceLevels {
		if d >= t {
			return i + 1
		}
	}
	return len(diceLevels) + 1
}

// compare returns the comparison vector of two records.
func compare(a, b *prepared) Pattern {
	var l [NumFields]int
	l[FieldSurname] = diceLevel(a.surname, b.surname, a.ns, b.ns)
	if l[FieldSurname] > 1 {
		// One side has two surnames, the other one of them.
		for k := range 2 {
			if a.parts != nil && b.parts == nil {
				if v := diceLevel(a.parts.w[k], b.surname, a.parts.n[k], b.ns); v < l[FieldSurname] {
					l[FieldSurname] = v
				}
			}
			if b.parts != nil && a.parts == nil {
				if v := diceLevel(a.surname, b.parts.w[k], a.ns, b.parts.n[k]); v < l[FieldSurname] {
					l[FieldSurname] = v
				}
			}
		}
	}
	l[FieldGiven] = diceLevel(a.given, b.given, a.ng, b.ng)
	if a.hasBirth && b.hasBirth {
		switch {
		case a.birth[0] == b.birth[0]:
			l[FieldBirth] = 1
		case a.birth[1] == b.birth[1]:
			l[FieldBirth] = 2
		case a.birth[2] == b.birth[2] || a.birth[3] == b.birth[3]:
			l[FieldBirth] = 3
		case a.birth[4] == b.birth[4]:
			l[FieldBirth] = 4
		default:
			l[FieldBirth] = 5
		}
	}
	if a.sex != 0 && b.sex != 0 {
		l[FieldSex] = 1
		if a.sex != b.sex {
			l[FieldSex] = 2
		}
	}
	return pack(l)
}

// Model holds the Fellegi–Sunter parameters: per field and level, m (the
// probability of the level among true matches) and u (among non-matches),
// and the prior probability that two records drawn at random match.
type Model struct {
	M, U [NumFields][MaxLevels]float64
	// Lambda is the prior probability that a random pair of records is a
	// match.
	Lambda float64
	// Iterations is the number of EM iterations run; Candidates the
	// pairs EM ran on, of which an estimated CandidateMatches match.
	Iterations       int
	Candidates       int64
	CandidateMatches float64
}

// Weight is the match weight of a pattern: log2 of the prior odds plus, per
// non-null field, log2(m/u) of its level. A weight w is a match probability
// of 2^w / (1 + 2^w).
func (m *Model) Weight(p Pattern) float64 {
	w := math.Log2(m.Lambda / (1 - m.Lambda))
	for f := 0; f < NumFields; f++ {
		l := p.Level(f)
		if l == 0 {
			continue
		}
		w += math.Log2(m.M[f][l] / m.U[f][l])
	}
	return w
}

// ProbabilityWeight converts a match probability (0 < p < 1) to a weight.
func ProbabilityWeight(p float64) float64 { return math.Log2(p / (1 - p)) }

// em estimates m and the match proportion p from the pattern counts of one
// blocking rule's candidate pairs, with u fixed (from random pairs that the
// rule's condition holds for) and the fields the rule blocks on left out
// (use[f] false): within a block those fields agree by construction and say
// nothing about the match status (Splink's EM training per blocking rule).
// Fields are assumed independent given the match status (Fellegi–Sunter;
// Winkler's EM). Null levels are left out of each field's distribution.
func em(counts *[NumPatterns]float64, u *[NumFields][MaxLevels]float64, use [NumFields]bool, maxIter int) (m [NumFields][MaxLevels]float64, p float64, iter int) {
	for f := 0; f < NumFields; f++ {
		for l := 1; l < Levels[f]; l++ {
			// Geometric start: most matches at the strongest level.
			m[f][l] = math.Pow(0.25, float64(l-1))
		}
		normalise(&m[f], Levels[f])
	}
	p = 0.1
	for iter = 1; iter <= maxIter; iter++ {
		var mm [NumFields][MaxLevels]float64
		var sm, total float64
		for pat := Pattern(0); pat < NumPatterns; pat++ {
			c := counts[pat]
			if c == 0 {
				continue
			}
			lm, lu := p, 1-p
			for f := 0; f < NumFields; f++ {
				if l := pat.Level(f); l != 0 && use[f] {
					lm *= m[f][l]
					lu *= u[f][l]
				}
			}
			g := 0.0
			if lm+lu > 0 {
				g = lm / (lm + lu)
			}
			sm += c * g
			total += c
			for f := 0; f < NumFields; f++ {
				if l := pat.Level(f); l != 0 {
					mm[f][l] += c * g
				}
			}
		}
		if total == 0 {
			return m, 0, iter
		}
		change := math.Abs(sm/total - p)
		p = sm / total
		for f := 0; f < NumFields; f++ {
			next := smooth(mm[f], Levels[f])
			for l := 1; l < Levels[f]; l++ {
				change = math.Max(change, math.Abs(next[l]-m[f][l]))
			}
			m[f] = next
		}
		if change < 1e-7 {
			break
		}
	}
	return m, p, min(iter, maxIter)
}

func sum(v [MaxLevels]float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// smooth normalises level counts to probabilities with a small pseudocount,
// so that no level has probability 0 (which would give an infinite weight).
func smooth(c [MaxLevels]float64, levels int) [MaxLevels]float64 {
	for l := 1; l < levels; l++ {
		c[l] += 0.5
	}
	normalise(&c, levels)
	return c
}

func normalise(v *[MaxLevels]float64, levels int) {
	v[0] = 0
	s := sum(*v)
	for l := 1; l < levels; l++ {
		v[l] /= s
	}
}
