-- Staff accounts (customer-service representatives and administrators).
-- Usernames are stored lower case; ids are never reused (AUTOINCREMENT), so
-- a session token naming a removed account can never name a later one.
-- Times are epoch milliseconds (UTC).
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('rep', 'admin')),
    created_at     INTEGER NOT NULL
);
