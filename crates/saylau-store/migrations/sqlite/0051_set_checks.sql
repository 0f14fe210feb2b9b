-- The protocol store, schema version 51 (SQLite): no change.
-- Keep this file in step with ../postgres/0051_set_checks.sql; the conformance suite runs both.
--
-- On PostgreSQL, 0051 checks 0020's observer-kinds rule once per statement instead of once
-- per row. SQLite has no statement-level triggers with transition tables, and its row
-- trigger of 0020 costs little there (no procedural language call per row). This file
-- keeps the versions of both backends equal.
SELECT 1;
