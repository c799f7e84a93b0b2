-- Probabilistic linkage (store/linkage.go, package link). Empty unless the
-- study turns it on. No table holds a clear identifier.

-- Keyed encodings of a loaded row (pseudonymise/encode.go): balanced keyed
-- Bloom filters of the surname (and of a two-part surname's parts), keyed
-- birth-date tokens and a keyed Bloom filter of the first given name.
-- Personal data of the same class as a pseudonym.
CREATE TABLE record_encoding (
    file_id       INTEGER NOT NULL,
    line          BIGINT NOT NULL,
    surname       BLOB,  -- keyed balanced Bloom filter of the normalised surname
    surname_parts BLOB,  -- keyed Bloom filter of the parts of a two-part surname; NULL for a one-part surname
    birth         BLOB,  -- keyed tokens of the birth date (day, month, year and their pairs), never the date
    given         BLOB   -- keyed Bloom filter of the first given name; NULL when the export has none
);

-- Persons the model merged into another: every record of person_id now
-- carries linked_to; weight is the match weight of the link that merged it.
CREATE TABLE linkage_map (
    person_id VARCHAR NOT NULL,
    linked_to VARCHAR NOT NULL,  -- the person (pseudonym) it was merged into
    weight    DOUBLE NOT NULL    -- match weight of the link that merged it
);

-- The rows whose person the probabilistic step changed, with the person
-- the exact linkage gave them (the pseudonym of BSN or fallback key): a
-- row's strict person is coalesce(linkage_row.person_id, its person_id).
-- (file_id, line) names a row of trajectory, event, assessment or
-- household_link (a file is of one kind).
CREATE TABLE linkage_row (
    file_id   INTEGER NOT NULL,
    line      BIGINT NOT NULL,
    person_id VARCHAR NOT NULL  -- the person the exact linkage gave the row (before the probabilistic step)
);

-- The model: m and u per field and comparison level; lambda, thresholds and
-- counts in linkage_run.
CREATE TABLE linkage_model (
    field VARCHAR NOT NULL,  -- compared field: surname, birth_date, sex, given_name, …
    level VARCHAR NOT NULL,  -- comparison level, e.g. dice>=0.90, exact, disagree
    m     DOUBLE NOT NULL,   -- probability of the level among true matches
    u     DOUBLE NOT NULL    -- probability of the level among non-matches
);

-- One row per run of the probabilistic step: its size, prior, thresholds and
-- decisions.
CREATE TABLE linkage_run (
    entities        BIGINT NOT NULL,  -- persons (exact pseudonyms) with encodings
    candidates      BIGINT NOT NULL,  -- pairs compared
    prior_match     DOUBLE NOT NULL,  -- lambda: prior match probability of a random pair
    upper_weight    DOUBLE NOT NULL,  -- link from this match weight on
    lower_weight    DOUBLE NOT NULL,  -- review from this weight on
    links           BIGINT NOT NULL,  -- pairs linked (weight >= upper_weight, no constraint against)
    review          BIGINT NOT NULL,  -- pairs for clerical review (table linkage_review)
    refused         BIGINT NOT NULL,  -- pairs above upper kept apart by a constraint
    skipped_blocks  BIGINT NOT NULL,  -- blocks too large to compare, skipped
    decisions       BIGINT NOT NULL   -- clerical decisions applied
);

-- Candidate pairs per whole match weight (floor), for the appendix.
CREATE TABLE linkage_weight (
    weight INTEGER NOT NULL,  -- whole match weight (floor)
    pairs  BIGINT NOT NULL    -- candidate pairs with this weight
);

-- Pairs for clerical review (lower <= weight < upper), by each side's own
-- record reference: partner, file and line of the record that represents
-- the person. A partner sees only references to its own files.
CREATE TABLE linkage_review (
    pair_id   VARCHAR NOT NULL,  -- 16 hex digits of SHA-256 of the six references (no identifier): the same in every run for the same rows
    partner_a VARCHAR NOT NULL, file_a VARCHAR NOT NULL, line_a BIGINT NOT NULL,  -- side a: partner, file (as in the study file) and line of its record
    partner_b VARCHAR NOT NULL, file_b VARCHAR NOT NULL, line_b BIGINT NOT NULL,  -- side b: partner, file and line of its record
    weight    DOUBLE NOT NULL,
    pattern   VARCHAR NOT NULL   -- the comparison levels, e.g. surname=dice>=0.90 birth_date=exact sex=agree
);

-- Each partner's half of the review: its own record of the pair, by its own
-- file and line, with the pair's id and the other partner's name (never the
-- other partner's reference). A partner checks its records and returns the
-- pair ids with its findings; the researcher joins them to linkage_review
-- for the decision file.
-- @partner: the partner whose half this is
-- @pair_id: the pair (linkage_review.pair_id)
-- @file: the partner's own file (as in the study file)
-- @line: line of the partner's record in that file
-- @other_partner: the name of the other partner of the pair (never its reference)
-- @weight: match weight of the pair
-- @pattern: the comparison levels of the pair
CREATE VIEW linkage_review_partner AS
    SELECT partner_a AS partner, pair_id, file_a AS file, line_a AS line, partner_b AS other_partner, weight, pattern FROM linkage_review
    UNION ALL
    SELECT partner_b, pair_id, file_b, line_b, partner_a, weight, pattern FROM linkage_review;
