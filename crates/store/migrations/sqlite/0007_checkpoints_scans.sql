-- Checkpoints get their staff on duty and an edit time; scans (排查) are the screening events
-- devices upload. A device names each scan with its own event id, so a resent batch finds its
-- scans already there: (checkpoint_id, event_id) is unique and the content fingerprint tells a
-- true resend from a clash.

ALTER TABLE checkpoints ADD COLUMN staff_on_duty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN updated_at INTEGER;

CREATE TABLE scans (
    id             INTEGER PRIMARY KEY,
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoints(id),
    event_id       TEXT    NOT NULL,
    at             INTEGER NOT NULL,
    person_id      INTEGER REFERENCES persons(id),
    method         TEXT    NOT NULL CHECK (method IN ('code', 'id_number')),
    direction      TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    temperature    REAL,
    colour         TEXT    CHECK (colour IN ('green', 'yellow', 'red')),
    decision       TEXT    NOT NULL CHECK (decision IN ('pass', 'refer', 'stop')),
    reason         TEXT    NOT NULL,
    fingerprint    TEXT    NOT NULL,
    received_at    INTEGER NOT NULL,
    UNIQUE (checkpoint_id, event_id)
);
-- Tracing reads who was at one place within minutes of a time: a range of this index, which
-- also carries the person, so the table itself is not read.
CREATE INDEX scans_place_time ON scans (checkpoint_id, at, person_id);
-- A case's own scans over the lookback window.
CREATE INDEX scans_person_time ON scans (person_id, at);
