-- Quarantine (隔离): centralized sites with rooms and staff, home quarantine run by a
-- community's team, orders with their stays, end-date changes, twice-daily follow-up checks,
-- nucleic-acid tests, alerts, the per-reason rules, and the foreign-returnee desk
-- (外籍返嘉人员服务专班). Days are ISO text in Asia/Shanghai, instants integer milliseconds UTC.

CREATE TABLE quarantine_sites (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    address      TEXT    NOT NULL DEFAULT '',
    street_id    INTEGER NOT NULL REFERENCES areas(id),
    area_path    TEXT    NOT NULL,
    retired_at   INTEGER,
    created_at   INTEGER NOT NULL
);

CREATE TABLE quarantine_rooms (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES quarantine_sites(id),
    floor        INTEGER NOT NULL,
    number       TEXT    NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    UNIQUE (site_id, number)
);
CREATE INDEX quarantine_rooms_site ON quarantine_rooms (site_id, floor, number);

-- The staff of a site, or the home-quarantine team of a community: exactly one of the two.
CREATE TABLE quarantine_team (
    id            INTEGER PRIMARY KEY,
    site_id       INTEGER REFERENCES quarantine_sites(id),
    community_id  INTEGER REFERENCES areas(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    CHECK ((site_id IS NULL) <> (community_id IS NULL))
);
CREATE UNIQUE INDEX quarantine_team_site ON quarantine_team (site_id, user_id) WHERE site_id IS NOT NULL;
CREATE UNIQUE INDEX quarantine_team_community ON quarantine_team (community_id, user_id) WHERE community_id IS NOT NULL;

-- How long each reason quarantines, and how many negative tests a release needs.
CREATE TABLE quarantine_rules (
    reason            TEXT    PRIMARY KEY CHECK (reason IN ('close_contact', 'risk_area_arrival',
                                'foreign_arrival', 'discharged_case', 'other')),
    centralized_days  INTEGER NOT NULL CHECK (centralized_days BETWEEN 1 AND 60),
    home_days         INTEGER NOT NULL CHECK (home_days BETWEEN 1 AND 60),
    home_after_days   INTEGER NOT NULL CHECK (home_after_days BETWEEN 0 AND 60),
    negative_tests    INTEGER NOT NULL CHECK (negative_tests BETWEEN 0 AND 10),
    updated_at        INTEGER NOT NULL
);
INSERT INTO quarantine_rules VALUES ('close_contact', 14, 14, 0, 2, 0);
INSERT INTO quarantine_rules VALUES ('risk_area_arrival', 14, 14, 0, 1, 0);
INSERT INTO quarantine_rules VALUES ('foreign_arrival', 14, 14, 7, 2, 0);
INSERT INTO quarantine_rules VALUES ('discharged_case', 14, 14, 0, 2, 0);
INSERT INTO quarantine_rules VALUES ('other', 14, 14, 0, 1, 0);

CREATE TABLE quarantine_orders (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES persons(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('centralized', 'home')),
    reason           TEXT    NOT NULL CHECK (reason IN ('close_contact', 'risk_area_arrival',
                                'foreign_arrival', 'discharged_case', 'other')),
    state            TEXT    NOT NULL CHECK (state IN ('ordered', 'in_quarantine', 'released',
                                'transferred_to_hospital')),
    start_on         TEXT    NOT NULL,
    planned_end_on   TEXT    NOT NULL,
    site_id          INTEGER REFERENCES quarantine_sites(id),
    room_id          INTEGER REFERENCES quarantine_rooms(id),
    community_id     INTEGER NOT NULL REFERENCES areas(id),
    street_id        INTEGER NOT NULL REFERENCES areas(id),
    area_path        TEXT    NOT NULL,
    entered_on       TEXT,
    ended_on         TEXT,
    note             TEXT    NOT NULL DEFAULT '',
    follows_order_id INTEGER REFERENCES quarantine_orders(id),
    case_id          INTEGER REFERENCES cases(id),
    contact_id       INTEGER REFERENCES contacts(id),
    created_by       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK ((kind = 'centralized') = (site_id IS NOT NULL))
);
-- A person has at most one active order.
CREATE UNIQUE INDEX quarantine_orders_active ON quarantine_orders (person_id)
    WHERE state IN ('ordered', 'in_quarantine');
CREATE INDEX quarantine_orders_person ON quarantine_orders (person_id, id);
CREATE INDEX quarantine_orders_state ON quarantine_orders (state, planned_end_on);
CREATE INDEX quarantine_orders_entered ON quarantine_orders (entered_on, ended_on);
CREATE INDEX quarantine_orders_room ON quarantine_orders (room_id, state);
CREATE INDEX quarantine_orders_scope ON quarantine_orders (area_path, id);

-- Where an order was kept from which day: a site and room, or home in a community. A
-- transfer closes one stay and opens the next; occupancy on any past day reads from here.
CREATE TABLE quarantine_stays (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES quarantine_orders(id),
    site_id       INTEGER REFERENCES quarantine_sites(id),
    room_id       INTEGER REFERENCES quarantine_rooms(id),
    community_id  INTEGER NOT NULL REFERENCES areas(id),
    from_on       TEXT    NOT NULL,
    until_on      TEXT
);
CREATE INDEX quarantine_stays_order ON quarantine_stays (order_id, from_on);
CREATE INDEX quarantine_stays_site ON quarantine_stays (site_id, from_on);

-- Every change of the planned end: an extension by anyone who runs the order, a shortening
-- only with a reviewer and a reason.
CREATE TABLE quarantine_end_changes (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES quarantine_orders(id),
    old_end_on   TEXT    NOT NULL,
    new_end_on   TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    changed_by   TEXT    NOT NULL,
    reviewer     TEXT,
    at           INTEGER NOT NULL
);
CREATE INDEX quarantine_end_changes_order ON quarantine_end_changes (order_id, id);

-- Follow-up tasks: two temperature checks a day for everyone in quarantine, each assigned to
-- one member of the site's staff or the community's team; done when the check is entered.
CREATE TABLE quarantine_checks (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES quarantine_orders(id),
    day           TEXT    NOT NULL,
    slot          INTEGER NOT NULL CHECK (slot IN (1, 2)),
    site_id       INTEGER REFERENCES quarantine_sites(id),
    community_id  INTEGER NOT NULL REFERENCES areas(id),
    street_id     INTEGER NOT NULL REFERENCES areas(id),
    assignee_id   INTEGER REFERENCES users(id),
    due_at        INTEGER NOT NULL,
    done_at       INTEGER,
    done_by       TEXT,
    temperature   REAL,
    symptoms      TEXT,
    UNIQUE (order_id, day, slot)
);
CREATE INDEX quarantine_checks_day ON quarantine_checks (day, street_id);
CREATE INDEX quarantine_checks_site ON quarantine_checks (site_id, day);
CREATE INDEX quarantine_checks_assignee ON quarantine_checks (assignee_id, day);
CREATE INDEX quarantine_checks_open ON quarantine_checks (done_at, day);

-- Nucleic-acid tests (核酸检测): sampled on a day, result later.
CREATE TABLE quarantine_tests (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES quarantine_orders(id),
    sampled_on   TEXT    NOT NULL,
    result       TEXT    NOT NULL CHECK (result IN ('pending', 'negative', 'positive')),
    result_on    TEXT,
    recorded_by  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX quarantine_tests_order ON quarantine_tests (order_id, sampled_on);

-- A fever or a positive test: raised to the person's community and the command centre.
CREATE TABLE quarantine_alerts (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES quarantine_orders(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('fever', 'positive')),
    day              TEXT    NOT NULL,
    detail           TEXT    NOT NULL,
    community_id     INTEGER NOT NULL REFERENCES areas(id),
    street_id        INTEGER NOT NULL REFERENCES areas(id),
    created_at       INTEGER NOT NULL,
    acknowledged_at  INTEGER,
    acknowledged_by  TEXT
);
CREATE INDEX quarantine_alerts_day ON quarantine_alerts (day, id);
CREATE INDEX quarantine_alerts_community ON quarantine_alerts (community_id, day);

-- Foreign arrivals registered at the returnee desk; nationality and passport are on the person.
CREATE TABLE returnee_arrivals (
    id                   INTEGER PRIMARY KEY,
    person_id            INTEGER NOT NULL REFERENCES persons(id),
    language             TEXT    NOT NULL,
    flight               TEXT    NOT NULL,
    arrival_on           TEXT    NOT NULL,
    community_id         INTEGER NOT NULL REFERENCES areas(id),
    certificate          TEXT,
    certificate_status   TEXT    NOT NULL CHECK (certificate_status IN ('valid', 'invalid', 'none')),
    certificate_detail   TEXT    NOT NULL DEFAULT '',
    officer_id           INTEGER REFERENCES users(id),
    order_id             INTEGER REFERENCES quarantine_orders(id),
    created_by           TEXT    NOT NULL,
    created_at           INTEGER NOT NULL
);
CREATE INDEX returnee_arrivals_day ON returnee_arrivals (arrival_on, id);
CREATE INDEX returnee_arrivals_person ON returnee_arrivals (person_id);
