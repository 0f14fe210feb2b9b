-- The protocol store, schema version 30 (PostgreSQL): the users of the working
-- interface, their server-side sessions and failed logins (docs/portal.md).
-- Keep this file in step with ../sqlite/0030_users.sql; the conformance suite runs both.
--
-- A user has one role and one territory: a commission id (`CEC`, `RR`, `RR-DD`,
-- `RR-DD-SSSS`) for the commissions' roles, or `observer:ORG` for an observer group's.
-- Only an argon2 hash of the password is kept (PHC string), only a SHA-256 of a session's
-- token, and failed logins are rows here, so that several portal instances on one store
-- count them together.

CREATE TABLE users (
    name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    password_hash TEXT NOT NULL CHECK (substr(password_hash, 1, 9) = '$argon2id'),
    role TEXT NOT NULL CHECK (role IN ('cec-admin', 'tec-operator', 'pec-operator',
        'observer-coordinator', 'observer')),
    territory TEXT NOT NULL CHECK (length(territory) BETWEEN 1 AND 80),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((role IN ('observer-coordinator', 'observer'))
        = (substr(territory, 1, 9) = 'observer:'))
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_name TEXT NOT NULL REFERENCES users (name),
    kind TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_name);

CREATE TABLE login_failures (
    name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name, at);
