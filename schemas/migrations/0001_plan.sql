-- ExamGuard schema version 1: what a site files before an exam period.
-- Portable SQL: the same statements run on PostgreSQL for a centre with several rooms.

CREATE TABLE site (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT
);

CREATE TABLE room (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES site(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('theory', 'practical', 'waiting')),
    UNIQUE (site_id, code)
);

CREATE TABLE camera (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES room(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position TEXT,
    stream_uri TEXT,
    UNIQUE (room_id, code)
);

-- 期次: one training class of one trade, sealed into one archive (一期一档).
CREATE TABLE period (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES site(id),
    code TEXT NOT NULL UNIQUE,
    institution TEXT NOT NULL,
    trade TEXT NOT NULL,
    training_type TEXT NOT NULL CHECK (training_type IN ('initial', 'renewal')),
    number TEXT NOT NULL,
    retention_class TEXT NOT NULL
        CHECK (retention_class IN ('special_operations', 'principal_safety_manager', 'certificate_validity')),
    retention_years INTEGER NOT NULL CHECK (retention_years >= 3),
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'open', 'closed', 'sealed')),
    plan_json TEXT,          -- the imported plan document (no personal data of candidates)
    plan_sha256 TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sitting (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES period(id),
    room_id INTEGER NOT NULL REFERENCES room(id),
    subject TEXT NOT NULL CHECK (subject IN ('theory', 'practical')),
    round TEXT NOT NULL CHECK (round IN ('main', 'retake')),
    planned_start TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    CHECK (planned_end > planned_start),
    UNIQUE (period_id, subject, round, room_id)
);

-- Personal data is stored encrypted (AES-256-GCM); the keyed hash finds a candidate by ID
-- number without decrypting, and the masked form is what screens and logs show.
CREATE TABLE candidate (
    id INTEGER PRIMARY KEY,
    id_number_hmac TEXT NOT NULL UNIQUE,
    id_number_masked TEXT NOT NULL,
    id_number_enc BLOB NOT NULL,
    name_enc BLOB NOT NULL,
    gender TEXT CHECK (gender IN ('male', 'female')),
    created_at TEXT NOT NULL
);

-- Reference photos of a candidate (roster, ID card), kept across periods so a later
-- period's check-in can search them for impersonation. Encrypted like the rest.
CREATE TABLE candidate_photo (
    id INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES candidate(id),
    source TEXT NOT NULL CHECK (source IN ('roster', 'id_card')),
    period_id INTEGER REFERENCES period(id),
    image_enc BLOB NOT NULL,
    image_sha256 TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (candidate_id, image_sha256)
);

CREATE TABLE enrollment (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES period(id),
    candidate_id INTEGER NOT NULL REFERENCES candidate(id),
    seat TEXT NOT NULL,
    exam_number TEXT,
    UNIQUE (period_id, candidate_id),
    UNIQUE (period_id, seat)
);

-- 报备 machine registry: what each seat's PC must be.
CREATE TABLE machine (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES room(id),
    seat TEXT NOT NULL,
    hostname TEXT,
    mac TEXT NOT NULL UNIQUE,
    ip TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT 'candidate' CHECK (role IN ('candidate', 'server', 'proctor')),
    UNIQUE (room_id, seat)
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES site(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('proctor', 'examiner', 'sysadmin')),
    affiliation TEXT NOT NULL,
    UNIQUE (site_id, name, role)
);

-- Who the plan puts on duty for a period (and optionally one sitting).
CREATE TABLE staff_assignment (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES period(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    sitting_id INTEGER REFERENCES sitting(id),
    UNIQUE (period_id, staff_id, sitting_id)
);
