-- The protocol store, schema version 51 (PostgreSQL): the observer-kinds rule of 0020 (as
-- 0021 widened it to incident reports)
-- checked once per statement over the rows it inserted, instead of once per row.
-- Keep this file in step with ../sqlite/0051_set_checks.sql; the conformance suite runs both.
--
-- 0020's row trigger looked the signing key up in commission_keys for every inserted
-- entry: a PL/pgSQL call and an index probe per row, about a fifth of a bulk import's time
-- on PostgreSQL (bench/import/README.md). The same rule, as an AFTER ... FOR EACH STATEMENT
-- trigger over the statement's transition table, is one join per INSERT or COPY (a batch of
-- an import). An entry that breaks it still aborts its statement and transaction with the
-- same message and code; every path into the log (INSERT, COPY) fires it.

DROP TRIGGER log_entries_observer_kinds ON log_entries;
DROP FUNCTION log_entries_observer_kinds();

CREATE FUNCTION log_entries_observer_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.seq, n.kind IN ('observer-copy', 'observer-status', 'incident', 'incident-state') AS observer_kind INTO bad
    FROM inserted n LEFT JOIN commission_keys k ON k.id = n.key_id
    WHERE (n.kind IN ('observer-copy', 'observer-status', 'incident', 'incident-state'))
        <> COALESCE(substr(k.commission_id, 1, 9) = 'observer:', false)
    ORDER BY n.seq
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF bad.observer_kind THEN
        RAISE EXCEPTION 'only an observer key signs observer copies, statuses and incidents'
            USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'an observer key signs only observer copies, statuses and incidents'
        USING ERRCODE = 'check_violation';
END;
$$;

CREATE TRIGGER log_entries_observer_kinds AFTER INSERT ON log_entries
REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION log_entries_observer_kinds();
