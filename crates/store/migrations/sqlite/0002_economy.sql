-- Economic operation (经济运行): the indicators catalog, the regions compared, values per
-- period, and external evaluations. Amounts are integers in the indicator's base unit (fen,
-- cent, basis points); growth rates are basis points; booleans are 0/1.

CREATE TABLE econ_indicators (
    code          TEXT    PRIMARY KEY,
    name_zh       TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    measure       TEXT    NOT NULL CHECK (measure IN ('money', 'share', 'money_per_mu')),
    currency      TEXT    CHECK (currency IN ('CNY', 'USD')),
    period_kind   TEXT    NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
    aggregation   TEXT    NOT NULL CHECK (aggregation IN ('sum', 'level')),
    growth_basis  TEXT    NOT NULL CHECK (growth_basis IN ('nominal', 'comparable')),
    parent_code   TEXT    REFERENCES econ_indicators(code),
    sort          INTEGER NOT NULL,
    CHECK ((measure = 'share') = (currency IS NULL))
);

CREATE TABLE econ_regions (
    code     TEXT    PRIMARY KEY,
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    home     INTEGER NOT NULL CHECK (home IN (0, 1)),
    sort     INTEGER NOT NULL
);

CREATE TABLE econ_values (
    id                  INTEGER PRIMARY KEY,
    indicator_code      TEXT    NOT NULL REFERENCES econ_indicators(code),
    region_code         TEXT    NOT NULL REFERENCES econ_regions(code),
    period_kind         TEXT    NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
    year                INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    period_no           INTEGER NOT NULL,
    cumulative          INTEGER NOT NULL CHECK (cumulative IN (0, 1)),
    value               INTEGER,
    reported_growth_bp  INTEGER,
    source              TEXT    NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (indicator_code, region_code, period_kind, year, period_no, cumulative),
    CHECK (value IS NOT NULL OR reported_growth_bp IS NOT NULL),
    CHECK ((period_kind = 'year' AND period_no = 0 AND cumulative = 1)
        OR (period_kind = 'quarter' AND period_no BETWEEN 1 AND 4)
        OR (period_kind = 'month' AND period_no BETWEEN 1 AND 12))
);
CREATE INDEX econ_values_year ON econ_values (year, indicator_code, region_code);

-- External evaluations recorded as data, e.g. the national ranking of development zones.
CREATE TABLE econ_evaluations (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT    NOT NULL REFERENCES econ_regions(code),
    name           TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    year           INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    scope          TEXT    NOT NULL,
    rank           INTEGER NOT NULL CHECK (rank >= 1),
    previous_rank  INTEGER CHECK (previous_rank >= 1),
    publisher      TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    UNIQUE (region_code, name, category, year)
);

-- Investment conferences (招商大会), e.g. the 5th, whose signed projects the report counts.
CREATE TABLE econ_conferences (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    ordinal     INTEGER,
    held_on     TEXT    NOT NULL CHECK (length(held_on) = 10),
    created_at  INTEGER NOT NULL
);

-- Investment projects under the "3+1" mechanism. Calendar dates are ISO text (YYYY-MM-DD):
-- a signing day is a day in Jiaxing, not an instant. Amounts: total investment in fen, the
-- foreign amounts in minor units of foreign_currency.
CREATE TABLE econ_projects (
    id                  INTEGER PRIMARY KEY,
    code                TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    investor            TEXT    NOT NULL,
    country             TEXT    NOT NULL CHECK (length(country) = 2),
    fortune500          INTEGER NOT NULL CHECK (fortune500 IN (0, 1)),
    sector              TEXT    NOT NULL,
    region_code         TEXT    NOT NULL REFERENCES econ_regions(code),
    total_investment    INTEGER CHECK (total_investment >= 0),
    contracted_foreign  INTEGER CHECK (contracted_foreign >= 0),
    actual_foreign      INTEGER CHECK (actual_foreign >= 0),
    foreign_currency    TEXT    CHECK (foreign_currency IN ('CNY', 'USD')),
    conference_id       INTEGER REFERENCES econ_conferences(id),
    stage               TEXT    NOT NULL CHECK (stage IN ('negotiating', 'signed', 'started', 'completed')),
    licence_on          TEXT    CHECK (licence_on IS NULL OR length(licence_on) = 10),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX econ_projects_conference ON econ_projects (conference_id);

-- Every step of a project, in order; the project's stage is the last one's.
CREATE TABLE econ_project_stages (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES econ_projects(id),
    stage       TEXT    NOT NULL CHECK (stage IN ('negotiating', 'signed', 'started', 'completed')),
    on_date     TEXT    NOT NULL CHECK (length(on_date) = 10),
    reason      TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX econ_project_stages_project ON econ_project_stages (project_id, id);

-- Office buildings (楼宇经济) and the tax their tenants paid per year, in fen.
CREATE TABLE econ_buildings (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    region_code  TEXT    NOT NULL REFERENCES econ_regions(code),
    street       TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);

CREATE TABLE econ_building_taxes (
    building_id  INTEGER NOT NULL REFERENCES econ_buildings(id),
    year         INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    tax          INTEGER NOT NULL CHECK (tax >= 0),
    PRIMARY KEY (building_id, year)
);
CREATE INDEX econ_building_taxes_year ON econ_building_taxes (year, tax);

-- Facts of above-scale industrial enterprises for the per-mu evaluation (亩均效益), per year:
-- imported until the enterprise register holds them. Land in hundredths of a mu, amounts in fen.
CREATE TABLE econ_enterprise_facts (
    credit_code   TEXT    NOT NULL CHECK (length(credit_code) = 18),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    name          TEXT    NOT NULL,
    region_code   TEXT    NOT NULL REFERENCES econ_regions(code),
    land_centimu  INTEGER NOT NULL CHECK (land_centimu > 0),
    tax           INTEGER NOT NULL CHECK (tax >= 0),
    output        INTEGER NOT NULL CHECK (output >= 0),
    source        TEXT    NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (credit_code, year)
);
CREATE INDEX econ_enterprise_facts_year ON econ_enterprise_facts (year, region_code);

-- Economy settings as data: the summary templates and the per-mu weighting, as JSON text
-- checked by the app layer before it is written.
CREATE TABLE econ_settings (
    key         TEXT    PRIMARY KEY CHECK (key IN ('summary', 'per_mu')),
    value       TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);
