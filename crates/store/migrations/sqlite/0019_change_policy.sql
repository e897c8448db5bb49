-- The change policy (docs/RULES.md, "Change policy"): every colour change names the accounts
-- that caused it; records typed by staff for someone else name who typed them; changes that
-- make a code less strict than the rules, or act on a record someone else entered, wait as a
-- request that a second, different account approves from its own session; payments separate
-- submitter, approvers and payer.

-- Who caused a colour change: the path it came by (see the policy file), the account that
-- asked for it and the account that approved it (NULL when no second person was needed).
ALTER TABLE code_changes ADD COLUMN cause TEXT;
ALTER TABLE code_changes ADD COLUMN requested_by INTEGER REFERENCES users(id);
ALTER TABLE code_changes ADD COLUMN approved_by INTEGER REFERENCES users(id);

-- Who typed a declaration, its itinerary or a check-in: NULL when the person did it themself
-- (or a bulk load); an account id when staff entered it.
ALTER TABLE declarations ADD COLUMN entered_by INTEGER REFERENCES users(id);
ALTER TABLE itineraries ADD COLUMN entered_by INTEGER REFERENCES users(id);
ALTER TABLE check_ins ADD COLUMN entered_by INTEGER REFERENCES users(id);

-- The accounts behind a hand-set colour, by id (the text names stay for older rows).
ALTER TABLE code_overrides ADD COLUMN requested_by_id INTEGER REFERENCES users(id);
ALTER TABLE code_overrides ADD COLUMN decided_by_id INTEGER REFERENCES users(id);

-- A change waiting for a second person: what it is (kind and the input, as JSON, replayed on
-- approval in the approver's own transaction), where it lies (area path, for scope), who asked,
-- the reviewer named (if any), and the decision. Status moves forward only.
CREATE TABLE change_requests (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL,
    record_type    TEXT    NOT NULL,
    record_id      INTEGER NOT NULL,
    area_path      TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    requested_by   INTEGER NOT NULL REFERENCES users(id),
    requested_at   INTEGER NOT NULL,
    reviewer_id    INTEGER REFERENCES users(id),
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by     INTEGER REFERENCES users(id),
    decided_at     INTEGER,
    decision_note  TEXT
);
CREATE INDEX change_requests_status ON change_requests (status, id);
CREATE UNIQUE INDEX change_requests_one_pending
    ON change_requests (kind, record_type, record_id) WHERE status = 'pending';

-- Quarantine shortening: the reviewer is an account that approved from its own session.
ALTER TABLE quarantine_end_changes ADD COLUMN reviewer_id INTEGER REFERENCES users(id);

-- Payments: the first approval of an application above the two-approver amount, and the
-- paying account by id.
ALTER TABLE ent_applications ADD COLUMN first_reviewer_id INTEGER REFERENCES users(id);
ALTER TABLE ent_applications ADD COLUMN first_reviewed_at INTEGER;
ALTER TABLE ent_disbursements ADD COLUMN paid_by_id INTEGER REFERENCES users(id);
