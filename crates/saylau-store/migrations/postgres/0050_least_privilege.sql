-- The protocol store, schema version 50 (PostgreSQL): least privilege for the application.
-- Keep this file in step with ../sqlite/0050_least_privilege.sql; the conformance suite
-- runs both.
--
-- A deployment runs the migrations as an owner role and the application as another role
-- that owns nothing (docs/ledger.md, "PostgreSQL roles"): the append-only triggers stop
-- the application itself only when it cannot disable them, and only a table's owner can.
-- `saylau --db APP_URL db init --owner-url OWNER_URL` migrates as the owner and then calls
-- saylau_grant_app with the application's role, after every migration, so that the tables
-- of later migrations are granted too.

-- Brings the planner's statistics up to date after a bulk import (store.rs,
-- refresh_statistics). Only a table's owner may ANALYZE it, so the application calls this
-- function, which runs as its owner and does nothing else.
CREATE FUNCTION saylau_analyze() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    ANALYZE commissions, log_entries, current_versions, batches;
END
$$;
REVOKE ALL ON FUNCTION saylau_analyze() FROM PUBLIC;

-- Grants the application role `app` what saylau needs and nothing more: SELECT and INSERT
-- on every table and view, UPDATE of the one column of the current-version pointer (its
-- trigger lets it move forward by one version only), the sequences, and saylau_analyze.
-- No UPDATE or DELETE elsewhere (but on the working interface's tables, below), no TRUNCATE, no TRIGGER, no ownership: the application
-- can neither change the log nor switch its triggers off. A role that owns a table or is
-- a superuser is refused, since no grant would bind it.
CREATE FUNCTION saylau_grant_app(app name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF app = current_user THEN
        RAISE EXCEPTION 'the application role % is the role that runs the migrations: '
            'give the application a role of its own', app
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
        RAISE EXCEPTION 'the application role % does not exist', app
            USING ERRCODE = 'undefined_object';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'the application role % is a superuser: it could drop every trigger', app
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = app) THEN
        RAISE EXCEPTION 'the application role % owns tables of the store: it could disable '
            'their triggers', app
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', app);
    EXECUTE format('GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO %I', app);
    EXECUTE format('REVOKE INSERT ON _sqlx_migrations FROM %I', app);
    EXECUTE format('GRANT UPDATE (version) ON current_versions TO %I', app);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    -- The working interface's own tables (migrations 0030, 0031; not the log): a user is
    -- disabled, a session ends, failed logins are cleared after a success, an entry draft is
    -- dropped when its version is signed.
    EXECUTE format('GRANT UPDATE (disabled) ON users TO %I', app);
    EXECUTE format('GRANT DELETE ON sessions, login_failures, entry_drafts TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION saylau_analyze() TO %I', app);
END
$$;
REVOKE ALL ON FUNCTION saylau_grant_app(name) FROM PUBLIC;
