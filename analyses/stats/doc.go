// Package stats holds the statistics that SQL does badly: confidence intervals
// for proportions, Kaplan–Meier survival curves, the log-rank test, two-group
// comparisons of proportions, Cox proportional hazards, the paired t-test and
// the logistic-regression adjusted rate of the WODC recidivism monitor.
//
// It sits inside the analyses stage: outcome queries in DuckDB produce counts,
// follow-up times and covariates, and the functions here turn them into
// estimates with honest uncertainty for the reports. The package is pure
// computation: it does no I/O, keeps no package-level mutable state and
// depends only on the standard library and gonum.
//
// # What is here
//
//   - single proportions: [Wilson], [ClopperPearson], the one-sided exact
//     bounds [ExactUpper] and [ExactLower] (for 0 or n events), and
//     [ZeroEventChance], what a group of n can detect;
//   - rates over person-time: [PoissonRate] (exact, Garwood);
//   - two proportions: [RiskDifference] (Newcombe), [RelativeRisk] (Katz),
//     [FisherExact];
//   - survival: [KaplanMeier] with [KaplanMeierCurve.At] and
//     [KaplanMeierCurve.Median], [LogRank], [CoxPH];
//   - before/after scores: [PairedT], [WilcoxonSignedRank] and the
//     Jacobson–Truax reliable-change criterion [JacobsonTruax];
//   - case-mix adjustment: [Logistic] and [LogisticFit.AdjustedRate].
//
// # Conventions
//
//   - Follow-up times are non-negative durations measured from each subject's
//     reference date (release date, shelter exit, programme start) in any
//     unit; results come back in the same unit. A subject whose outcome was not
//     seen by the data cut-off is censored at the cut-off (Event false).
//   - A censored subject whose time equals an event time is counted as still
//     at risk at that event time (the usual convention, and R's).
//   - conf is a two-sided confidence level in (0, 1), for example 0.95.
//   - Quantities that are not defined for the data at hand (a proportion of
//     zero people, a confidence limit of a survival probability of zero) are
//     NaN, never a made-up number; the doc comment of each field says when.
//   - Invalid input that comes from data (too few subjects, a constant
//     covariate, no events) is reported as an error. Arguments that only a
//     programming mistake can produce (negative counts, events > n, conf
//     outside (0, 1)) make the proportion functions panic.
//
// # Reference implementation
//
// Every function is tested against R 4.2 with the survival package 3.5 on
// seeded datasets (testdata/make_reference.R writes testdata/reference.json):
// testdata/make_exact.R writes testdata/exact.json for the small-group
// statistics of issue 15 (one-sided bounds, zero-event chance, Poisson,
// signed rank, reliable change);
// closed forms agree to 1e-9 relative, iterative and numerical results
// (quantiles, p-values, Cox and logistic fits) to 1e-6 relative. The doc
// comment of each function names the R call it reproduces.
package stats
