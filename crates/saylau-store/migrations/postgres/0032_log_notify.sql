-- The protocol store, schema version 32 (PostgreSQL): a notification on every append.
-- Keep this file in step with ../sqlite/0032_log_notify.sql; the conformance suite runs both.
--
-- Several portal instances on one store each keep the log's head for a short while
-- (saylau-web's head TTL). Every statement that appends to the log, whatever path it takes
-- (one version, a batch's COPY, an observer's or an incident's entry), notifies the channel
-- `saylau_log` when its transaction commits; `watch::Changes` listens to it, so that every
-- instance reads the new head at once. PostgreSQL folds equal notifications of one
-- transaction into one, and delivers none of a transaction that rolls back. LISTEN and
-- NOTIFY need no privilege, so the application role is granted nothing new.
CREATE FUNCTION saylau_notify_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('saylau_log', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER log_entries_notify AFTER INSERT ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_notify_log();
