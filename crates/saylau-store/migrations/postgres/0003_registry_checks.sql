-- The protocol store, schema version 3 (PostgreSQL): no change.
-- Keep this file in step with ../sqlite/0003_registry_checks.sql; the conformance suite
-- runs both.
--
-- On SQLite, 0003 rebuilds commissions to write its level check as four comparisons
-- instead of an IN list, which SQLite codes with a temporary B-tree per inserted row.
-- PostgreSQL checks `level IN (...)` without that cost, and the two forms accept and
-- refuse the same rows, so the schema stays as 0001 made it; this file keeps the versions
-- of both backends equal.
SELECT 1;
