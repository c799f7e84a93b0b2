// Package link is probabilistic record linkage on keyed encodings: the
// Fellegi–Sunter model, with m estimated by EM without training labels and
// u from random pairs, as Splink does it, on the keyed Bloom-filter name
// encodings and keyed birth-date tokens that pseudonymise computes (as
// anonlink compares its CLKs, but with a model instead of one fixed Dice
// threshold). It sees no name, no date and no key: a Record holds only
// encodings, the birth year, sex and where the record came from. It sits
// between pseudonymise and the store, imports nothing of the module, and
// runs on the values the store hands it.
//
// # Comparison levels
//
// Per field, level 0 is null (either side missing; weighs nothing):
//
//   - surname, given name: Dice of the two encodings ≥ 0.90, ≥ 0.84,
//     ≥ 0.77, else (see diceLevels for what each catches); a surname of
//     two parts joined by a hyphen is also compared by each part;
//   - birth date: exact; day and month swapped; year and month, or year and
//     day, agree; month and day agree (a mistyped year); else;
//   - sex: agree, disagree.
//
// # Blocking
//
// Only pairs that share a blocking key are compared, so the work grows
// with the block sizes, not with the square of the records: the birth date
// with day and month unordered (one rule), 12 bands of 20 sampled bits of
// the surname encoding with the birth year, and 4 such bands with month and
// day (for a mistyped year). A pair is compared under the first rule it
// shares; a block of more than Config.MaxBlock records is skipped and
// counted.
//
// # Estimation
//
// u per field and level comes from 2,000,000 random pairs (for the birth
// date within the surname rules, random pairs of one birth year). m comes
// from two EM sessions, each on one kind of rule's pairs with the fields
// that rule blocks on left out (within the block they agree by
// construction): the date rule's pairs give m of the names and sex, the
// surname rules' pairs m of the birth date. The month-and-day level, which
// no session can see, gets half the year-and-one-part level's m. The prior
// λ is the matches EM finds in the date blocks, over the share of matches
// whose dates agree up to a swap, over all pairs.
//
// A pair's match weight is log2(λ/(1−λ)) + Σ log2(m/u) over its non-null
// fields, plus, when the surnames agree (level 1), a term-frequency
// adjustment log2(u/f) of the more frequent of the two surnames, with f
// estimated from namesakes in the same birth year (Splink's term-frequency
// adjustment; the encodings cannot be counted directly, by design).
//
// # Clusters
//
// Pairs from Config.Upper on are merged strongest first (union–find), but
// only when the two clusters hold between them at most one record with a
// national ID (Record.Anchor), at most one record of each one-to-one
// source, no pair decided apart, no pair more than 10 bits below
// Config.Lower, and a mean weight over all their cross pairs of at least
// Lower: so A–B and B–C never pull in a C that contradicts A (no
// chaining). Pairs between Lower and Upper whose records end in different
// clusters are Result.Review, for clerical review; a decision on a pair
// (Config.Decisions) overrides the model.
package link
