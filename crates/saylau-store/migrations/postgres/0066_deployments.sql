-- The protocol store, schema version 66 (PostgreSQL): observer deployment plans
-- (docs/observation.md, "Deployment"). Keep this file in step with
-- ../sqlite/0066_deployments.sql; the conformance suite runs both.
--
-- A coordinator of an observer organisation deploys its observers to stations: each
-- observer's stations are a log entry of kind `observer-deployment` (subject `ORG/USER`),
-- signed by the organisation's observer key, each change a new version with its reason.
-- The statement-level check of 0051 is replaced by one that names the fifth observer kind:
-- an observer key still signs nothing official, and a commission key no observer entry.

CREATE OR REPLACE FUNCTION log_entries_observer_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.seq, n.kind IN ('observer-copy', 'observer-status', 'incident', 'incident-state',
            'observer-deployment') AS observer_kind INTO bad
    FROM inserted n LEFT JOIN commission_keys k ON k.id = n.key_id
    WHERE (n.kind IN ('observer-copy', 'observer-status', 'incident', 'incident-state',
            'observer-deployment'))
        <> COALESCE(substr(k.commission_id, 1, 9) = 'observer:', false)
    ORDER BY n.seq
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF bad.observer_kind THEN
        RAISE EXCEPTION 'only an observer key signs observer copies, statuses, incidents and deployments'
            USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'an observer key signs only observer copies, statuses, incidents and deployments'
        USING ERRCODE = 'check_violation';
END;
$$;
