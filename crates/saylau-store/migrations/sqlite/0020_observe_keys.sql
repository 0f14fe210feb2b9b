-- The protocol store, schema version 20 (SQLite): observers' keys and commissions' keys
-- sign different kinds of log entries (docs/observation.md).
-- Keep this file in step with ../postgres/0020_observe_keys.sql; the conformance suite
-- runs both.
--
-- An observer organisation's key is registered in commission_keys under the commission
-- id `observer:ORG`, which no commission can have (commission ids are `CEC`, `RR`,
-- `RR-DD` and `RR-DD-SSSS`). Such a key signs only observers' copies and station
-- statuses (kinds `observer-copy` and `observer-status`), and only such a key signs them:
-- an observer key can never write an official protocol, and a commission key never an
-- observer's copy, whatever path the entry takes into the log.

CREATE TRIGGER log_entries_observer_key_official BEFORE INSERT ON log_entries
WHEN NOT (NEW.kind = 'observer-copy' OR NEW.kind = 'observer-status')
    AND EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:')
BEGIN
    SELECT RAISE(ABORT, 'an observer key signs only observer copies and statuses');
END;

CREATE TRIGGER log_entries_commission_key_copy BEFORE INSERT ON log_entries
WHEN (NEW.kind = 'observer-copy' OR NEW.kind = 'observer-status')
    AND NOT EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:')
BEGIN
    SELECT RAISE(ABORT, 'only an observer key signs observer copies and statuses');
END;
