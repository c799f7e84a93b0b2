// Package names holds the normalisation of surnames for fallback keys: the
// one rule by which the ways partners write one surname ("van der Berg",
// "Berg, van der", "v.d. Berg") give the same bytes.
//
// Place in the flow: a small shared package to the left of every stage. Its
// users are pseudonymise, whose fallback key (surname + birth date + sex)
// and [pseudonymise.NormaliseSurname] are built on it, and ingest/synth,
// which uses it to make sure no two synthetic persons share a fallback key
// and to write e-mail addresses, without importing a stage to its right.
// The rule is documented for privacy officers in package pseudonymise; this
// package is its implementation.
//
// # Invariants
//
//   - [NormaliseSurname] is idempotent, and its output is lower case,
//     without combining marks, with single spaces between words.
//   - [AppendNormalisedSurname] appends exactly NormaliseSurname(s), and
//     does not allocate for ASCII text (beyond growing dst).
//   - No state; standard library and golang.org/x/text only.
//
// [pseudonymise.NormaliseSurname]: https://pkg.go.dev/github.com/outcomes-research/outcomes/pseudonymise#NormaliseSurname
package names
