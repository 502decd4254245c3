-- ExamGuard schema version 2: the tamper-evident event log and the station's users.

-- Append-only: each entry carries the SHA-256 of its canonical content and of the
-- previous entry (see docs/formats/event-log.md). The triggers stop honest code from
-- rewriting history; a forger who drops them is caught by `examguard log verify`.
CREATE TABLE event_log (
    seq INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    period_id INTEGER,
    payload TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    prev_sha256 TEXT NOT NULL,
    entry_sha256 TEXT NOT NULL UNIQUE
);
CREATE INDEX event_log_period ON event_log (period_id, seq);

CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
BEGIN
    SELECT RAISE(ABORT, 'event_log is append-only');
END;

CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
BEGIN
    SELECT RAISE(ABORT, 'event_log is append-only');
END;

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('proctor', 'sysadmin', 'inspector', 'admin')),
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
