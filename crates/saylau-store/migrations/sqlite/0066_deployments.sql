-- The protocol store, schema version 66 (SQLite): observer deployment plans
-- (docs/observation.md, "Deployment"). Keep this file in step with
-- ../postgres/0066_deployments.sql; the conformance suite runs both.
--
-- A coordinator of an observer organisation deploys its observers to stations: each
-- observer's stations are a log entry of kind `observer-deployment` (subject `ORG/USER`),
-- signed by the organisation's observer key, each change a new version with its reason.
-- The triggers of 0021 are replaced by triggers that name the fifth observer kind: an
-- observer key still signs nothing official, and a commission key no observer entry.

-- On SQLite, migration 0052 dropped 0021's row triggers: the writer checks their rule
-- (saylau-store's sqlite/key_kind.rs, which names this fifth kind), so nothing is recreated
-- here; a store that had these triggers loses them, as 0052 would have dropped them.
DROP TRIGGER IF EXISTS log_entries_observer_key_official;
DROP TRIGGER IF EXISTS log_entries_commission_key_copy;
