package reports

import "regexp"

// skipReasons are the reasons analyses gives, in English, for a model, test
// or rate it did not compute (the Skipped fields), each with the text that
// says it in the report's language (key skip_*, the numbers as arguments).
// A reason not listed here is shown as analyses gave it.
var skipReasons = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^fewer than (\d+) persons with the event per model parameter \((\d+) with, (\d+) parameters\)$`), "skip_events_per_parameter"},
	{regexp.MustCompile(`^fewer than (\d+) persons with the event$`), "skip_few_events"},
	{regexp.MustCompile(`^a group has fewer than (\d+) persons or events$`), "skip_small_group"},
	{regexp.MustCompile(`^fewer than (\d+) residual degrees of freedom$`), "skip_residual_df"},
	{regexp.MustCompile(`^every covariate is constant$`), "skip_constant"},
	{regexp.MustCompile(`^a band of a covariate has no person with the event \(its hazard ratio would be infinite\)$`), "skip_empty_band"},
	{regexp.MustCompile(`^fewer than (\d+) persons with the outcome, or without it$`), "skip_few_both"},
	{regexp.MustCompile(`^fewer than (\d+) persons with the outcome, and without it, per model parameter \((\d+) with, (\d+) without, (\d+) parameters\)$`), "skip_both_per_parameter"},
	{regexp.MustCompile(`^both groups hold the same subjects$`), "skip_same_subjects"},
	{regexp.MustCompile(`^the model did not converge$`), "skip_no_convergence"},
	{regexp.MustCompile(`^the model cannot be estimated: (.+)$`), "skip_model_error"},
	{regexp.MustCompile(`^the adjusted rate cannot be computed: (.+)$`), "skip_adjusted_error"},
	{regexp.MustCompile(`^the robust variance cannot be computed: (.+)$`), "skip_robust_error"},
}

// skipped says why something was not computed (analyses' Skipped reason)
// in the report's language.
func (b builder) skipped(reason string) string {
	for _, r := range skipReasons {
		if m := r.re.FindStringSubmatch(reason); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return b.t.f(r.key, args...)
		}
	}
	return reason
}
