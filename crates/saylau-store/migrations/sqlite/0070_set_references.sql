-- The protocol store, schema version 70 (SQLite): no change.
-- Keep this file in step with ../postgres/0070_set_references.sql; the conformance suite runs both.
--
-- On PostgreSQL, 0070 replaces log_entries' foreign keys to elections, commission_keys and
-- batches with a check once per statement. On SQLite the bulk writer already turns foreign
-- keys off and checks the same once per batch (docs/ledger.md, "Writing in batches on
-- SQLite"), and small writes keep them. This file keeps the versions of both backends equal.
SELECT 1;
