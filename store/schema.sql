-- Canonical schema of an outcomes database. Every table is documented in the
-- README ("The database"); researchers query it from R or Python. The
-- comments below are also the database's own table and column comments
-- (COMMENT ON, internal/sqldoc): the lines before a CREATE describe the
-- table, the comment after a column describes the column; a column without
-- one takes its entry of internal/sqldoc's Vocabulary.

-- One row per pipeline run: its provenance. Rows of earlier runs into the
-- same output folder are carried over, so the table is the folder's history.
CREATE TABLE run (
    run_id          INTEGER PRIMARY KEY, -- 1 for the first run into the output folder, then one more per run
    started         TIMESTAMP NOT NULL,  -- start of the run (UTC)
    finished        TIMESTAMP,           -- end of the analyses (UTC); NULL for a run that did not finish
    tool_version    VARCHAR NOT NULL,    -- version of outcomes (outcomes version)
    study_name      VARCHAR NOT NULL,    -- name in the study file
    study_sha256    VARCHAR NOT NULL,    -- SHA-256 of the study file's bytes, so the exact definition used can be found again
    key_fingerprint VARCHAR NOT NULL,  -- one-way fingerprint of the study key, never the key
    cutoff          DATE NOT NULL,     -- the study's data cut-off: follow-up ends here
    parameters      VARCHAR NOT NULL,  -- JSON: outcome settings, minimum cell size, batch size, report language, new_key_history
    tool_commit     VARCHAR,           -- VCS revision the binary was built from ("-dirty" if modified); NULL when unknown
    command_line    VARCHAR            -- the command as run (flags and paths; the key never appears: it is read from a file or the environment)
);

-- One row per export file read in a run (rows of earlier runs are carried
-- over with the run table). For each file rows_read = rows_loaded +
-- rows_quarantined.
CREATE TABLE source_file (
    file_id          INTEGER PRIMARY KEY, -- numbered across runs
    run_id           INTEGER NOT NULL,
    partner          VARCHAR NOT NULL,
    file             VARCHAR NOT NULL,  -- path as written in the study file
    kind             VARCHAR NOT NULL,  -- export kind: trajectories, events, assessments or households
    sha256           VARCHAR NOT NULL,  -- SHA-256 of the file's bytes: a corrected export shows as a new hash
    bytes            BIGINT NOT NULL,   -- size of the file
    format           VARCHAR,           -- csv, xlsx or parquet, as read
    encoding         VARCHAR,           -- text encoding as read (utf-8, windows-1252); NULL for xlsx and parquet
    delimiter        VARCHAR,           -- field delimiter as read; NULL for xlsx and parquet
    rows_read        BIGINT NOT NULL,   -- data rows in the file
    rows_loaded      BIGINT NOT NULL,   -- of them, loaded into trajectory, event, assessment or household_link
    rows_quarantined BIGINT NOT NULL,   -- of them, quarantined (table quarantine says where and why)
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
    reason    VARCHAR NOT NULL,        -- not_digits, wrong_length, fails_elfproef or number_rendering
    row_count BIGINT NOT NULL,         -- rows of the file with this reason
    PRIMARY KEY (file_id, reason)
);

-- One row per rejected input row: where and why, never the values.
CREATE TABLE quarantine (
    file_id       INTEGER NOT NULL,
    line          BIGINT NOT NULL,
    column_number INTEGER,             -- 1-based; NULL when the whole row is at fault
    column_name   VARCHAR,             -- the column's header in the export, or "(column N)" when the header looks like a value
    field         VARCHAR,             -- the canonical field the column maps to
    rule          VARCHAR NOT NULL     -- the rule the row broke (ingest.Rules: bad_date, missing_id, …)
);

-- One row per person (after linkage): pseudonym, birth year, sex; no clear
-- identifier.
CREATE TABLE person (
    person_id  VARCHAR PRIMARY KEY,
    birth_year INTEGER,                -- the most frequent among the person's records
    sex        VARCHAR,                -- m, v, x, o (unknown); the most frequent among the records
    linkage    VARCHAR NOT NULL,       -- best linkage of the person's records: bsn, fallback or supplier
    birth_year_conflict BOOLEAN NOT NULL DEFAULT false -- records disagree on the birth year (the most frequent, then the lowest, is kept)
);

-- A person's participation in one partner's programme, one row per loaded
-- row of a trajectories export.
CREATE TABLE trajectory (
    file_id          INTEGER NOT NULL,
    line             BIGINT NOT NULL,
    person_id        VARCHAR NOT NULL,
    partner          VARCHAR NOT NULL,
    programme        VARCHAR NOT NULL,
    start_date       DATE NOT NULL,    -- start of the participation
    end_date         DATE,             -- end; NULL while it goes on
    release_date     DATE,             -- release from detention, when the programme follows one
    exit_reason      VARCHAR,          -- canonical exit reason (study file code table)
    exit_destination VARCHAR,          -- canonical destination: independent_housing, supported_housing, shelter, detention, unknown, …
    age              INTEGER,          -- at release, else at start
    area             VARCHAR,          -- 4-digit postcode area, if given
    linkage          VARCHAR NOT NULL, -- how this record was linked: bsn, fallback or supplier
    fallback_id      VARCHAR,          -- keyed pseudonym of surname + birth date + sex
    birth_year       INTEGER,          -- as the record gives it
    sex              VARCHAR           -- as the record gives it: m, v, x or o
);

-- Something that happened to a person: offence registration, shelter entry, ...
-- The justice columns (registration_date to end_date) are documented in
-- study/justice.go; analyses/doc.go says how they make cases.
CREATE TABLE event (
    file_id    INTEGER NOT NULL,
    line       BIGINT NOT NULL,
    person_id  VARCHAR NOT NULL,
    partner    VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,       -- offence, detention, shelter_entry, eviction, death, emigration, … (study.EventTypes)
    category   VARCHAR,                -- the partner's category, mapped through the study file
    event_date DATE NOT NULL,          -- for an offence: the offence date (pleegdatum); may lie after the cut-off
    registration_date DATE,            -- offence: when the case was registered
    case_id     VARCHAR,               -- offence: the case; rows of one person with one case_id are one case
    disposal    VARCHAR,               -- offence: canonical disposal (study.Disposals)
    offence_type VARCHAR,              -- offence: canonical type (study.OffenceTypes)
    seriousness VARCHAR,               -- offence: minor, serious (statutory maximum >= 4 years), very_serious (>= 8)
    end_date    DATE,                  -- detention: end of the custody spell
    age        INTEGER,                -- at the event date
    area       VARCHAR,
    linkage     VARCHAR NOT NULL,
    fallback_id VARCHAR,
    birth_year  INTEGER,               -- as the record gives it
    sex         VARCHAR                -- as the record gives it
);

-- A person's score on one life domain at one date (self-sufficiency score 1-5).
CREATE TABLE assessment (
    file_id         INTEGER NOT NULL,
    line            BIGINT NOT NULL,
    person_id       VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL,
    assessment_date DATE NOT NULL,     -- date of the assessment
    domain          VARCHAR NOT NULL,  -- canonical life domain (study.LifeDomains)
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5), -- self-sufficiency score: 1 acute problems … 5 fully self-sufficient
    programme       VARCHAR,           -- programme the assessment was made in, if the export says
    age             INTEGER,           -- at the assessment date
    area            VARCHAR,
    linkage         VARCHAR NOT NULL,
    fallback_id     VARCHAR,
    birth_year      INTEGER,           -- as the record gives it
    sex             VARCHAR            -- as the record gives it
);

-- A household member (person_id) linked to a detainee (detainee_id, a
-- pseudonym from the same key, so it matches the detainee's own records).
CREATE TABLE household_link (
    file_id              INTEGER NOT NULL,
    line                 BIGINT NOT NULL,
    person_id            VARCHAR NOT NULL,  -- the household member
    partner              VARCHAR NOT NULL,
    relation             VARCHAR NOT NULL,  -- partner, child, parent, other
    detainee_id          VARCHAR NOT NULL,  -- pseudonym of the detainee (person_id of the detainee's own records)
    detainee_fallback_id VARCHAR,           -- pseudonym of the detainee's surname + birth date + sex
    detainee_linkage     VARCHAR NOT NULL,  -- bsn or fallback
    age                  INTEGER,           -- of the household member
    area                 VARCHAR,
    linkage              VARCHAR NOT NULL,  -- how the household member was linked
    fallback_id          VARCHAR,
    birth_year           INTEGER,           -- of the household member, as the record gives it
    sex                  VARCHAR            -- of the household member, as the record gives it
);

-- The programmes of the study file, so that the codes in trajectory,
-- assessment and the result tables read as names. The study file gives no
-- separate programme type: a programme's kind is its primary outcome and
-- whether its stays are shelter stays.
CREATE TABLE programme (
    code           VARCHAR PRIMARY KEY, -- as in trajectory.programme and the result tables' programme column
    name           VARCHAR NOT NULL,    -- the name the report shows (the code when the study file gives none)
    outcome        VARCHAR NOT NULL,    -- the programme's primary outcome: recidivism, shelter_return, shelter_inflow, … (study.OutcomeKinds)
    shelter        BOOLEAN NOT NULL,    -- its stays are shelter stays: entries count for return to and inflow into a shelter
    reference_date VARCHAR              -- the study file's reference_date (release, start, end, exit_to_housing); NULL: the outcome kind's default
);
