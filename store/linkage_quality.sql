-- Linkage quality against a known truth (outcomes synth --linkage-errors
-- writes one beside the study folder): pairwise precision and recall of the
-- linkage of the trajectory rows, for the exact (strict) linkage and for the
-- linkage the run applied, over the pairs of rows of which at least one was
-- not linked by BSN (two BSN rows link by BSN whatever the model does).
-- Pairwise measures, as record-linkage evaluations count them (Christen,
-- Data Matching, 2012, ch. 7; Splink's truth-space tables): a pair of rows
-- of one true person put in one person is a true positive.
-- $truth is the truth file (columns file, line, person). A researcher can
-- run this query from R or Python on outcomes.duckdb after replacing
-- $truth with the file's path in quotes.
WITH truth AS (
    SELECT * FROM read_csv($truth, header = true, columns = {'file': 'VARCHAR', 'line': 'BIGINT', 'person': 'BIGINT'})
), r AS (
    SELECT t.person_id AS linked, coalesce(s.person_id, t.person_id) AS strict, t.linkage = 'bsn' AS bsn, truth.person
    FROM trajectory t JOIN source_file f USING (file_id)
    JOIN truth ON truth.file = f.file AND truth.line = t.line
    LEFT JOIN linkage_row s ON s.file_id = t.file_id AND s.line = t.line
), pairs AS (
    -- per group, its pairs less the pairs of two BSN rows
    SELECT grp, sum(n * (n - 1) // 2 - b * (b - 1) // 2)::BIGINT AS pairs FROM (
        SELECT 'truth' AS grp, count(*) AS n, count(*) FILTER (WHERE bsn) AS b FROM r GROUP BY person
        UNION ALL SELECT 'strict', count(*), count(*) FILTER (WHERE bsn) FROM r GROUP BY strict
        UNION ALL SELECT 'strict_correct', count(*), count(*) FILTER (WHERE bsn) FROM r GROUP BY strict, person
        UNION ALL SELECT 'linked', count(*), count(*) FILTER (WHERE bsn) FROM r GROUP BY linked
        UNION ALL SELECT 'linked_correct', count(*), count(*) FILTER (WHERE bsn) FROM r GROUP BY linked, person
    ) GROUP BY grp
)
SELECT
    (SELECT count(*) FROM r)::BIGINT AS rows_matched,
    (SELECT pairs FROM pairs WHERE grp = 'truth') AS true_pairs,
    (SELECT pairs FROM pairs WHERE grp = 'strict') AS strict_pairs,
    (SELECT pairs FROM pairs WHERE grp = 'strict_correct') AS strict_correct,
    (SELECT pairs FROM pairs WHERE grp = 'linked') AS linked_pairs,
    (SELECT pairs FROM pairs WHERE grp = 'linked_correct') AS linked_correct
