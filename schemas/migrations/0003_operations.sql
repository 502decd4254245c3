-- ExamGuard schema version 3: what happens during an exam period.

CREATE TABLE checkin (
    id INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sitting(id),
    candidate_id INTEGER REFERENCES candidate(id),
    id_number_masked TEXT NOT NULL,
    attempted_at TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('pass', 'refuse', 'review')),
    reason TEXT,
    score_id_photo REAL,
    score_roster_photo REAL,
    liveness TEXT CHECK (liveness IN ('live', 'spoof', 'uncertain', 'not_checked')),
    liveness_score REAL,
    snapshot_enc BLOB,
    override_decision TEXT CHECK (override_decision IN ('pass', 'refuse')),
    override_reason TEXT,
    override_by INTEGER REFERENCES app_user(id),
    CHECK (override_decision IS NULL OR length(trim(override_reason)) > 0)
);
CREATE INDEX checkin_sitting ON checkin (sitting_id, candidate_id);

-- Findings from the LAN audit and from the exam-PC agent share one table.
CREATE TABLE lan_finding (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES period(id),
    sitting_id INTEGER REFERENCES sitting(id),
    source TEXT NOT NULL CHECK (source IN ('lan_passive', 'lan_active', 'agent')),
    kind TEXT NOT NULL,
    app TEXT,
    ip TEXT,
    mac TEXT,
    seat TEXT,
    evidence TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX lan_finding_period ON lan_finding (period_id);

CREATE TABLE camera_event (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera(id),
    sitting_id INTEGER REFERENCES sitting(id),
    kind TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT,
    confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    snapshot BLOB
);
CREATE INDEX camera_event_camera ON camera_event (camera_id, start_at);

CREATE TABLE recording_segment (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera(id),
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL CHECK (bytes >= 0),
    keep_until TEXT NOT NULL
);
CREATE INDEX recording_segment_camera ON recording_segment (camera_id, start_at);

CREATE TABLE score (
    id INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sitting(id),
    candidate_id INTEGER NOT NULL REFERENCES candidate(id),
    points REAL,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    absent INTEGER NOT NULL DEFAULT 0 CHECK (absent IN (0, 1)),
    recorded_at TEXT NOT NULL,
    UNIQUE (sitting_id, candidate_id)
);
