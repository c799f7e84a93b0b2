-- Probabilistic linkage (store/linkage.go, package link). Empty unless the
-- study turns it on. No table holds a clear identifier.

-- Keyed encodings of a loaded row (pseudonymise/encode.go): balanced keyed
-- Bloom filters of the surname (and of a two-part surname's parts), keyed
-- birth-date tokens and a keyed Bloom filter of the first given name.
-- Personal data of the same class as a pseudonym.
CREATE TABLE record_encoding (
    file_id       INTEGER NOT NULL,
    line          BIGINT NOT NULL,
    surname       BLOB,
    surname_parts BLOB,
    birth         BLOB,
    given         BLOB
);

-- Persons the model merged into another: every record of person_id now
-- carries linked_to; weight is the match weight of the link that merged it.
CREATE TABLE linkage_map (
    person_id VARCHAR NOT NULL,
    linked_to VARCHAR NOT NULL,
    weight    DOUBLE NOT NULL
);

-- The model: m and u per field and comparison level; lambda, thresholds and
-- counts in linkage_run.
CREATE TABLE linkage_model (
    field VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    m     DOUBLE NOT NULL,
    u     DOUBLE NOT NULL
);

CREATE TABLE linkage_run (
    entities        BIGINT NOT NULL,  -- persons (exact pseudonyms) with encodings
    candidates      BIGINT NOT NULL,  -- pairs compared
    prior_match     DOUBLE NOT NULL,  -- lambda: prior match probability of a random pair
    upper_weight    DOUBLE NOT NULL,  -- link from this match weight on
    lower_weight    DOUBLE NOT NULL,  -- review from this weight on
    links           BIGINT NOT NULL,
    review          BIGINT NOT NULL,
    refused         BIGINT NOT NULL,  -- pairs above upper kept apart by a constraint
    skipped_blocks  BIGINT NOT NULL,
    decisions       BIGINT NOT NULL   -- clerical decisions applied
);

-- Candidate pairs per whole match weight (floor), for the appendix.
CREATE TABLE linkage_weight (
    weight INTEGER NOT NULL,
    pairs  BIGINT NOT NULL
);

-- Pairs for clerical review (lower <= weight < upper), by each side's own
-- record reference: partner, file and line of the record that represents
-- the person. A partner sees only references to its own files.
CREATE TABLE linkage_review (
    pair_id   VARCHAR NOT NULL,  -- 16 hex digits of SHA-256 of the six references (no identifier): the same in every run for the same rows
    partner_a VARCHAR NOT NULL, file_a VARCHAR NOT NULL, line_a BIGINT NOT NULL,
    partner_b VARCHAR NOT NULL, file_b VARCHAR NOT NULL, line_b BIGINT NOT NULL,
    weight    DOUBLE NOT NULL,
    pattern   VARCHAR NOT NULL   -- the comparison levels, e.g. surname=dice>=0.90 birth_date=exact sex=agree
);

-- Each partner's half of the review: its own record of the pair, by its own
-- file and line, with the pair's id and the other partner's name (never the
-- other partner's reference). A partner checks its records and returns the
-- pair ids with its findings; the researcher joins them to linkage_review
-- for the decision file.
CREATE VIEW linkage_review_partner AS
    SELECT partner_a AS partner, pair_id, file_a AS file, line_a AS line, partner_b AS other_partner, weight, pattern FROM linkage_review
    UNION ALL
    SELECT partner_b, pair_id, file_b, line_b, partner_a, weight, pattern FROM linkage_review;
