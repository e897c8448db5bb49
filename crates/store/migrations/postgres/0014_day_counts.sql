-- Per-day counts kept by the writers, so that the command centre reads a day's figures from
-- a few hundred rows however many scans and code changes there are (issue 6: the briefing
-- in under 2 s at zone scale).
--
-- scan_day_counts: scans per checkpoint per Asia/Shanghai day (days since 1970-01-01) by
-- decision. Every path that stores scans (Tx::insert_scans, Tx::insert_scans_unchecked) adds
-- the scans it actually stored in the same transaction.
CREATE TABLE scan_day_counts (
    checkpoint_id  BIGINT NOT NULL REFERENCES checkpoints(id),
    day_number     BIGINT NOT NULL,
    total          BIGINT NOT NULL,
    pass           BIGINT NOT NULL,
    refer          BIGINT NOT NULL,
    stop           BIGINT NOT NULL,
    PRIMARY KEY (checkpoint_id, day_number)
);
INSERT INTO scan_day_counts (checkpoint_id, day_number, total, pass, refer, stop)
SELECT checkpoint_id, (at + 28800000) / 86400000, COUNT(*),
       SUM(CASE WHEN decision = 'pass' THEN 1 ELSE 0 END),
       SUM(CASE WHEN decision = 'refer' THEN 1 ELSE 0 END),
       SUM(CASE WHEN decision = 'stop' THEN 1 ELSE 0 END)
FROM scans GROUP BY checkpoint_id, (at + 28800000) / 86400000;

-- code_colour_days: per street and day, how the number of persons holding each code colour
-- changed that day (+1 for a change's new colour, -1 for its old one). Persons per street by
-- colour at the end of day D are the sums over the days up to D. Every path that writes
-- code_changes (Tx::insert_code_change, Tx::insert_code_changes) adds its changes in the same
-- transaction. It relies on what the code engine guarantees: a change's from_colour is the
-- person's colour before it, and a change's day is the day it was made, so each person's
-- changes come in day order.
CREATE TABLE code_colour_days (
    street_id  BIGINT NOT NULL REFERENCES areas(id),
    day        TEXT NOT NULL,
    colour     TEXT NOT NULL,
    delta      BIGINT NOT NULL,
    PRIMARY KEY (street_id, day, colour)
);
INSERT INTO code_colour_days (street_id, day, colour, delta)
SELECT street_id, day, colour, SUM(delta) FROM (
    SELECT p.street_id, c.day, c.to_colour AS colour, 1 AS delta
    FROM code_changes c JOIN persons p ON p.id = c.person_id
    UNION ALL
    SELECT p.street_id, c.day, c.from_colour, -1
    FROM code_changes c JOIN persons p ON p.id = c.person_id
    WHERE c.from_colour IS NOT NULL
) d GROUP BY street_id, day, colour;

-- The indexes 0013 added for reading colours from the current codes corrected by later
-- changes: that read is replaced by code_colour_days, and they only cost every code write.
DROP INDEX code_changes_day;
DROP INDEX health_codes_street;
