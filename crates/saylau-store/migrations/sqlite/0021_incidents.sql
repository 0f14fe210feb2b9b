-- The protocol store, schema version 21 (SQLite): observers' incident reports, their
-- follow-up, and the evidence files stored with them (docs/observation.md, "Incidents").
-- Keep this file in step with ../postgres/0021_incidents.sql; the conformance suite
-- runs both.
--
-- An incident report (kind `incident`) and each change of its follow-up state (kind
-- `incident-state`) are log entries signed by an observer organisation's key, like its
-- copies and statuses (migration 0020): the triggers of 0020 are replaced by triggers that
-- name all four observer kinds. An observer key still signs nothing else, and a
-- commission key none of them.

DROP TRIGGER log_entries_observer_key_official;
DROP TRIGGER log_entries_commission_key_copy;

CREATE TRIGGER log_entries_observer_key_official BEFORE INSERT ON log_entries
WHEN NEW.kind NOT IN ('observer-copy', 'observer-status', 'incident', 'incident-state')
    AND EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:')
BEGIN
    SELECT RAISE(ABORT, 'an observer key signs only observer copies, statuses and incidents');
END;

CREATE TRIGGER log_entries_commission_key_copy BEFORE INSERT ON log_entries
WHEN NEW.kind IN ('observer-copy', 'observer-status', 'incident', 'incident-state')
    AND NOT EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:')
BEGIN
    SELECT RAISE(ABORT, 'only an observer key signs observer copies, statuses and incidents');
END;

-- Evidence files of incident reports, content-addressed: sha256 is the SHA-256 of bytes,
-- which the signed report names; a reader recomputes it on every read. Insert-only.
CREATE TABLE incident_evidence (
    sha256 BLOB NOT NULL PRIMARY KEY CHECK (length(sha256) = 32),
    bytes BLOB NOT NULL,
    stored_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER incident_evidence_no_update BEFORE UPDATE ON incident_evidence
BEGIN
    SELECT RAISE(ABORT, 'incident_evidence is append-only: UPDATE refused');
END;

CREATE TRIGGER incident_evidence_no_delete BEFORE DELETE ON incident_evidence
BEGIN
    SELECT RAISE(ABORT, 'incident_evidence is append-only: DELETE refused');
END;
