// Package synth writes synthetic partner exports with a known truth: the
// demo data in testdata/demo, the test oracle of the pipeline, and data of
// any size for scale runs. It sits beside the flow, not in it: it writes
// the files that ingest reads, and imports no stage (only study and the
// shared internal/bsn and internal/names, which pseudonymise uses too).
//
//	synth ──► exports + study.yaml + truth.json ──► ingest ──► … ──► analyses
//
// [Write] writes study.yaml (the demo study definition), eight exports
// (Nazorg Noord: Windows-1252, ";", dd-mm-yyyy, CRLF; Opvang Stad: ",",
// yyyy-mm-dd; Opvang Regio: tab, d-m-yyyy, about 5% of rows without BSN;
// Justitie: "|", UTF-8 with byte-order mark, yyyy-mm-dd, some offence
// dates with a time of day, one row per offence of a criminal case (see
// "Criminal cases" below); Resourcegroep: ",", dd/mm/yyyy, no BSN column; Krachtgericht
// Werken: life-domain scores; Gezinnen: household links and FAM
// participants, all ",", yyyy-mm-dd) and truth.json.
//
// # Invariants
//
//   - Deterministic: the same [Config] gives the same bytes (PCG from
//     math/rand/v2, seeded from Config.Seed; no map iteration, no clock).
//   - Every person has one BSN ([bsn.Synthetic], passing the
//     elfproef), surname, birth date and sex, written identically by every
//     partner. No two persons share a fallback key (normalised surname,
//     birth date, sex), so fallback linkage is exact. The numbers and names
//     are synthetic; any likeness to a real person is chance.
//   - No valid row holds a date after the cut-off (2025-12-31), except a
//     justice row's registration date (a late registration, never after
//     the export's extraction date 2026-09-30): trajectories still running
//     then have an empty end date and destination; events after it are
//     not written.
//   - Bad rows (see truth.json "quarantine") each break exactly one rule
//     and are about persons with no other row, so quarantining them changes
//     no outcome. Their counts do not scale.
//   - Memory is O(persons) (one 8-byte fallback-key hash per person); each
//     person's rows are written to buffered writers as soon as the person
//     is generated.
//
// # Outcome definitions (as computed for truth.json)
//
// eligible and events are computed from the generator's own person-level
// records, not by re-reading the files; quarantined rows are excluded. The
// SQL analyses implement the same definitions:
//
//   - Index trajectory: per person and programme, the first trajectory by
//     reference date. Reference date: recidivism (AMB, RES): the release
//     date; shelter_return for shelter programmes (OPVS, OPVR): the end
//     date of the first stay in that programme whose exit destination is
//     independent_housing; shelter_return for PREV: the programme start;
//     shelter_inflow (RG): the programme start.
//   - Window end = reference date + W months, clamping to the month's last
//     day (2023-01-31 + 1 month = 2023-02-28; DuckDB's date + INTERVAL n
//     MONTH). A person is eligible for window W only if window end <=
//     cut-off.
//   - Event: recidivism: a counting criminal case whose date (the
//     earliest offence date of its counting rows) lies in (ref, window
//     end]; shelter_return: a shelter stay (OPVS or OPVR, any partner)
//     starting in (ref + 14 days, window end]; shelter_inflow: a shelter
//     stay starting in (ref, window end].
//   - Windows: recidivism 12 and 24 months; shelter_return 6, 12, 24;
//     shelter_inflow 12.
//
// # How the truth is drawn
//
// true_rate is the probability of an event for every eligible person, so
// events is Binomial(eligible, true_rate) (except for the RG pilot):
//
//   - Recidivism: the first offence after release falls in (0, 12] months
//     with the 12-month rate, in (12, 24] with the 24-month rate minus the
//     12-month rate, else later (60%, up to 60 months) or never; a uniform
//     day inside the interval. Earlier offences predate the programme
//     start; later ones follow the first.
//   - Shelter return: each person has at most one index stay (only stays
//     at the person's home shelter may end in independent housing, and
//     none before the index stay). The first later stay falls in (exit+14
//     days, 6 months], (6, 12], (12, 24] months or later/never with the
//     rates' differences. Transfers (a stay starting within 14 days of the
//     exit, for 8% of index persons) end before the drawn return; as HUD
//     counts them (System Performance Measure 2: a shelter entry is a
//     return on any day), they are returns, so true_rate is 0.08 + 0.92 ×
//     the drawn rate (for PREV 0.08 × 13/14 of them, as its reference date
//     is the day after the exit). At Opvang Stad 30%
//     of index persons start PREV the day after their exit; they draw with
//     the PREV rates, in intervals valid for both reference dates (exit and
//     PREV start), and the other OPVS persons with rates chosen so that the
//     mixture gives the OPVS rates.
//   - Shelter inflow: exactly round(rate × participants) RG participants,
//     a simple random sample, have a first shelter stay within 12 months
//     (at demo size 2 of 40), so events is fixed rather than binomial; such
//     stays never end in independent housing.
//
// # Criminal cases (justice.go)
//
// Each offence the rates above draw is the first offence of a criminal
// case with a counting decision (guilty verdict, penal order, settlement,
// policy dismissal, or not yet decided); so the case structure changes no
// rate. The cases are drawn from a stream of their own (g.rj), so the other
// exports are as they were without them:
//
//   - a fifth of the cases have one or two further offences dated 0-20
//     days after the first (a case of several rows), of which 15% are
//     acquitted while the case counts (a partial acquittal: the case's
//     tier and type are those of its counting rows);
//   - the offence is an article of law (feit) of the drawn category, the
//     study file classifying it by type and tier (statutory maximum); 45%
//     of a person's offences repeat the person's first one, so specific
//     recidivism (a new case of the index case's type) is more than chance;
//   - a case is registered 3-60 days after its last offence (80%), 61-240
//     days (17%) or 241-540 days (3%), never after the extraction date;
//     those registered after the cut-off are late registrations;
//   - 30% of the aftercare clients have a case that does not count
//     (acquittal, technical dismissal, other technical decision, or joined
//     to another case), dated from a year before to two years after the
//     release;
//   - half of the counting cases registered after 30 June 2025 are not
//     yet decided (nog niet afgedaan), which counts.
//
// With Config.Events set, the justice-only persons' offences are cases of
// one row each and they have no other cases, so the row count is exact.
//
// # Life domains and families (families.go)
//
// These draws come from a second PCG stream, and the household members are
// made after every other person, so adding them changed none of the other
// exports or rates.
//
//   - Assessments: for the first trajectory in AMB, RES, PREV and FAM, an
//     intake on the start date (all 11 domains) and, for 80%, a follow-up
//     6-12 months later (30% of those also one in between), if not after
//     the cut-off. The change last − first is drawn per domain from {-1, 0,
//     +1, +2} with a mean of +0.6 for housing, +0.3 for finances, +0.5 for
//     family in FAM, 0 otherwise (true_mean_change), and the first score
//     uniformly from the values that keep both scores in 1-5, so the
//     expected change is exactly the true mean. truth.json life_domains
//     holds the realised n, means and improved/unchanged/worse of persons
//     with at least two dates, per programme (the export's traject column)
//     and domain.
//   - Families: 15 households (scaled; none when Config.Persons is set),
//     each of an AMB detainee drawn at random from those whose 24-month
//     window after the first release closed without a counting case, so the
//     programme's detainees have a true recidivism of 0 within 12 and 24
//     months. Each household has 1-3 members (partner, child, parent) who
//     start FAM within half a year of the release and are assessed; a third
//     of the links name the detainee by surname, birth date and sex only.
//     truth.json families holds, per window, the 15 detainees and all other
//     AMB and RES participants (their eligible and events from the rates).
package synth
