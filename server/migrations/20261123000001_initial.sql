-- Rendezvous store, first schema: room names, engine sessions and archives.
-- Times are epoch milliseconds (UTC).

-- A room name and the session it was first mapped to. The session may live
-- on the embedded engine or on the cloud provider, so there is no foreign key.
CREATE TABLE rooms (
    name        TEXT    PRIMARY KEY NOT NULL,
    session_id  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX rooms_by_session ON rooms (session_id);

-- Sessions created on the embedded engine.
CREATE TABLE sessions (
    id            TEXT    PRIMARY KEY NOT NULL,
    owner         TEXT    NOT NULL,
    media_mode    TEXT    NOT NULL CHECK (media_mode IN ('relayed', 'routed')),
    archive_mode  TEXT    NOT NULL CHECK (archive_mode IN ('manual', 'always')),
    location      TEXT,
    e2ee          INTEGER NOT NULL CHECK (e2ee IN (0, 1)),
    -- Settings for automatic archives of archive_mode = 'always' sessions.
    archive_name        TEXT,
    archive_resolution  TEXT,
    created_at    INTEGER NOT NULL
);

-- Archives of engine sessions. The queried fields are columns; `body` holds
-- the full archive object as JSON.
CREATE TABLE archives (
    id                 TEXT    PRIMARY KEY NOT NULL,
    session_id         TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    status             TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    multi_archive_tag  TEXT,
    layout             TEXT,
    body               TEXT    NOT NULL
);

CREATE INDEX archives_by_created ON archives (created_at DESC);
CREATE INDEX archives_by_session ON archives (session_id, created_at DESC);

-- At most one recording archive per session and tag (no tag counts as one tag).
CREATE UNIQUE INDEX archives_one_active_per_tag
    ON archives (session_id, COALESCE(multi_archive_tag, ''))
    WHERE status IN ('started', 'paused');
