-- Health codes: declarations with their itineraries, daily check-ins, the risk-area list, each
-- person's current code and the history of every colour change. Days are ISO text (YYYY-MM-DD),
-- which sorts and compares correctly on both backends.

CREATE TABLE risk_areas (
    id             INTEGER PRIMARY KEY,
    division_code  TEXT    NOT NULL,
    level          TEXT    NOT NULL CHECK (level IN ('medium', 'high')),
    valid_from     TEXT    NOT NULL,
    valid_to       TEXT,
    created_at     INTEGER NOT NULL,
    UNIQUE (division_code, valid_from)
);

CREATE TABLE declarations (
    id                 INTEGER PRIMARY KEY,
    person_id          INTEGER NOT NULL REFERENCES persons(id),
    declared_on        TEXT    NOT NULL,
    declared_at        INTEGER NOT NULL,
    temperature        REAL    NOT NULL,
    symptoms           INTEGER NOT NULL,
    contact_case       INTEGER NOT NULL,
    contact_risk_area  INTEGER NOT NULL,
    address            TEXT    NOT NULL,
    found_false_on     TEXT
);
CREATE INDEX declarations_person ON declarations (person_id, id);

CREATE TABLE itineraries (
    id              INTEGER PRIMARY KEY,
    declaration_id  INTEGER NOT NULL REFERENCES declarations(id),
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    division_code   TEXT    NOT NULL,
    arrived_on      TEXT    NOT NULL
);
CREATE INDEX itineraries_person ON itineraries (person_id);
CREATE INDEX itineraries_division ON itineraries (division_code, arrived_on);

CREATE TABLE check_ins (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    day          TEXT    NOT NULL,
    temperature  REAL    NOT NULL,
    symptoms     INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    UNIQUE (person_id, day)
);

CREATE TABLE health_codes (
    person_id        INTEGER PRIMARY KEY REFERENCES persons(id),
    ref              TEXT    NOT NULL UNIQUE,
    colour           TEXT    NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
    since            TEXT    NOT NULL,
    reasons          TEXT    NOT NULL,
    earliest_change  TEXT,
    ruleset_version  TEXT    NOT NULL,
    zone_id          INTEGER NOT NULL,
    street_id        INTEGER NOT NULL,
    community_id     INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX health_codes_colour ON health_codes (colour, community_id);

-- Insert-only, like the audit log: the record of who turned which code which colour, and why.
CREATE TABLE code_changes (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES persons(id),
    at               INTEGER NOT NULL,
    day              TEXT    NOT NULL,
    from_colour      TEXT,
    to_colour        TEXT    NOT NULL,
    reasons          TEXT    NOT NULL,
    ruleset_version  TEXT    NOT NULL,
    actor            TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('rule', 'manual'))
);
CREATE INDEX code_changes_person ON code_changes (person_id, id);
CREATE TRIGGER code_changes_no_update BEFORE UPDATE ON code_changes
BEGIN SELECT RAISE(ABORT, 'code_changes is insert-only'); END;
CREATE TRIGGER code_changes_no_delete BEFORE DELETE ON code_changes
BEGIN SELECT RAISE(ABORT, 'code_changes is insert-only'); END;
