-- The protocol store, schema version 10 (SQLite): the registry in the log
-- (docs/integrity.md). Every registration is also a signed log entry of kind `registry` in
-- the reserved election `saylau:store`, and revoked keys are kept here, each with the
-- entry that revoked it.
-- Keep this file in step with ../postgres/0010_registry_log.sql; the conformance suite
-- runs both.

INSERT INTO elections (id, name) VALUES ('saylau:store', 'registrations of the store');

CREATE TABLE key_revocations (
    key_id TEXT NOT NULL PRIMARY KEY REFERENCES commission_keys (id),
    seq INTEGER NOT NULL REFERENCES log_entries (seq),
    revoked_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER key_revocations_no_update BEFORE UPDATE ON key_revocations
BEGIN
    SELECT RAISE(ABORT, 'key_revocations is append-only: UPDATE refused');
END;

CREATE TRIGGER key_revocations_no_delete BEFORE DELETE ON key_revocations
BEGIN
    SELECT RAISE(ABORT, 'key_revocations is append-only: DELETE refused');
END;
