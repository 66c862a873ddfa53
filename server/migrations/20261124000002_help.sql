-- Customer service (seed 002): every help session, its place in the queue
-- and how it ended. One row per help session, kept for the history and the
-- metrics. Times are epoch milliseconds (UTC).
--
-- state: created (asked, not queued yet) → waiting (in the queue) →
-- answered (a representative took it) → ended (with an outcome). A waiting
-- customer handed back (the representative went away) is waiting again
-- with the same queue_seq, so they keep their place.
CREATE TABLE help_sessions (
    -- The help session's media session (seed 002's `sessionId`).
    session_id     TEXT    PRIMARY KEY NOT NULL,
    customer_name  TEXT    NOT NULL,
    problem_text   TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'created'
                   CHECK (state IN ('created', 'waiting', 'answered', 'ended')),
    created_at     INTEGER NOT NULL,
    enqueued_at    INTEGER,
    answered_at    INTEGER,
    ended_at       INTEGER,
    -- The queue order: assigned once, on the first enqueue, increasing.
    queue_seq      INTEGER UNIQUE,
    -- The representative who answered; the name is kept should the account go.
    rep_id         INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    rep_name       TEXT,
    outcome        TEXT
                   CHECK (outcome IN ('served', 'cancelled', 'abandoned', 'skipped')),
    CHECK ((state = 'ended') = (outcome IS NOT NULL)),
    CHECK (state IN ('created', 'ended') OR queue_seq IS NOT NULL)
);

-- The queue: waiting sessions in order (dequeue, positions, the count).
CREATE INDEX help_queue_order ON help_sessions (queue_seq) WHERE state = 'waiting';
-- Sessions still open (restored after a restart).
CREATE INDEX help_open ON help_sessions (state) WHERE state <> 'ended';
-- The history, newest first.
CREATE INDEX help_by_created ON help_sessions (created_at DESC);
-- Metrics: waits and calls per hour by answer time, outcomes by end time.
CREATE INDEX help_by_answered ON help_sessions (answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX help_by_ended ON help_sessions (ended_at) WHERE ended_at IS NOT NULL;
