-- The protocol store, schema version 66 (SQLite): observer deployment plans
-- (docs/observation.md, "Deployment"). Keep this file in step with
-- ../postgres/0066_deployments.sql; the conformance suite runs both.
--
-- A coordinator of an observer organisation deploys its observers to stations: each
-- observer's stations are a log entry of kind `observer-deployment` (subject `ORG/USER`),
-- signed by the organisation's observer key, each change a new version with its reason.
-- The triggers of 0021 are replaced by triggers that name the fifth observer kind: an
-- observer key still signs nothing official, and a commission key no observer entry.

DROP TRIGGER log_entries_observer_key_official;
DROP TRIGGER log_entries_commission_key_copy;

CREATE TRIGGER log_entries_observer_key_official BEFORE INSERT ON log_entries
WHEN NEW.kind NOT IN ('observer-copy', 'observer-status', 'incident', 'incident-state',
        'observer-deployment')
    AND EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:')
BEGIN
    SELECT RAISE(ABORT, 'an observer key signs only observer copies, statuses, incidents and deployments');
END;

CREATE TRIGGER log_entries_commission_key_copy BEFORE INSERT ON log_entries
WHEN NEW.kind IN ('observer-copy', 'observer-status', 'incident', 'incident-state',
        'observer-deployment')
    AND NOT EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:')
BEGIN
    SELECT RAISE(ABORT, 'only an observer key signs observer copies, statuses, incidents and deployments');
END;
