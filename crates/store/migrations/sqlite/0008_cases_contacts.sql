-- Cases (确诊 / 疑似 / 无症状), the clusters (聚集性疫情) that link them, and contacts
-- (密接 / 次密接) as person-to-person relationships: who met whom, where, when, and through
-- which case. Days are ISO text in Asia/Shanghai, instants integer milliseconds UTC.

CREATE TABLE clusters (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    kind         TEXT    NOT NULL CHECK (kind IN ('confirmed', 'suspected', 'asymptomatic')),
    status       TEXT    NOT NULL CHECK (status IN ('active', 'excluded', 'discharged')),
    origin       TEXT    NOT NULL CHECK (origin IN ('imported', 'local')),
    onset_on     TEXT,
    reported_on  TEXT    NOT NULL,
    kind_since   TEXT    NOT NULL,
    ended_on     TEXT,
    cluster_id   INTEGER REFERENCES clusters(id),
    note         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX cases_person ON cases (person_id);
CREATE INDEX cases_cluster ON cases (cluster_id);
CREATE INDEX cases_reported ON cases (reported_on, id);

CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    person_id         INTEGER NOT NULL REFERENCES persons(id),
    source_person_id  INTEGER NOT NULL REFERENCES persons(id),
    degree            TEXT    NOT NULL CHECK (degree IN ('close', 'secondary')),
    setting           TEXT    NOT NULL CHECK (setting IN ('checkpoint', 'household', 'workplace', 'other')),
    checkpoint_id     INTEGER REFERENCES checkpoints(id),
    first_at          INTEGER NOT NULL,
    last_at           INTEGER NOT NULL,
    closest_seconds   INTEGER,
    encounters        INTEGER NOT NULL,
    last_exposure_on  TEXT    NOT NULL,
    added_by          TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (case_id, person_id, source_person_id, setting)
);
CREATE INDEX contacts_person ON contacts (person_id, last_exposure_on);
CREATE INDEX contacts_exposure ON contacts (last_exposure_on, person_id);
