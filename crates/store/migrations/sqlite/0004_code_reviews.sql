-- Colours set by hand (人工赋码) and residents' appeals (纠错). A manual colour is in force only
-- once approved: red↔green needs a second approver, so such a request waits as 'pending'.
-- Status moves forward only (pending → active | rejected, active → revoked); the history of
-- colours itself stays in the insert-only code_changes, and every decision in the audit log.

CREATE TABLE code_overrides (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    colour         TEXT    NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
    from_colour    TEXT    NOT NULL CHECK (from_colour IN ('green', 'yellow', 'red')),
    reason         TEXT    NOT NULL,
    valid_from     TEXT    NOT NULL,
    valid_until    TEXT,
    second_needed  INTEGER NOT NULL,
    appeal_id      INTEGER,
    requested_by   TEXT    NOT NULL,
    requested_at   INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'revoked')),
    decided_by     TEXT,
    decided_at     INTEGER,
    decision_note  TEXT
);
CREATE INDEX code_overrides_person ON code_overrides (person_id, status);
CREATE INDEX code_overrides_status ON code_overrides (status, id);
CREATE UNIQUE INDEX code_overrides_one_pending ON code_overrides (person_id) WHERE status = 'pending';

CREATE TABLE appeals (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    explanation  TEXT    NOT NULL,
    colour       TEXT    NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
    reasons      TEXT    NOT NULL,
    filed_by     TEXT    NOT NULL,
    filed_at     INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected')),
    decided_by   TEXT,
    decided_at   INTEGER,
    decision     TEXT,
    override_id  INTEGER REFERENCES code_overrides(id)
);
CREATE INDEX appeals_person ON appeals (person_id, id);
CREATE INDEX appeals_status ON appeals (status, id);
CREATE UNIQUE INDEX appeals_one_pending ON appeals (person_id) WHERE status = 'pending';

-- Facts about this installation, such as the day a replayed demo stands on ('as_of').
CREATE TABLE platform_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- The status list asks which codes changed colour since an instant.
CREATE INDEX code_changes_at ON code_changes (at);
