-- The protocol store, schema version 21 (PostgreSQL): observers' incident reports, their
-- follow-up, and the evidence files stored with them (docs/observation.md, "Incidents").
-- Keep this file in step with ../sqlite/0021_incidents.sql; the conformance suite runs
-- both.
--
-- An incident report (kind `incident`) and each change of its follow-up state (kind
-- `incident-state`) are log entries signed by an observer organisation's key, like its
-- copies and statuses (migration 0020): the trigger function of 0020 is replaced by one
-- that names all four observer kinds. An observer key still signs nothing else, and a
-- commission key none of them.

CREATE OR REPLACE FUNCTION log_entries_observer_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    observer_kind boolean := NEW.kind IN
        ('observer-copy', 'observer-status', 'incident', 'incident-state');
    observer_key boolean := EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:');
BEGIN
    IF observer_key AND NOT observer_kind THEN
        RAISE EXCEPTION 'an observer key signs only observer copies, statuses and incidents'
            USING ERRCODE = 'check_violation';
    END IF;
    IF observer_kind AND NOT observer_key THEN
        RAISE EXCEPTION 'only an observer key signs observer copies, statuses and incidents'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

-- Evidence files of incident reports, content-addressed: sha256 is the SHA-256 of bytes,
-- which the signed report names; a reader recomputes it on every read. Insert-only.
CREATE TABLE incident_evidence (
    sha256 BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(sha256) = 32),
    bytes BYTEA NOT NULL,
    stored_at TEXT NOT NULL
);

CREATE TRIGGER incident_evidence_no_update_delete BEFORE UPDATE OR DELETE ON incident_evidence
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER incident_evidence_no_truncate BEFORE TRUNCATE ON incident_evidence
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
