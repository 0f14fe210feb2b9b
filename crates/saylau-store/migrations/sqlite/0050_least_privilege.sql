-- The protocol store, schema version 50 (SQLite): no change.
-- Keep this file in step with ../postgres/0050_least_privilege.sql; the conformance suite
-- runs both.
--
-- On PostgreSQL, 0050 adds the functions that grant an application role SELECT and INSERT
-- only (docs/ledger.md, "PostgreSQL roles"). A SQLite file has no roles: whoever may
-- write the file may change it, which the chain, the signatures and the known checkpoint
-- find. This file keeps the versions of both backends equal.
SELECT 1;
