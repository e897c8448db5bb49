-- Foundation: areas, persons, checkpoints, accounts, sessions, login attempts, audit.
-- Times are integer milliseconds UTC; enums are text checked against their lists.

CREATE TABLE areas (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES areas(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('zone', 'street', 'community', 'micro_grid')),
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    path        TEXT    NOT NULL UNIQUE,
    boundary    TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX areas_parent ON areas (parent_id, id);
CREATE INDEX areas_kind ON areas (kind);

CREATE TABLE persons (
    id           INTEGER PRIMARY KEY,
    id_number    TEXT UNIQUE,
    name         TEXT    NOT NULL,
    phone        TEXT,
    zone_id      INTEGER NOT NULL REFERENCES areas(id),
    street_id    INTEGER NOT NULL REFERENCES areas(id),
    community_id INTEGER NOT NULL REFERENCES areas(id),
    micro_grid_id INTEGER REFERENCES areas(id),
    area_path    TEXT    NOT NULL,
    category     TEXT    NOT NULL CHECK (category IN ('resident', 'worker', 'visitor', 'foreign')),
    nationality  TEXT,
    passport_no  TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (nationality, passport_no),
    CHECK (id_number IS NOT NULL OR passport_no IS NOT NULL)
);
CREATE INDEX persons_name ON persons (name, id);
CREATE INDEX persons_phone ON persons (phone);
-- One index per level of the area tree: a scoped, id-ordered page is an index range walk.
CREATE INDEX persons_zone ON persons (zone_id, id);
CREATE INDEX persons_street ON persons (street_id, id);
CREATE INDEX persons_community ON persons (community_id, id);
CREATE INDEX persons_micro_grid ON persons (micro_grid_id, id);

CREATE TABLE checkpoints (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('traffic', 'community_gate', 'factory_gate',
                                                   'commercial_gate', 'park_gate', 'quarantine_site')),
    name          TEXT    NOT NULL,
    area_id       INTEGER NOT NULL REFERENCES areas(id),
    area_path     TEXT    NOT NULL,
    lat           REAL    NOT NULL,
    lon           REAL    NOT NULL,
    party_branch  TEXT,
    hours         TEXT    NOT NULL,
    retired_at    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX checkpoints_scope ON checkpoints (area_path, id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    area_id        INTEGER NOT NULL REFERENCES areas(id),
    area_path      TEXT    NOT NULL,
    person_id      INTEGER REFERENCES persons(id),
    password_hash  TEXT    NOT NULL,
    disabled_at    INTEGER,
    created_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT    NOT NULL,
    client_addr  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
    id           INTEGER PRIMARY KEY,
    username     TEXT    NOT NULL,
    client_addr  TEXT    NOT NULL,
    success      INTEGER NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_addr ON login_attempts (client_addr, at);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    user_id      INTEGER,
    username     TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    record_type  TEXT    NOT NULL,
    record_id    TEXT    NOT NULL,
    client_addr  TEXT    NOT NULL,
    detail       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id);

-- The audit log is insert-only: not even the application can rewrite history.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is insert-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is insert-only'); END;
