package rref

import (
	"fmt"
	"math"
	"strconv"
)

// Number is a JSON number that also accepts null (R's NA, decoded as NaN)
// and the strings "Inf" and "-Inf".
type Number float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	switch s := string(b); s {
	case "null":
		*n = Number(math.NaN())
	case `"Inf"`:
		*n = Number(math.Inf(1))
	case `"-Inf"`:
		*n = Number(math.Inf(-1))
	default:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("reference number %s: %w", s, err)
		}
		*n = Number(f)
	}
	return nil
}
