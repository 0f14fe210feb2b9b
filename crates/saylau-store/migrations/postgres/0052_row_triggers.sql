-- The protocol store, schema version 52 (PostgreSQL): no change.
-- Keep this file in step with ../sqlite/0052_row_triggers.sql; the conformance suite runs both.
--
-- On SQLite, 0052 drops 0021's row triggers on log_entries (a statement journal per insert)
-- and the writer checks their rule. PostgreSQL keeps 0051's statement-level trigger, which the
-- application role cannot drop. This file keeps the versions of both backends equal.
SELECT 1;
