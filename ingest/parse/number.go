package parse

import (
	"math"
	"strconv"
	"strings"
)

// ParseNumber parses a number written with a decimal comma or a decimal
// point; see the package documentation for the rules on thousands
// separators. Errors wrap ErrEmpty, ErrBadNumber or ErrAmbiguousNumber and
// never contain s.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrEmpty
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	if s == "" {
		return 0, ErrBadNumber
	}
	// Exponent form, only with a decimal point: 1.5e3, 1e-06.
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		if mant == "" || exp == "" || !allDigits(exp) || strings.ContainsAny(mant, ", ") ||
			strings.Count(mant, ".") > 1 || !allDigits(strings.Replace(mant, ".", "", 1)) || mant == "." {
			return 0, ErrBadNumber
		}
		return finish(s, neg)
	}
	// Spaces (normal, no-break, narrow no-break) as thousands separators.
	if strings.ContainsAny(s, " \u00a0\u202f") {
		r := strings.NewReplacer("\u00a0", " ", "\u202f", " ")
		s = r.Replace(s)
		groups := strings.Split(s, " ")
		intEnd := len(groups) - 1
		// The last group may carry the decimal part.
		last := groups[intEnd]
		dec := ""
		if i := strings.IndexAny(last, ".,"); i >= 0 {
			last, dec = last[:i], last[i+1:]
			if dec == "" || !allDigits(dec) {
				return 0, ErrBadNumber
			}
		}
		groups[intEnd] = last
		if !validGroups(groups) {
			return 0, ErrBadNumber
		}
		n := strings.Join(groups, "")
		if dec != "" {
			n += "." + dec
		}
		return finish(n, neg)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return 0, ErrBadNumber
		}
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots == 0 && commas == 0:
		return finish(s, neg)
	case dots > 0 && commas > 0:
		// The last separator is the decimal one; the other must group
		// thousands and occur only before it.
		last := strings.LastIndexAny(s, ".,")
		decSep := s[last]
		thouSep := byte('.')
		if decSep == '.' {
			thouSep = ','
		}
		intPart, dec := s[:last], s[last+1:]
		if strings.IndexByte(intPart, decSep) >= 0 || dec == "" || !allDigits(dec) {
			return 0, ErrBadNumber
		}
		groups := strings.Split(intPart, string(thouSep))
		if !validGroups(groups) {
			return 0, ErrBadNumber
		}
		return finish(strings.Join(groups, "")+"."+dec, neg)
	default:
		sep := byte('.')
		if commas > 0 {
			sep = ','
		}
		parts := strings.Split(s, string(sep))
		if len(parts) > 2 {
			// Only thousands separators: 1.234.567.
			if !validGroups(parts) {
				return 0, ErrBadNumber
			}
			return finish(strings.Join(parts, ""), neg)
		}
		intPart, dec := parts[0], parts[1]
		if dec == "" || !allDigits(dec) {
			return 0, ErrBadNumber
		}
		if len(dec) == 3 && len(intPart) >= 1 && len(intPart) <= 3 && intPart[0] != '0' {
			return 0, ErrAmbiguousNumber
		}
		if intPart == "" {
			intPart = "0"
		}
		return finish(intPart+"."+dec, neg)
	}
}

// validGroups: a first group of 1-3 digits not starting with 0 (unless it is
// the only digit), then groups of exactly three digits.
func validGroups(groups []string) bool {
	if len(groups) < 2 {
		return len(groups) == 1 && groups[0] != "" && allDigits(groups[0])
	}
	g0 := groups[0]
	if len(g0) < 1 || len(g0) > 3 || !allDigits(g0) || g0[0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

func finish(s string, neg bool) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, ErrBadNumber
	}
	if neg {
		f = -f
	}
	return f, nil
}
