-- The protocol store, schema version 2 (PostgreSQL): signed batches.
-- Keep this file in step with ../sqlite/0002_batches.sql; the conformance suite runs both.
--
-- A batch is a run of consecutive log entries appended in one transaction by one key and
-- covered by ONE ed25519 signature (docs/ledger.md, "Batches"). Its entries keep their own
-- content hash, previous hash and entry hash, but have no signature of their own: a
-- batched entry has batch_id set and signature NULL, a singly signed entry the reverse.

CREATE TABLE batches (
    id BIGINT NOT NULL PRIMARY KEY CHECK (id >= 1),
    first_seq BIGINT NOT NULL UNIQUE CHECK (first_seq >= 1),
    last_seq BIGINT NOT NULL UNIQUE,
    key_id TEXT NOT NULL REFERENCES commission_keys (id),
    signature BYTEA NOT NULL CHECK (octet_length(signature) = 64),
    CHECK (last_seq >= first_seq)
);

ALTER TABLE log_entries ALTER COLUMN signature DROP NOT NULL;
ALTER TABLE log_entries ADD COLUMN batch_id BIGINT REFERENCES batches (id);
ALTER TABLE log_entries ADD CONSTRAINT log_entries_signed_once
    CHECK ((signature IS NULL) = (batch_id IS NOT NULL));

-- The entry hash needs no index of its own: verification walks the log by seq, and the
-- chain makes a duplicate hash impossible to hide. Dropping it saves a random-order index
-- insert per entry.
ALTER TABLE log_entries DROP CONSTRAINT log_entries_entry_hash_key;

-- One CEC per election: the top of every station's chain, found by its key.
CREATE UNIQUE INDEX commissions_one_cec ON commissions (election_id) WHERE parent_id IS NULL;

CREATE TRIGGER batches_no_update_delete BEFORE UPDATE OR DELETE ON batches
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER batches_no_truncate BEFORE TRUNCATE ON batches
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
