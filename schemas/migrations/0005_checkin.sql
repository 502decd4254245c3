-- ExamGuard schema version 5: what the identity check keeps (REQUIREMENTS ID-1..ID-3).

-- Face descriptors are biometric data: stored only encrypted (AES-256-GCM, the column's name
-- as associated data), like the photos they come from. They are kept across periods so a later
-- period's check-in can search earlier faces for impersonation. `model` names the network and
-- its version; descriptors of different models are never compared.
CREATE TABLE face_descriptor (
    id INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES candidate(id),
    source TEXT NOT NULL CHECK (source IN ('roster', 'id_card', 'live')),
    candidate_photo_id INTEGER REFERENCES candidate_photo(id),
    checkin_id INTEGER REFERENCES checkin(id),
    period_id INTEGER REFERENCES period(id),
    model TEXT NOT NULL,
    vector_enc BLOB NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((source = 'live') = (checkin_id IS NOT NULL)),
    UNIQUE (candidate_photo_id, model)
);
CREATE INDEX face_descriptor_model ON face_descriptor (model, id);

-- A live face that looks like someone else: closer to another identity than to its own
-- references, or matching a person already checked in under another identity.
CREATE TABLE impersonation_alert (
    id INTEGER PRIMARY KEY,
    checkin_id INTEGER NOT NULL REFERENCES checkin(id),
    presented_candidate_id INTEGER REFERENCES candidate(id),
    matched_candidate_id INTEGER NOT NULL REFERENCES candidate(id),
    matched_descriptor_id INTEGER NOT NULL REFERENCES face_descriptor(id),
    matched_source TEXT NOT NULL CHECK (matched_source IN ('roster', 'id_card', 'live')),
    matched_checkin_id INTEGER REFERENCES checkin(id),
    kind TEXT NOT NULL CHECK (kind IN ('closer_to_other', 'matches_checked_in')),
    distance_own REAL,
    distance_other REAL NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX impersonation_alert_checkin ON impersonation_alert (checkin_id);

-- What the decision rested on, beside the scores migration 3 already keeps.
ALTER TABLE checkin ADD COLUMN model TEXT;
ALTER TABLE checkin ADD COLUMN attempted_by TEXT;
ALTER TABLE checkin ADD COLUMN reasons_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE checkin ADD COLUMN card_photo_enc BLOB;
ALTER TABLE checkin ADD COLUMN card_source TEXT;
ALTER TABLE checkin ADD COLUMN card_nation TEXT;
ALTER TABLE checkin ADD COLUMN overridden_at TEXT;
