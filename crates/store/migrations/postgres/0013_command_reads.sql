-- The command centre's figures as of a day without reading whole tables (issue 6).
--
-- screened_persons: each person ever scanned with the instant of their first scan, kept by
-- every path that stores scans (Tx::insert_scans, Tx::insert_scans_unchecked) in the same
-- statement batch. "Screened as of the end of day D" (累计排查) is a count of this small
-- table over the index on first_at, instead of COUNT(DISTINCT person_id) over all scans.
CREATE TABLE screened_persons (
    person_id  BIGINT PRIMARY KEY REFERENCES persons(id),
    first_at   BIGINT NOT NULL
);
CREATE INDEX screened_persons_first ON screened_persons (first_at);
-- Backfill: the scans already stored.
INSERT INTO screened_persons (person_id, first_at)
SELECT person_id, MIN(at) FROM scans WHERE person_id IS NOT NULL GROUP BY person_id;

-- Code colours as of a past day start from the current codes and correct the persons whose
-- code changed after that day: those are found through this index (a range of days).
CREATE INDEX code_changes_day ON code_changes (day, person_id);
-- The current colours per street: read from this index alone.
CREATE INDEX health_codes_street ON health_codes (street_id, colour);
