package reports

import (
	"math"
	"time"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// fixtureResults is a hand-made, fully filled Results: every section of the
// report appears, with suppressed cells, a small-group comparison, a
// suppressed and a truncated survival curve, and an empty window. Numbers
// are invented but consistent (rate = events / n).
func fixtureResults() *analyses.Results {
	st := &study.Study{
		Name: "Fixture-studie", Demo: true, MinCell: 10,
		Cutoff: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
		Outcomes: study.Outcomes{RecidivismWindows: []int{12, 24}, RecidivismEvents: []string{"offence"},
			ShelterReturnWindows: []int{6, 12}, TransferDays: 14, InflowWindows: []int{12}},
		Programmes: []study.Programme{
			{Code: "AMB", Name: "Ambulante nazorg", Outcome: study.OutcomeRecidivism},
			{Code: "RES", Name: "Nazorghuis", Outcome: study.OutcomeRecidivism},
			{Code: "OPV", Name: "Opvang Stad", Outcome: study.OutcomeShelterReturn, Shelter: true},
			{Code: "PREV", Name: "Terugvalpreventie", Outcome: study.OutcomeShelterReturn},
			{Code: "RG", Name: "Resourcegroep", Outcome: study.OutcomeShelterInflow},
			{Code: "FAM", Name: "Gezinsondersteuning", Outcome: study.OutcomeFamily},
		},
	}
	rate := func(p string, o study.OutcomeKind, w, cohort, n, e int, suppressed bool) analyses.Rate {
		r := analyses.Rate{Programme: p, Outcome: o, WindowMonths: w, Cohort: cohort, N: n, Events: e, Suppressed: suppressed}
		if suppressed {
			// As analyses marks them: "<10" below the threshold, "×"
			// otherwise, a published zero.
			mark := func(k int) analyses.Mark {
				switch {
				case k == 0:
					return analyses.MarkZero
				case k < 10:
					return analyses.MarkSmall
				}
				return analyses.MarkHidden
			}
			r.NMark, r.EventsMark = mark(n), mark(e)
		}
		if n > 0 {
			r.Rate = float64(e) / float64(n)
			r.CI = stats.Wilson(e, n, 0.95)
			r.Exact = stats.ClopperPearson(e, n, 0.95)
			r.Bound = math.NaN()
			switch e {
			case 0:
				r.Bound = stats.ExactUpper(0, n, 0.95)
			case n:
				r.Bound = stats.ExactLower(n, n, 0.95)
			}
		}
		return r
	}
	const rec, ret, inf = study.OutcomeRecidivism, study.OutcomeShelterReturn, study.OutcomeShelterInflow
	res := &analyses.Results{
		Study: st,
		Run: analyses.Provenance{RunID: 1, Started: time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), ToolVersion: "0.0.0-test",
			StudySHA256: "5f2b0c0e3a1d4b6c8e9f00112233445566778899aabbccddeeff001122334455", KeyFingerprint: "kf:0123456789abcdef"},
		Rates: []analyses.Rate{
			rate("AMB", rec, 12, 0, 120, 31, false),
			rate("AMB", rec, 12, 2022, 40, 12, false),
			rate("AMB", rec, 12, 2023, 45, 11, false),
			rate("AMB", rec, 12, 2024, 35, 8, true),
			rate("AMB", rec, 24, 0, 100, 38, false),
			rate("AMB", rec, 24, 2021, 8, 2, true),
			rate("AMB", rec, 24, 2022, 32, 14, false),
			rate("AMB", rec, 24, 2023, 60, 22, false),
			rate("RES", rec, 12, 0, 60, 14, false),
			rate("RES", rec, 24, 0, 8, 3, true),
			rate("OPV", ret, 6, 0, 200, 21, false),
			rate("OPV", ret, 12, 0, 150, 30, false),
			rate("PREV", ret, 6, 0, 9, 0, true),
			rate("PREV", ret, 12, 0, 0, 0, false),
			rate("RG", inf, 12, 0, 19, 0, false),
		},
		Breakdowns: []analyses.Rate{
			breakdown(rate("AMB", rec, 24, 0, 60, 25, false), analyses.BreakdownSex, "m"),
			breakdown(rate("AMB", rec, 24, 0, 40, 13, false), analyses.BreakdownSex, "v"),
			breakdown(rate("AMB", rec, 24, 0, 55, 20, false), analyses.BreakdownAgeBand, "25-34"),
			breakdown(rate("AMB", rec, 24, 0, 6, 2, true), analyses.BreakdownAgeBand, "<25"),
			breakdown(rate("AMB", rec, 24, 0, 39, 16, true), analyses.BreakdownAgeBand, "35-44"),
		},
		Files: []analyses.FileQuality{
			{Partner: "Nazorg Noord", File: "nazorg/trajecten.csv", Kind: "trajectories", SHA256: "aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233",
				Read: 1200, Loaded: 1195, Quarantined: 5, LinkedBSN: 1100, LinkedFallback: 90, LinkedSupplier: 5,
				Rules: []analyses.RuleCount{{Rule: "date_invalid", Count: 3}, {Rule: "missing_required", Count: 2}}},
			{Partner: "Justitie", File: "justitie/registraties.csv", Kind: "events", SHA256: "0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff",
				Read: 5000, Loaded: 5000, LinkedBSN: 5000},
		},
		Survival: []analyses.SurvivalCurve{
			{Programme: "AMB", Outcome: rec, N: 150, Events: 45, Median: est(420, 380, math.NaN()), Steps: kmSteps(150, []float64{30, 90, 200, 400, 600}, []int{10, 12, 9, 8, 6}),
				AtRisk: []analyses.AtRiskRow{{Month: 0, AtRisk: 150}, {Month: 6, AtRisk: 120, Events: 10, Censored: 20},
					{Month: 12, AtRisk: 90, Events: 22, Censored: 38}, {Month: 18, AtRisk: 60, Events: 39, Censored: 51},
					{Month: 24, AtRisk: 5, Suppressed: true}}},
			{Programme: "RES", Outcome: rec, N: 70, Events: 15, Steps: kmSteps(70, []float64{45, 150, 300}, []int{5, 6, 4}), Truncated: true,
				AtRisk: []analyses.AtRiskRow{{Month: 0, AtRisk: 70}, {Month: 6, AtRisk: 50, Events: 11, Censored: 9},
					{Month: 12, AtRisk: 30, Events: 15, Censored: 25}, {Month: 18, AtRisk: 4, Suppressed: true}}},
			{Programme: "PREV", Outcome: ret, N: 9, Suppressed: true},
			{Programme: "RG", Outcome: inf, N: 19, Suppressed: true},
			{Programme: "OPV", Outcome: ret, N: 200, Events: 30, Steps: kmSteps(200, []float64{20, 100, 250}, []int{10, 11, 9}),
				AtRisk: []analyses.AtRiskRow{{Month: 0, AtRisk: 200}, {Month: 6, AtRisk: 160, Events: 21, Censored: 19},
					{Month: 12, AtRisk: 120, Events: 30, Censored: 50}}},
		},
		LogRank: []analyses.LogRankTest{{Outcome: rec, Programmes: []string{"AMB", "RES"}, ChiSq: 1.234567, DF: 1, P: 0.2665},
			{Outcome: ret, Programmes: []string{"OPV", "PREV"}, Skipped: "only one curve may be published"}},
		Comparisons: []analyses.Comparison{
			{Outcome: rec, WindowMonths: 12, A: "AMB", B: "RES", RiskDifference: est(0.025, -0.11, 0.15), RelativeRisk: est(1.11, 0.64, 1.92), FisherP: 0.72},
			{Outcome: rec, WindowMonths: 24, A: "AMB", B: "RES", Suppressed: true, SmallGroupWarning: true},
			{Outcome: ret, WindowMonths: 6, A: "OPV", B: "PREV", RiskDifference: est(0.105, -0.21, 0.16), RelativeRisk: est(math.Inf(1), 0, math.Inf(1)),
				FisherP: 0.61, SmallGroupWarning: true},
		},
		Adjusted: []analyses.AdjustedRate{
			{Programme: "AMB", Outcome: rec, WindowMonths: 24, N: 100, Observed: 0.38, Expected: 0.35, Overall: 0.36, Adjusted: 0.39,
				OE: stats.PoissonRate(38, 35, 0.95)},
			{Programme: "RES", Outcome: rec, WindowMonths: 24, N: 8, Suppressed: true},
			{Programme: "RG", Outcome: inf, WindowMonths: 12, N: 19, Skipped: "fewer than 10 persons with the event"},
		},
		Cox: []analyses.CoxModel{{Outcome: rec, Reference: "AMB", N: 220, Events: 60, Dropped: []string{"sex"}, Terms: []analyses.HazardRatio{
			{Term: "programme:RES", Estimate: est(0.81, 0.45, 1.46), P: 0.48},
			{Term: "programme:XYZ", Suppressed: true},
			{Term: "age", Estimate: est(0.97, 0.95, 0.99), P: 0.0004},
			{Term: "sex:v", Estimate: est(0.66, 0.35, 1.25), P: 0.2},
			{Term: "prior_offences", Estimate: est(1.21, 1.1, 1.33), P: 0.00001},
		}}},
		LifeDomains: []analyses.DomainChange{
			{Programme: "AMB", Domain: "housing", N: 80, MeanFirst: 2.1, MeanLast: 3.05, MeanChange: est(0.95, 0.7, 1.2), Improved: 50, Unchanged: 22, Worse: 8,
				Detail: analyses.DomainDetail{NIntake: 110, MeanIntake: 2.2, MeanIntakeLost: 2.46, AtFloor: 20, AtCeiling: 10, CouldImprove: 75, CouldWorsen: 64,
					ReliableChange: 1.52, ReliablyImproved: 31, ReliablyWorse: 0, WilcoxonP: 0.00002, Clusters: 71, Clustered: stats.Interval{Lower: 0.66, Upper: 1.24}}},
			{Programme: "AMB", Domain: "finances", N: 80, MeanFirst: 2.4, MeanLast: 2.9, MeanChange: est(0.5, 0.3, 0.7), Improved: 40, Unchanged: 30, Worse: 10},
			{Programme: "AMB", Domain: "meaning", N: 6, Suppressed: true},
			{Programme: "RG", Domain: "social_network", N: 19, MeanFirst: 3.1, MeanLast: 3.4, MeanChange: est(0.3, -0.1, 0.7), Improved: 10, Unchanged: 9, Worse: 0,
				Detail: analyses.DomainDetail{NIntake: 25, MeanIntake: 3.0, MeanIntakeLost: 2.7, AtFloor: 0, AtCeiling: 4, CouldImprove: 16, CouldWorsen: 19,
					ReliableChange: 1.9, ReliablyImproved: 2, ReliablyWorse: 0, WilcoxonP: 0.081, Clusters: 19, Clustered: stats.Interval{Lower: math.NaN(), Upper: math.NaN()}, Suppressed: true}},
			{Programme: "RG", Domain: "health", N: 19, MeanFirst: 2.9, MeanLast: 3.0, MeanChange: est(0.1, -0.2, 0.4), Improved: 4, Unchanged: 13, Worse: 2, CountsSuppressed: true},
		},
		PersonTime: []analyses.PersonTimeRate{
			{Programme: "AMB", Outcome: rec, N: 150, Events: 50, PersonYears: 200.5, Rate: stats.PoissonRate(50, 200.5, 0.95)},
			{Programme: "RES", Outcome: rec, N: 8, Suppressed: true},
			{Programme: "RG", Outcome: inf, N: 19, Events: 0, PersonYears: 12.25, Rate: stats.PoissonRate(0, 12.25, 0.95)},
		},
		Families: []analyses.FamilyOutcome{
			{Programme: "FAM", WindowMonths: 12, HouseholdInProgramme: true, Rate: rate("FAM", rec, 12, 0, 15, 4, true)},
			{Programme: "FAM", WindowMonths: 12, HouseholdInProgramme: false, Rate: rate("FAM", rec, 12, 0, 300, 90, false)},
			{Programme: "FAM", WindowMonths: 24, HouseholdInProgramme: true, Rate: rate("FAM", rec, 24, 0, 40, 12, false)},
			{Programme: "FAM", WindowMonths: 24, HouseholdInProgramme: false, Rate: rate("FAM", rec, 24, 0, 250, 100, false)},
		},
	}
	return res
}

func breakdown(r analyses.Rate, dim, group string) analyses.Rate {
	r.Breakdown, r.Group = dim, group
	return r
}

func est(v, lo, hi float64) stats.Estimate {
	return stats.Estimate{Value: v, Interval: stats.Interval{Lower: lo, Upper: hi}}
}

// kmSteps builds Kaplan–Meier steps with Greenwood log-transformed CIs from
// event times (days) and event counts, assuming (for a fixture) ten
// censorings between events.
func kmSteps(n int, times []float64, events []int) []stats.KMStep {
	var steps []stats.KMStep
	s, v, atRisk := 1.0, 0.0, n
	for i, t := range times {
		d := events[i]
		s *= 1 - float64(d)/float64(atRisk)
		v += float64(d) / float64(atRisk*(atRisk-d))
		se := math.Sqrt(v)
		steps = append(steps, stats.KMStep{Time: t, AtRisk: atRisk, Events: d, Survival: s, StdErrLog: se, StdErr: s * se,
			Interval: stats.Interval{Lower: s * math.Exp(-1.96*se), Upper: math.Min(1, s*math.Exp(1.96*se))}})
		atRisk -= d + 10
	}
	return steps
}
