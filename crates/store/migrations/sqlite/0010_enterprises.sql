-- Enterprise service (三服务): enterprises, the three-level grid, officers, visits and checks,
-- daily resumption reports, electricity, requests with their steps, policy payouts,
-- applications and the disbursement ledger (money in fen).

CREATE TABLE ent_grids (
    id              INTEGER PRIMARY KEY,
    level           TEXT   NOT NULL CHECK (level IN ('grid', 'sub_grid', 'micro_grid')),
    parent_id       INTEGER REFERENCES ent_grids(id),
    street_id       INTEGER NOT NULL REFERENCES areas(id),
    name            TEXT   NOT NULL,
    keeper_user_id  INTEGER REFERENCES users(id),
    keeper_name     TEXT   NOT NULL DEFAULT '',
    keeper_phone    TEXT   NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    UNIQUE (street_id, level, name)
);
CREATE INDEX ent_grids_parent ON ent_grids (parent_id, id);
CREATE INDEX ent_grids_keeper ON ent_grids (keeper_user_id);

CREATE TABLE enterprises (
    id               INTEGER PRIMARY KEY,
    credit_code      TEXT   NOT NULL UNIQUE CHECK (length(credit_code) = 18),
    name             TEXT   NOT NULL,
    sector           TEXT   NOT NULL CHECK (sector IN ('industry', 'service', 'construction')),
    above_size       INTEGER NOT NULL CHECK (above_size IN (0, 1)),
    fortune500       INTEGER NOT NULL CHECK (fortune500 IN (0, 1)),
    major_project    INTEGER NOT NULL CHECK (major_project IN (0, 1)),
    street_id        INTEGER NOT NULL REFERENCES areas(id),
    area_path        TEXT   NOT NULL,
    micro_grid_id    INTEGER NOT NULL REFERENCES ent_grids(id),
    address          TEXT   NOT NULL,
    employees        INTEGER NOT NULL CHECK (employees >= 0),
    land_centimu     INTEGER NOT NULL CHECK (land_centimu >= 0),
    tax_fen          INTEGER NOT NULL CHECK (tax_fen >= 0),
    contact_name     TEXT   NOT NULL,
    contact_phone    TEXT   NOT NULL,
    chartered_buses  INTEGER NOT NULL DEFAULT 0 CHECK (chartered_buses >= 0),
    new_hires        INTEGER NOT NULL DEFAULT 0 CHECK (new_hires >= 0),
    talent_hires     INTEGER NOT NULL DEFAULT 0 CHECK (talent_hires >= 0),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX enterprises_street ON enterprises (street_id, id);
CREATE INDEX enterprises_grid ON enterprises (micro_grid_id, id);
CREATE INDEX enterprises_sector ON enterprises (sector, id);

-- The accounts that speak for an enterprise (role enterprise_contact).
CREATE TABLE ent_contacts (
    user_id        INTEGER PRIMARY KEY REFERENCES users(id),
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id)
);
CREATE INDEX ent_contacts_enterprise ON ent_contacts (enterprise_id);

CREATE TABLE ent_officers (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER UNIQUE REFERENCES users(id),
    kind        TEXT   NOT NULL CHECK (kind IN ('enterprise', 'prevention', 'policy')),
    name        TEXT   NOT NULL,
    phone       TEXT   NOT NULL,
    department  TEXT   NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE ent_assignments (
    officer_id     INTEGER NOT NULL REFERENCES ent_officers(id),
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    since          INTEGER NOT NULL,
    PRIMARY KEY (officer_id, enterprise_id)
);
CREATE INDEX ent_assignments_enterprise ON ent_assignments (enterprise_id);

CREATE TABLE ent_visits (
    id             INTEGER PRIMARY KEY,
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    officer_id     INTEGER NOT NULL REFERENCES ent_officers(id),
    visited_on     TEXT   NOT NULL,
    note           TEXT   NOT NULL,
    -- A prevention check made on the visit (方案 / 人员 / 现场); NULL when none was made.
    plan_ok        INTEGER CHECK (plan_ok IN (0, 1)),
    staff_ok       INTEGER CHECK (staff_ok IN (0, 1)),
    site_ok        INTEGER CHECK (site_ok IN (0, 1)),
    findings       TEXT   NOT NULL DEFAULT '',
    follow_up      TEXT   NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
);
CREATE INDEX ent_visits_enterprise ON ent_visits (enterprise_id, id);
CREATE INDEX ent_visits_officer ON ent_visits (officer_id, id);

CREATE TABLE ent_reports (
    enterprise_id     INTEGER NOT NULL REFERENCES enterprises(id),
    day               TEXT   NOT NULL,
    resumed           INTEGER NOT NULL CHECK (resumed IN (0, 1)),
    on_site           INTEGER NOT NULL CHECK (on_site >= 0),
    total             INTEGER NOT NULL CHECK (total >= 0 AND on_site <= total),
    returned_outside  INTEGER NOT NULL CHECK (returned_outside >= 0),
    in_quarantine     INTEGER NOT NULL CHECK (in_quarantine >= 0),
    capacity_pct      INTEGER NOT NULL CHECK (capacity_pct BETWEEN 0 AND 100),
    masks             INTEGER NOT NULL CHECK (masks >= 0),
    materials_days    INTEGER NOT NULL CHECK (materials_days >= 0),
    problems          TEXT   NOT NULL,
    reported_by       INTEGER REFERENCES users(id),
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, day)
);
CREATE INDEX ent_reports_day ON ent_reports (day, enterprise_id);

-- Daily electricity use per enterprise, in kWh, from the grid company.
CREATE TABLE ent_electricity (
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    day            TEXT   NOT NULL,
    kwh            INTEGER NOT NULL CHECK (kwh >= 0),
    PRIMARY KEY (enterprise_id, day)
);

CREATE TABLE ent_requests (
    id             INTEGER PRIMARY KEY,
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    category       TEXT   NOT NULL CHECK (category IN ('workers', 'materials', 'logistics', 'finance', 'permits', 'policy', 'other')),
    complexity     TEXT   NOT NULL CHECK (complexity IN ('simple', 'complex')),
    title          TEXT   NOT NULL,
    detail         TEXT   NOT NULL,
    status         TEXT   NOT NULL CHECK (status IN ('received', 'assigned', 'answered', 'closed')),
    level          TEXT   NOT NULL CHECK (level IN ('micro_grid', 'grid', 'command_centre', 'department')),
    officer_id     INTEGER REFERENCES ent_officers(id),
    department     TEXT   NOT NULL DEFAULT '',
    raised_by      INTEGER REFERENCES users(id),
    received_at    INTEGER NOT NULL,
    deadline_at    INTEGER NOT NULL,
    assigned_at    INTEGER,
    answered_at    INTEGER,
    answer         TEXT   NOT NULL DEFAULT '',
    closed_at      INTEGER,
    satisfaction   INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    feedback       TEXT   NOT NULL DEFAULT ''
);
-- The overdue list: open requests by deadline.
CREATE INDEX ent_requests_open ON ent_requests (status, deadline_at, id);
CREATE INDEX ent_requests_enterprise ON ent_requests (enterprise_id, id);
CREATE INDEX ent_requests_officer ON ent_requests (officer_id, id);

-- Every step of a request, timestamped and attributed.
CREATE TABLE ent_request_steps (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES ent_requests(id),
    at          INTEGER NOT NULL,
    action      TEXT   NOT NULL CHECK (action IN ('receive', 'assign', 'escalate', 'answer', 'feedback')),
    level       TEXT   NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    username    TEXT   NOT NULL,
    note        TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX ent_request_steps_request ON ent_request_steps (request_id, id);

CREATE TABLE ent_applications (
    id             INTEGER PRIMARY KEY,
    policy_code    TEXT   NOT NULL,
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    status         TEXT   NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    requested_fen  INTEGER NOT NULL CHECK (requested_fen > 0),
    statement      TEXT   NOT NULL,
    submitted_by   INTEGER REFERENCES users(id),
    submitted_at   INTEGER NOT NULL,
    reviewer_id    INTEGER REFERENCES users(id),
    reasons        TEXT   NOT NULL DEFAULT '',
    reviewed_at    INTEGER
);
CREATE INDEX ent_applications_status ON ent_applications (status, id);
CREATE INDEX ent_applications_enterprise ON ent_applications (enterprise_id, id);

-- One payout per enterprise and policy: matching twice, or approving a second application
-- of the same policy, cannot pay twice.
CREATE TABLE ent_payouts (
    id              INTEGER PRIMARY KEY,
    policy_code     TEXT   NOT NULL,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises(id),
    mode            TEXT   NOT NULL CHECK (mode IN ('automatic', 'application')),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    evidence        TEXT   NOT NULL,
    application_id  INTEGER REFERENCES ent_applications(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (policy_code, enterprise_id)
);
CREATE INDEX ent_payouts_enterprise ON ent_payouts (enterprise_id);

-- The ledger: a payout is paid once (payout_id unique); a retried payment carries the same
-- idempotency key and finds its entry instead of paying again.
CREATE TABLE ent_disbursements (
    id               INTEGER PRIMARY KEY,
    payout_id        INTEGER NOT NULL UNIQUE REFERENCES ent_payouts(id),
    idempotency_key  TEXT   NOT NULL UNIQUE,
    amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_at          INTEGER NOT NULL,
    paid_by          TEXT   NOT NULL
);
