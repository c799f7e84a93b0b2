// Package pseudonymise turns direct identifiers into keyed pseudonyms. It is
// the second stage of the flow:
//
//	ingest ──► pseudonymise ──► load (DuckDB) ──► analyses ──► reports
//
// Ingest produces rows that still hold a national ID (BSN), a surname and a
// full birth date. This package holds the primitives that replace them: the
// secret study [Key], the [Hasher] that computes HMAC-SHA256 pseudonyms, and
// the normalisers that make the same person produce the same bytes in every
// partner's export ([NormaliseBSN], [NormaliseSurname], [FallbackKey]); and
// the [Pseudonymiser], which turns an ingest.RawBatch into a [Batch], the
// only row type the store accepts: its schema ([Schema]) has no column that
// can hold a direct identifier. [ExportWriter] writes the same rows as a CSV
// file that a partner can send instead of its raw export, and
// [SupplierFolder] the whole folder a partner sends (supplier-side
// pseudonymisation, `outcomes pseudonymise`). It imports no later stage;
// internal/flow is what streams an export through it.
//
// # What passes
//
// Which columns of a raw batch may reach a [Batch] is an allow-list: the
// role of each canonical field (study.Role). Identifier fields (BSN,
// surname, full birth date, full postcode, the detainee's) are read only to
// compute a pseudonym, an age, a birth year or a 4-digit area; identity
// fields (sex, birth year, a supplier's pseudonym and linkage) are read
// into this package's own identity columns; only data fields, and free-text
// fields the study file allows for the file, are copied; a keyed field (the
// case number, case_id) passes only as its keyed pseudonym (DomainCase:
// HMAC-SHA256 with the study key of the trimmed, upper-cased number), so
// rows of one case still group and no case number reaches the database or
// a supplier's export (a supplier's pseudonymised export carries it keyed
// already and it passes as given). A field added to study.Fields without a
// role is an identifier, so it never passes.
//
// One rule, identify (identity.go), decides who a row is about, for the
// row's person and a households row's detainee alike, in the pipeline,
// `outcomes pseudonymise` and `outcomes check` (which runs this package
// under a throwaway key, [EphemeralKey], rather than a copy of the rule).
//
// # Linkage rules
//
// Every row is linked to a person by the first rule that applies:
//
//  1. BSN. The value of the BSN column, with spaces, dots and dashes
//     removed and an 8-digit number left-padded with a zero, that has 9
//     digits and passes the elfproef (after the spreadsheet renderings
//     below are undone): the person's pseudonym is
//     HMAC(key, "outcomes/pseudonym/bsn/v1\x00" || the 9 digits). Linkage
//     quality "bsn".
//  2. Fallback key. Otherwise, when the row has a surname that is not empty
//     after normalisation and a birth date: HMAC(key,
//     "outcomes/pseudonym/fallback/v1\x00" || surname "|" yyyy-mm-dd "|"
//     sex), with the surname case-folded, without diacritics, without Dutch
//     prefixes (van, de, van der, ter, ...) and with white space collapsed,
//     and sex as m, v, x or o. Linkage quality "fallback".
//  3. Otherwise the row is quarantined with rule no_identifier (line and
//     column, never a value) and counted as not linked.
//
// Spreadsheets mangle BSN columns that they take for numbers. Each
// rendering is undone exactly, or the value is not used, so that a mangled
// BSN never becomes another person's ([NormaliseBSN]):
//
//   - ="012345678" and '012345678 (text forced by a formula or an
//     apostrophe) are read as the text inside;
//   - 10593925.0 and 10593925,00 (a whole number with a zero fraction, the
//     leading zero lost) are read as 10593925, padded to 010593925; before,
//     the dot was dropped and 105939250, another valid BSN, was read;
//   - scientific notation (1.0593925E8) and other fractions (10593925.5)
//     may have lost digits: reason number_rendering, never an identifier.
//
// A BSN that is present but unusable (not digits, wrong length, failing the
// elfproef, a number rendering) is never an identifier; it is counted per reason
// ([LinkStats].BSNRejected, stored in the table bsn_rejected), and the row
// falls through to rule 2. Rows linked by BSN also carry their fallback
// pseudonym (column fallback_id) when surname and birth date are known.
// After every file is loaded, the store replaces a fallback pseudonym by the
// BSN pseudonym of the one BSN person with that fallback_id, so that a
// shelter stay at a partner without BSN joins the person's justice records;
// if two BSN persons share a fallback key, the fallback records stay
// separate rather than being attached to the wrong person. The person table
// records the best linkage quality of each person.
//
// A supplier-pseudonymised export carries the pseudonym, its linkage
// quality and fallback_id, computed by this package with the same key: its
// rows link exactly as if the researcher had pseudonymised the raw export
// (the tests compare the two). The study-file entry that `outcomes
// pseudonymise` writes records the key's fingerprint, and a run with
// another key refuses the export ([CheckKeyFingerprints]) rather than
// loading pseudonyms that cannot link. Its pseudonyms are checked to have the form
// of a pseudonym (32 lower-case hex digits), so a BSN or a name in the
// pseudonym column is quarantined, not loaded. A supplier-pseudonymised
// households export carries the detainee the same way (detainee_pseudonym,
// detainee_linkage, detainee_fallback_id, computed by the rules above from
// the detainee's BSN, or surname + birth date + sex) and never the
// detainee's identifiers; a row whose detainee columns do not have that
// form is quarantined (no_identifier, field detainee_pseudonym).
//
// # Encodings for probabilistic linkage
//
// The fallback key links only records that agree letter for letter:
// "Jansen" and "Janssen", or a swapped day and month, stay two persons. The
// [Encoder] (encode.go) computes keyed encodings from which the link
// package can tell how similar two names or dates are without either being
// readable; they are computed here, from the raw row, so a clear name never
// leaves this stage. For a privacy officer:
//
//   - Keys. Every encoding key is HMAC-SHA256(study key,
//     "outcomes/encoding/<purpose>/v1\x00"): one key per field (surname,
//     given name), one for each field's permutation, one for the noise and
//     one for birth dates. Without the study key none can be recomputed; no
//     encoding is a plain hash of anything.
//   - Names: a keyed Bloom filter per field. The name is normalised as for
//     the fallback key and split into letter pairs (bigrams, the name padded
//     with a space at both ends); each bigram sets 16 positions of a 512-bit
//     filter taken from HMAC(field key, bigram) (random hashing: no
//     double-hashing structure to exploit). A surname of two parts joined
//     by a hyphen is also encoded part by part ([Encoder.AppendSurnameParts]).
//     The given name (field given_name, when an export maps it) is
//     normalised the same way and cut at its first space, so only the first
//     given name (or an initial) is encoded: registrations differ in
//     whether they write a second one. The given name is read for this
//     encoding only; it is never stored, in clear or as a pseudonym.
//   - Hardening against frequency attacks. (1) Per-field keys: a bigram sets
//     unrelated bits in a surname and a given name, so the fields cannot be
//     aligned with each other. (2) Balancing: the filter is followed by its
//     complement and the 1024 bits are permuted with the field's keyed
//     permutation, so every encoding has exactly 512 ones before noise: the
//     number of set bits no longer reveals the name's length, and a bit's
//     frequency over many records says little about which bigrams set it.
//     (3) Per-record noise (randomised response, as in BLIP): each bit is
//     flipped with probability 1/32 by a generator seeded with HMAC(noise
//     key, field, the record's file and line), so two records of one name
//     do not share an encoding and counting equal encodings (the attack on
//     a deterministic keyed hash of a surname) finds nothing; a rerun
//     gives the same bytes. What remains: an attacker who holds many
//     encodings and a list of names can try to align bit patterns with
//     frequent bigrams (the cryptanalysis of Christen et al. and Vidanage et
//     al.); balancing and noise make this harder, not impossible, so the
//     encodings are treated as personal data of the same class as the
//     pseudonyms: in the store, never in a report, never in a log.
//   - Birth dates: five keyed tokens, the first 8 bytes of HMAC(date key,
//     parts) of (year, month, day), (year, day and month in either order),
//     (year, month), (year, day) and (month, day). Equal tokens tell which
//     parts agree (a swap, a mistyped part); a token reveals no part
//     without the key. Dates spread evenly over days and months, so token
//     frequencies say little; the birth year, the one skewed part, is in
//     the store anyway.
//   - Sex is compared as stored (m, v, x, o).
//
// Encodings are computed only when the study file turns probabilistic
// linkage on (linkage.probabilistic; study.Linkage): then for every row
// linked by the fallback key, and with encode_all also for rows linked by
// BSN. They travel beside the batch ([Batch.Encodings]), not in its
// schema, to the store's table record_encoding; a supplier's export
// carries them as base64 columns enc_surname, enc_surname_parts,
// enc_given_name and enc_birth_date (identity fields that never pass to a batch), and a
// researcher's run reads them back unchanged. With linkage off nothing is
// encoded and every output is as before.
//
// # Privacy guarantees
//
//   - A pseudonym is the first 16 bytes of HMAC-SHA256(study key, domain
//     prefix || normalised identifier), written as 32 lower-case hex digits.
//     Without the key it cannot be recomputed, so a pseudonym of a 9-digit
//     BSN cannot be reversed by trying all 10^9 numbers, as a plain hash
//     could. The Hasher computes HMAC (RFC 2104) from precomputed inner and
//     outer SHA-256 states; it is tested byte for byte against crypto/hmac.
//   - The same key and the same normalised identifier always give the same
//     pseudonym, in every run and for every partner: linking across partners
//     depends on it. A different key gives unrelated pseudonyms.
//   - A BSN pseudonym and a fallback pseudonym can never coincide: they are
//     computed over different domain prefixes ([DomainBSN], [DomainFallback]).
//   - The key has at least 32 bytes, is supplied at run time (a file that
//     group and others cannot read, or the environment variable named by
//     [KeyEnvVar]) and is never stored. A [Key] prints as its one-way
//     fingerprint, which the run records so that two runs can be checked to
//     have used the same key.
//   - Coarsening: the birth date becomes the birth year, after the age at
//     the row's reference date (release, else start; the event date for
//     events) is computed from it; the postcode becomes its 4-digit area
//     (anything else is dropped); sex becomes m, v, x or o. Free-text fields
//     (exit reason, event category), which may describe a person in words,
//     are dropped unless the study file allows them for that file
//     (free_text); columns the study file lists as identifiers, or does not
//     map, are skipped by ingest and never reach this stage.
//   - No error, status, quarantine record or String method in this package
//     contains an identifier or the key. The canary test in cmd/outcomes
//     seeds exports with identifiers and finds none of them in any output.
//
// # Concurrency
//
// [Key] values are immutable and safe to share. A [Hasher] and a
// [Pseudonymiser] reuse state and scratch buffers and are not safe for
// concurrent use: make one per goroutine.
package pseudonymise
