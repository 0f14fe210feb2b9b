-- The protocol store, schema version 32 (SQLite): no change.
-- Keep this file in step with ../postgres/0032_log_notify.sql; the conformance suite runs both.
--
-- On PostgreSQL, 0032 notifies the channel `saylau_log` on every append, so that several
-- portal instances on one store see a new version at once. SQLite has no notifications
-- between processes: a portal on a SQLite file sees another process's append when its head
-- TTL ends (`watch::changes` is `None` there). This file keeps the versions of both
-- backends equal.
SELECT 1;
