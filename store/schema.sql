-- Canonical schema of an outcomes database. Every table is documented in the
-- README ("The database"); researchers query it from R or Python.

-- One row per pipeline run.
CREATE TABLE run (
    run_id          INTEGER PRIMARY KEY,
    started         TIMESTAMP NOT NULL,
    finished        TIMESTAMP,
    tool_version    VARCHAR NOT NULL,
    study_name      VARCHAR NOT NULL,
    study_sha256    VARCHAR NOT NULL,
    key_fingerprint VARCHAR NOT NULL,  -- one-way fingerprint of the study key, never the key
    cutoff          DATE NOT NULL,
    parameters      VARCHAR NOT NULL,  -- JSON: windows, minimum cell size, batch size
    tool_commit     VARCHAR,           -- VCS revision the binary was built from ("-dirty" if modified); NULL when unknown
    command_line    VARCHAR            -- the command as run (flags and paths; the key never appears: it is read from a file or the environment)
);

-- One row per export file read in a run.
CREATE TABLE source_file (
    file_id          INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL,
    partner          VARCHAR NOT NULL,
    file             VARCHAR NOT NULL,  -- path as written in the study file
    kind             VARCHAR NOT NULL,  -- trajectories or events
    sha256           VARCHAR NOT NULL,
    bytes            BIGINT NOT NULL,
    format           VARCHAR,
    encoding         VARCHAR,
    delimiter        VARCHAR,
    rows_read        BIGINT NOT NULL,
    rows_loaded      BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    linked_bsn       BIGINT NOT NULL,   -- rows linked by a valid national ID
    linked_fallback  BIGINT NOT NULL,   -- rows linked by surname + birth date + sex
    linked_supplier  BIGINT NOT NULL,   -- rows pseudonymised by the partner
    linked_none      BIGINT NOT NULL,   -- rows quarantined (rule no_identifier): no valid BSN, no surname + birth date
    duplicate_of     INTEGER,           -- file_id of a file of the same run with the same sha256 and kind: this
                                        -- one was not read again (its row counts are 0), so no row is loaded twice
    CHECK (rows_read = rows_loaded + rows_quarantined)
);

-- Per export file, values in its BSN column that could not be used as an
-- identifier, counted per reason (never the values); such a row may still
-- link by fallback key.
CREATE TABLE bsn_rejected (
    file_id   INTEGER NOT NULL,
    reason    VARCHAR NOT NULL,        -- not_digits, wrong_length or fails_elfproef
    row_count BIGINT NOT NULL,
    PRIMARY KEY (file_id, reason)
);

-- One row per rejected input row: where and why, never the values.
CREATE TABLE quarantine (
    file_id       INTEGER NOT NULL,
    line          BIGINT NOT NULL,
    column_number INTEGER,             -- 1-based; NULL when the whole row is at fault
    column_name   VARCHAR,
    field         VARCHAR,
    rule          VARCHAR NOT NULL
);

-- One row per person (after linkage).
CREATE TABLE person (
    person_id  VARCHAR PRIMARY KEY,
    birth_year INTEGER,
    sex        VARCHAR,                -- m, v, x, o (unknown); the most frequent among the records
    linkage    VARCHAR NOT NULL,       -- best linkage of the person's records
    birth_year_conflict BOOLEAN NOT NULL DEFAULT false -- records disagree on the birth year (the most frequent, then the lowest, is kept)
);

-- A person's participation in one partner's programme.
CREATE TABLE trajectory (
    file_id          INTEGER NOT NULL,
    line             BIGINT NOT NULL,
    person_id        VARCHAR NOT NULL,
    partner          VARCHAR NOT NULL,
    programme        VARCHAR NOT NULL,
    start_date       DATE NOT NULL,
    end_date         DATE,
    release_date     DATE,
    exit_reason      VARCHAR,
    exit_destination VARCHAR,
    age              INTEGER,          -- at release, else at start
    area             VARCHAR,          -- 4-digit postcode area, if given
    linkage          VARCHAR NOT NULL, -- how this record was linked: bsn or fallback
    fallback_id      VARCHAR,          -- keyed pseudonym of surname + birth date + sex
    birth_year       INTEGER,
    sex              VARCHAR
);

-- Something that happened to a person: offence registration, shelter entry, ...
-- The justice columns (registration_date to end_date) are documented in
-- study/justice.go; analyses/doc.go says how they make cases.
CREATE TABLE event (
    file_id    INTEGER NOT NULL,
    line       BIGINT NOT NULL,
    person_id  VARCHAR NOT NULL,
    partner    VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    category   VARCHAR,
    event_date DATE NOT NULL,          -- for an offence: the offence date (pleegdatum); may lie after the cut-off
    registration_date DATE,            -- offence: when the case was registered
    case_id     VARCHAR,               -- offence: the case; rows of one person with one case_id are one case
    disposal    VARCHAR,               -- offence: canonical disposal (study.Disposals)
    offence_type VARCHAR,              -- offence: canonical type (study.OffenceTypes)
    seriousness VARCHAR,               -- offence: minor, serious (statutory maximum >= 4 years), very_serious (>= 8)
    end_date    DATE,                  -- detention: end of the custody spell
    age        INTEGER,
    area       VARCHAR,
    linkage     VARCHAR NOT NULL,
    fallback_id VARCHAR,
    birth_year  INTEGER,
    sex         VARCHAR
);

-- A person's score on one life domain at one date (self-sufficiency score 1-5).
CREATE TABLE assessment (
    file_id         INTEGER NOT NULL,
    line            BIGINT NOT NULL,
    person_id       VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL,
    assessment_date DATE NOT NULL,
    domain          VARCHAR NOT NULL,  -- canonical life domain (study.LifeDomains)
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    programme       VARCHAR,           -- programme the assessment was made in, if the export says
    age             INTEGER,           -- at the assessment date
    area            VARCHAR,
    linkage         VARCHAR NOT NULL,
    fallback_id     VARCHAR,
    birth_year      INTEGER,
    sex             VARCHAR
);

-- A household member (person_id) linked to a detainee (detainee_id, a
-- pseudonym from the same key, so it matches the detainee's own records).
CREATE TABLE household_link (
    file_id              INTEGER NOT NULL,
    line                 BIGINT NOT NULL,
    person_id            VARCHAR NOT NULL,  -- the household member
    partner              VARCHAR NOT NULL,
    relation             VARCHAR NOT NULL,  -- partner, child, parent, other
    detainee_id          VARCHAR NOT NULL,
    detainee_fallback_id VARCHAR,           -- pseudonym of the detainee's surname + birth date + sex
    detainee_linkage     VARCHAR NOT NULL,  -- bsn or fallback
    age                  INTEGER,
    area                 VARCHAR,
    linkage              VARCHAR NOT NULL,
    fallback_id          VARCHAR,
    birth_year           INTEGER,
    sex                  VARCHAR
);
