-- The protocol store, schema version 20 (PostgreSQL): observers' keys and commissions'
-- keys sign different kinds of log entries (docs/observation.md).
-- Keep this file in step with ../sqlite/0020_observe_keys.sql; the conformance suite
-- runs both.
--
-- An observer organisation's key is registered in commission_keys under the commission
-- id `observer:ORG`, which no commission can have (commission ids are `CEC`, `RR`,
-- `RR-DD` and `RR-DD-SSSS`). Such a key signs only observers' copies and station
-- statuses (kinds `observer-copy` and `observer-status`), and only such a key signs them:
-- an observer key can never write an official protocol, and a commission key never an
-- observer's copy, whatever path the entry takes into the log (COPY fires it too).

CREATE FUNCTION log_entries_observer_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    observer_kind boolean := NEW.kind = 'observer-copy' OR NEW.kind = 'observer-status';
    observer_key boolean := EXISTS (SELECT 1 FROM commission_keys
        WHERE id = NEW.key_id AND substr(commission_id, 1, 9) = 'observer:');
BEGIN
    IF observer_key AND NOT observer_kind THEN
        RAISE EXCEPTION 'an observer key signs only observer copies and statuses'
            USING ERRCODE = 'check_violation';
    END IF;
    IF observer_kind AND NOT observer_key THEN
        RAISE EXCEPTION 'only an observer key signs observer copies and statuses'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER log_entries_observer_kinds BEFORE INSERT ON log_entries
FOR EACH ROW EXECUTE FUNCTION log_entries_observer_kinds();
