-- ExamGuard schema version 6: exam-PC agent keys and imported agent reports (issue 8).

-- The Ed25519 public key enrolled for one filed machine (`examguard agent enroll`).
CREATE TABLE agent_key (
    id INTEGER PRIMARY KEY,
    machine_id INTEGER NOT NULL UNIQUE REFERENCES machine(id),
    public_key_pem TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
    enrolled_at TEXT NOT NULL
);

-- One row per imported report; the UNIQUE nonce refuses replays.
CREATE TABLE agent_report (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES period(id),
    machine_id INTEGER NOT NULL REFERENCES machine(id),
    nonce TEXT NOT NULL UNIQUE CHECK (length(nonce) = 32),
    reported_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    report_sha256 TEXT NOT NULL
);
CREATE INDEX agent_report_period ON agent_report (period_id);
