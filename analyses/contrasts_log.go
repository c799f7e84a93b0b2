package analyses

import "fmt"

// contrastLog lists what the contrast table does not publish.
func contrastLog(res *Results) []LogEntry {
	var out []LogEntry
	for _, c := range res.Contrasts {
		keys := fmt.Sprintf("outcome=%s programme=%s reference=%s", c.Outcome, c.Programme, c.Reference)
		switch {
		case c.Suppressed:
			out = append(out, LogEntry{Table: "contrast", Keys: keys, Rule: RuleLinked})
		case c.overlapHidden:
			out = append(out, LogEntry{Table: "contrast", Keys: keys, Column: "overlap", Rule: RulePrimary})
		}
	}
	for _, c := range res.Comparisons {
		if c.OverlapHidden && !c.Suppressed {
			out = append(out, LogEntry{Table: "comparison", Keys: fmt.Sprintf("outcome=%s window_months=%d programme_a=%s programme_b=%s", c.Outcome, c.WindowMonths, c.A, c.B), Column: "overlap", Rule: RulePrimary})
		}
	}
	return out
}
