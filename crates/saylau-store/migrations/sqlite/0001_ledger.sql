-- The protocol store, schema version 1 (SQLite): the registry of elections, commissions,
-- polling stations and party lists; the commissions' public keys; the append-only log of
-- payload versions; and the index of each subject's current version.
-- Keep this file in step with ../postgres/0001_ledger.sql; the conformance suite runs both.
-- A later migration adds typed tables (such as protocol_lines) that reference
-- log_entries (seq), so the canonical payload stays the signed source of truth.

CREATE TABLE elections (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

-- The hierarchy CEC -> region TEC -> district TEC -> PEC of one election.
CREATE TABLE commissions (
    election_id TEXT NOT NULL REFERENCES elections (id),
    id TEXT NOT NULL,
    parent_id TEXT,
    level TEXT NOT NULL CHECK (level IN ('cec', 'region', 'district', 'pec')),
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, parent_id) REFERENCES commissions (election_id, id),
    CHECK ((level = 'cec') = (parent_id IS NULL))
) STRICT;

-- A polling station and the precinct commission (PEC) that counts it.
CREATE TABLE stations (
    election_id TEXT NOT NULL,
    id TEXT NOT NULL,
    commission_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, commission_id) REFERENCES commissions (election_id, id)
) STRICT;

-- Party lists in the order of their registration (the tie rule of art. 97-1).
CREATE TABLE lists (
    election_id TEXT NOT NULL REFERENCES elections (id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    registration INTEGER NOT NULL CHECK (registration >= 1),
    PRIMARY KEY (election_id, id),
    UNIQUE (election_id, registration)
) STRICT;

-- Public keys of commissions; id is the lowercase hex SHA-256 of public_key.
CREATE TABLE commission_keys (
    id TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 64),
    commission_id TEXT NOT NULL,
    public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    registered_at TEXT NOT NULL
) STRICT;

-- The log: one row per accepted version, never updated or deleted (triggers below).
CREATE TABLE log_entries (
    seq INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
    election_id TEXT NOT NULL REFERENCES elections (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    content_hash BLOB NOT NULL CHECK (length(content_hash) = 32),
    prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
    entry_hash BLOB NOT NULL UNIQUE CHECK (length(entry_hash) = 32),
    author TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES commission_keys (id),
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    payload BLOB NOT NULL,
    UNIQUE (election_id, kind, subject, version),
    CHECK (version = 1 OR (reason IS NOT NULL AND trim(reason) <> ''))
) STRICT;

-- The current version of every subject; it only moves forward, one version at a time.
CREATE TABLE current_versions (
    election_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (election_id, kind, subject),
    FOREIGN KEY (election_id, kind, subject, version)
        REFERENCES log_entries (election_id, kind, subject, version)
) STRICT;

CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'log_entries is append-only: UPDATE refused');
END;

CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'log_entries is append-only: DELETE refused');
END;

CREATE TRIGGER commission_keys_no_update BEFORE UPDATE ON commission_keys
BEGIN
    SELECT RAISE(ABORT, 'commission_keys is append-only: UPDATE refused');
END;

CREATE TRIGGER commission_keys_no_delete BEFORE DELETE ON commission_keys
BEGIN
    SELECT RAISE(ABORT, 'commission_keys is append-only: DELETE refused');
END;

CREATE TRIGGER current_versions_forward BEFORE UPDATE ON current_versions
WHEN NEW.election_id IS NOT OLD.election_id
    OR NEW.kind IS NOT OLD.kind
    OR NEW.subject IS NOT OLD.subject
    OR NEW.version IS NOT OLD.version + 1
BEGIN
    SELECT RAISE(ABORT, 'current_versions only moves forward by one version: UPDATE refused');
END;

CREATE TRIGGER current_versions_no_delete BEFORE DELETE ON current_versions
BEGIN
    SELECT RAISE(ABORT, 'current_versions keeps every subject: DELETE refused');
END;
