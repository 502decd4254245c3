-- ExamGuard schema version 4: sign-ins waiting for the provincial platform (REQUIREMENTS ID-4).
-- A sign-in is queued in the same transaction as the check-in that produced it, so an outage
-- of the platform or of the station loses none; the request (ID number, name, photos) is
-- stored encrypted like all personal data.
CREATE TABLE platform_outbox (
    id INTEGER PRIMARY KEY,
    candidate_id INTEGER REFERENCES candidate(id),
    id_number_masked TEXT NOT NULL,
    request_enc BLOB NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending_check'
        CHECK (state IN ('pending_check', 'pending_sign', 'done', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    response_json TEXT,
    queued_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX platform_outbox_due ON platform_outbox (state, next_attempt_at);
