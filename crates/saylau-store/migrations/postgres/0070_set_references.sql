-- The protocol store, schema version 70 (PostgreSQL): a log entry's election, key and batch
-- checked once per statement over the rows it inserted, instead of by a foreign key per row.
-- Keep this file in step with ../sqlite/0070_set_references.sql; the conformance suite runs both.
--
-- The three foreign keys of log_entries (election_id, key_id, batch_id) each ran a lookup
-- through SPI for every inserted entry: with the other foreign keys, about half of a bulk
-- import's server time (bench/import/README.md). The application never removes the rows
-- they name (0050 grants it only SELECT and INSERT on elections, commission_keys and
-- batches, whose triggers also refuse changes to keys and batches), so a check when an
-- entry is inserted is all these foreign keys did; `saylau log verify` checks every
-- entry's key and batch over the whole log besides.
--
-- 0066's statement-level trigger now groups the inserted rows by election, key and batch
-- and refuses a statement with any of them not stored, with SQLSTATE 23503
-- (foreign_key_violation) as the foreign keys did, before its observer-kinds check (grouped
-- by key and kind). Every path into the log (INSERT, COPY) fires it. The writers check the
-- same before they write (tests/it/registry.rs, `batches_need_a_registered_election_and_key`).

ALTER TABLE log_entries DROP CONSTRAINT log_entries_election_id_fkey;
ALTER TABLE log_entries DROP CONSTRAINT log_entries_key_id_fkey;
ALTER TABLE log_entries DROP CONSTRAINT log_entries_batch_id_fkey;

CREATE OR REPLACE FUNCTION log_entries_observer_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    -- A batch's entries share their election, key and batch: each check runs once per
    -- distinct triple, not once per entry.
    SELECT n.seq INTO bad
    FROM (SELECT election_id, key_id, batch_id, min(seq) AS seq
          FROM inserted GROUP BY election_id, key_id, batch_id) n
    WHERE NOT EXISTS (SELECT 1 FROM elections e WHERE e.id = n.election_id)
        OR NOT EXISTS (SELECT 1 FROM commission_keys k WHERE k.id = n.key_id)
        OR (n.batch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.id = n.batch_id))
    ORDER BY n.seq
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'log entry % names an election, key or batch that is not stored', bad.seq
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT n.seq, n.observer_kind INTO bad
    FROM (SELECT key_id, kind IN ('observer-copy', 'observer-status', 'incident',
                'incident-state', 'observer-deployment') AS observer_kind, min(seq) AS seq
          FROM inserted GROUP BY 1, 2) n
    LEFT JOIN commission_keys k ON k.id = n.key_id
    WHERE n.observer_kind <> COALESCE(substr(k.commission_id, 1, 9) = 'observer:', false)
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

-- The statistics an import refreshes (after a chunk that more than doubled the log) are those
-- of the columns the readers filter, join and group on, not of the payloads, hashes and
-- signatures: 0.23 s instead of 0.30 s on 100,000 entries.
CREATE OR REPLACE FUNCTION saylau_analyze() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    ANALYZE commissions (election_id, id, parent_id, level),
        log_entries (seq, election_id, kind, subject, version, key_id, batch_id),
        current_versions,
        batches (id, first_seq, last_seq);
END
$$;
