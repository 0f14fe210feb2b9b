-- The protocol store, schema version 10 (PostgreSQL): the registry in the log
-- (docs/integrity.md). Every registration is also a signed log entry of kind `registry` in
-- the reserved election `saylau:store`, and revoked keys are kept here, each with the
-- entry that revoked it.
-- Keep this file in step with ../sqlite/0010_registry_log.sql; the conformance suite
-- runs both.

INSERT INTO elections (id, name) VALUES ('saylau:store', 'registrations of the store');

CREATE TABLE key_revocations (
    key_id TEXT NOT NULL PRIMARY KEY REFERENCES commission_keys (id),
    seq BIGINT NOT NULL REFERENCES log_entries (seq),
    revoked_at TEXT NOT NULL
);

CREATE TRIGGER key_revocations_no_update_delete BEFORE UPDATE OR DELETE ON key_revocations
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER key_revocations_no_truncate BEFORE TRUNCATE ON key_revocations
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
