// Package bsn holds the arithmetic of the Dutch national ID, the
// burgerservicenummer (BSN): the elfproef (11-test) that a valid number
// passes, and synthetic numbers that pass it for test data.
//
// Place in the flow: a small shared package to the left of every stage. It
// is imported by pseudonymise, which decides whether the BSN column of an
// export holds a usable identifier, and by ingest/synth, which writes
// synthetic exports for ingest to read, so that the generator does not
// depend on a stage to its right. Reading a BSN as partners write it
// (separators, a lost leading zero) and the reasons a value is rejected
// stay in pseudonymise ([pseudonymise.NormaliseBSN]); this package only
// sees 9 digits.
//
// # Invariants
//
//   - Standard library only; no state.
//   - [Valid] does not allocate, and no function puts the digits it was
//     given into a panic or error message.
//   - [Synthetic] is deterministic: the demo data in testdata/demo depends
//     on its exact output, so changing it changes those files.
//
// [pseudonymise.NormaliseBSN]: https://pkg.go.dev/github.com/outcomes-research/outcomes/pseudonymise#NormaliseBSN
package bsn
