package study

import (
	"fmt"
	"math"
	"slices"
)

// SurvivalTimes is the study file's survival_times block: the times at which
// the report gives each survival curve's value, its standard error and its
// confidence intervals (log and log-log) and the number at risk.
type SurvivalTimes struct {
	// Unit is "months" (default; a month is 365.25/12 days, the time axis
	// of the at-risk table) or "days".
	Unit string
	// Times are the chosen times in Unit, increasing; default 12 and 24
	// months.
	Times []int
}

// Days returns the chosen times in days on the curves' time axis (months
// rounded to whole days as the at-risk table does).
func (t SurvivalTimes) Days() []float64 {
	out := make([]float64, len(t.Times))
	for i, v := range t.Times {
		if t.Unit == "days" {
			out[i] = float64(v)
		} else {
			out[i] = math.Round(float64(v) * 365.25 / 12)
		}
	}
	return out
}

type rawSurvivalTimes struct {
	Unit  string `yaml:"unit"`
	Times []int  `yaml:"times"`
}

func (c *checker) survivalTimes(raw rawSurvivalTimes) SurvivalTimes {
	t := SurvivalTimes{Unit: "months", Times: []int{12, 24}}
	switch raw.Unit {
	case "", "months":
	case "days":
		t.Unit = "days"
	default:
		c.fail("survival_times.unit", "the unit must be months or days, not %s", quoted(raw.Unit))
	}
	if len(raw.Times) > 0 {
		for i, v := range raw.Times {
			if v <= 0 {
				c.fail(fmt.Sprintf("survival_times.times[%d]", i), "a time must be positive")
			}
		}
		if !slices.IsSorted(raw.Times) || len(slices.Compact(slices.Clone(raw.Times))) != len(raw.Times) {
			c.fail("survival_times.times", "list the times in increasing order, each once")
		}
		t.Times = raw.Times
	}
	return t
}
