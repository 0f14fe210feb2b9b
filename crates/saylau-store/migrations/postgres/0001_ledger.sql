-- The protocol store, schema version 1 (PostgreSQL): the registry of elections,
-- commissions, polling stations and party lists; the commissions' public keys; the
-- append-only log of payload versions; and the index of each subject's current version.
-- Keep this file in step with ../sqlite/0001_ledger.sql; the conformance suite runs both.
-- A later migration adds typed tables (such as protocol_lines) that reference
-- log_entries (seq), so the canonical payload stays the signed source of truth.

CREATE TABLE elections (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL
);

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
);

-- A polling station and the precinct commission (PEC) that counts it.
CREATE TABLE stations (
    election_id TEXT NOT NULL,
    id TEXT NOT NULL,
    commission_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, commission_id) REFERENCES commissions (election_id, id)
);

-- Party lists in the order of their registration (the tie rule of art. 97-1).
CREATE TABLE lists (
    election_id TEXT NOT NULL REFERENCES elections (id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    registration BIGINT NOT NULL CHECK (registration >= 1),
    PRIMARY KEY (election_id, id),
    UNIQUE (election_id, registration)
);

-- Public keys of commissions; id is the lowercase hex SHA-256 of public_key.
CREATE TABLE commission_keys (
    id TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 64),
    commission_id TEXT NOT NULL,
    public_key BYTEA NOT NULL UNIQUE CHECK (octet_length(public_key) = 32),
    registered_at TEXT NOT NULL
);

-- The log: one row per accepted version, never updated or deleted (triggers below).
CREATE TABLE log_entries (
    seq BIGINT NOT NULL PRIMARY KEY CHECK (seq >= 1),
    election_id TEXT NOT NULL REFERENCES elections (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    content_hash BYTEA NOT NULL CHECK (octet_length(content_hash) = 32),
    prev_hash BYTEA NOT NULL CHECK (octet_length(prev_hash) = 32),
    entry_hash BYTEA NOT NULL UNIQUE CHECK (octet_length(entry_hash) = 32),
    author TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES commission_keys (id),
    signature BYTEA NOT NULL CHECK (octet_length(signature) = 64),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    payload BYTEA NOT NULL,
    UNIQUE (election_id, kind, subject, version),
    CHECK (version = 1 OR (reason IS NOT NULL AND trim(reason) <> ''))
);

-- The current version of every subject; it only moves forward, one version at a time.
CREATE TABLE current_versions (
    election_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (election_id, kind, subject),
    FOREIGN KEY (election_id, kind, subject, version)
        REFERENCES log_entries (election_id, kind, subject, version)
);

CREATE FUNCTION saylau_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE FUNCTION saylau_current_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.election_id IS DISTINCT FROM OLD.election_id
        OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.subject IS DISTINCT FROM OLD.subject
        OR NEW.version IS DISTINCT FROM OLD.version + 1 THEN
        RAISE EXCEPTION 'current_versions only moves forward by one version: UPDATE refused'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER log_entries_no_update_delete BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER commission_keys_no_update_delete BEFORE UPDATE OR DELETE ON commission_keys
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER commission_keys_no_truncate BEFORE TRUNCATE ON commission_keys
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER current_versions_forward BEFORE UPDATE ON current_versions
    FOR EACH ROW EXECUTE FUNCTION saylau_current_forward();
CREATE TRIGGER current_versions_no_delete BEFORE DELETE ON current_versions
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER current_versions_no_truncate BEFORE TRUNCATE ON current_versions
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
