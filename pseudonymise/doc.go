// Package pseudonymise turns direct identifiers into keyed pseudonyms. It is
// the second stage of the flow:
//
//	ingest ──► pseudonymise ──► load (DuckDB) ──► analyses ──► reports
//
// Ingest produces rows that still hold a national ID (BSN), a surname and a
// full birth date. This package holds the primitives that replace them: the
// secret study [Key], the [Hasher] that computes HMAC-SHA256 pseudonyms, and
// the normalisers that make the same person produce the same bytes in every
// partner's export ([NormaliseBSN], [NormaliseSurname], [FallbackKey]).
// It imports no other stage.
//
// # Invariants
//
//   - A pseudonym is the first 16 bytes of HMAC-SHA256(study key, domain
//     prefix || normalised identifier), written as 32 lower-case hex digits.
//     Without the key it cannot be recomputed, so a pseudonym of a 9-digit BSN
//     cannot be reversed by trying all 10^9 numbers, as a plain hash could.
//   - The same key and the same normalised identifier always give the same
//     pseudonym, in every run and for every partner: linking across partners
//     depends on it. A different key gives unrelated pseudonyms.
//   - A BSN pseudonym and a fallback pseudonym can never coincide: they are
//     computed over different domain prefixes ([DomainBSN], [DomainFallback]).
//   - No error, status or String method in this package contains an
//     identifier or the key. A [Key] prints as its one-way fingerprint, which
//     the run records so that two runs can be checked to have used the same
//     key without storing it.
//   - The key is supplied at run time (a file with mode 0600, or the
//     environment variable named by [KeyEnvVar]) and is never stored.
//
// # Linkage quality
//
// A BSN that passes the elfproef links a person reliably. When a partner has
// no BSN, a fallback key of normalised surname, birth date and sex is used;
// it is weaker (spelling differences split a person, two people may share a
// key), and the person table records which kind of key a pseudonym came from.
//
// # Concurrency
//
// [Key] values are immutable and safe to share. A [Hasher] reuses one HMAC
// state and scratch buffers and is not safe for concurrent use: make one per
// goroutine with [NewHasher].
package pseudonymise
