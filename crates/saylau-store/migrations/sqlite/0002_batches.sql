-- The protocol store, schema version 2 (SQLite): signed batches.
-- Keep this file in step with ../postgres/0002_batches.sql; the conformance suite runs both.
--
-- A batch is a run of consecutive log entries appended in one transaction by one key and
-- covered by ONE ed25519 signature (docs/ledger.md, "Batches"). Its entries keep their own
-- content hash, previous hash and entry hash, but have no signature of their own: a
-- batched entry has batch_id set and signature NULL, a singly signed entry the reverse.
--
-- SQLite cannot drop a NOT NULL constraint in place, so log_entries is rebuilt: a new
-- table is filled from the old one, the old one is dropped and the new one renamed.
-- Dropping a table drops its triggers before its rows, so the append-only triggers do not
-- fire; they are created again below. current_versions, which refers to log_entries, is
-- rebuilt the same way (now WITHOUT ROWID: its key is its only index), and so are the
-- registry tables commissions and stations, which a bulk import fills at one row per
-- station. The entry hash loses its UNIQUE index: verification walks the log by seq, the
-- chain makes a duplicate hash impossible to hide, and the index cost a random-order
-- insert per entry.

CREATE TABLE batches (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id >= 1),
    first_seq INTEGER NOT NULL UNIQUE CHECK (first_seq >= 1),
    last_seq INTEGER NOT NULL UNIQUE,
    key_id TEXT NOT NULL REFERENCES commission_keys (id),
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    CHECK (last_seq >= first_seq)
) STRICT;

CREATE TABLE log_entries_v2 (
    seq INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
    election_id TEXT NOT NULL REFERENCES elections (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    content_hash BLOB NOT NULL CHECK (length(content_hash) = 32),
    prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
    entry_hash BLOB NOT NULL CHECK (length(entry_hash) = 32),
    author TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES commission_keys (id),
    signature BLOB CHECK (length(signature) = 64),
    batch_id INTEGER REFERENCES batches (id),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    payload BLOB NOT NULL,
    UNIQUE (election_id, kind, subject, version),
    CHECK (version = 1 OR (reason IS NOT NULL AND trim(reason) <> '')),
    CHECK ((signature IS NULL) = (batch_id IS NOT NULL))
) STRICT;

INSERT INTO log_entries_v2 (seq, election_id, kind, subject, version, content_hash, prev_hash,
    entry_hash, author, key_id, signature, batch_id, reason, recorded_at, payload)
SELECT seq, election_id, kind, subject, version, content_hash, prev_hash, entry_hash, author,
    key_id, signature, NULL, reason, recorded_at, payload
FROM log_entries ORDER BY seq;

CREATE TABLE current_versions_v2 (
    election_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (election_id, kind, subject),
    FOREIGN KEY (election_id, kind, subject, version)
        REFERENCES log_entries_v2 (election_id, kind, subject, version)
) STRICT, WITHOUT ROWID;

INSERT INTO current_versions_v2 (election_id, kind, subject, version)
SELECT election_id, kind, subject, version FROM current_versions;

DROP TABLE current_versions;
DROP TABLE log_entries;
ALTER TABLE log_entries_v2 RENAME TO log_entries;
ALTER TABLE current_versions_v2 RENAME TO current_versions;

CREATE TABLE commissions_v2 (
    election_id TEXT NOT NULL REFERENCES elections (id),
    id TEXT NOT NULL,
    parent_id TEXT,
    level TEXT NOT NULL CHECK (level IN ('cec', 'region', 'district', 'pec')),
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, parent_id) REFERENCES commissions_v2 (election_id, id),
    CHECK ((level = 'cec') = (parent_id IS NULL))
) STRICT, WITHOUT ROWID;

-- Parents come before their children in the order of the old table's rows.
INSERT INTO commissions_v2 (election_id, id, parent_id, level, name)
SELECT election_id, id, parent_id, level, name FROM commissions ORDER BY rowid;

CREATE TABLE stations_v2 (
    election_id TEXT NOT NULL,
    id TEXT NOT NULL,
    commission_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, commission_id) REFERENCES commissions_v2 (election_id, id)
) STRICT, WITHOUT ROWID;

INSERT INTO stations_v2 (election_id, id, commission_id, name)
SELECT election_id, id, commission_id, name FROM stations;

DROP TABLE stations;
DROP TABLE commissions;
ALTER TABLE commissions_v2 RENAME TO commissions;
ALTER TABLE stations_v2 RENAME TO stations;

-- One CEC per election: the top of every station's chain, found by its key.
CREATE UNIQUE INDEX commissions_one_cec ON commissions (election_id) WHERE parent_id IS NULL;

CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'log_entries is append-only: UPDATE refused');
END;

CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'log_entries is append-only: DELETE refused');
END;

CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches
BEGIN
    SELECT RAISE(ABORT, 'batches is append-only: UPDATE refused');
END;

CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
BEGIN
    SELECT RAISE(ABORT, 'batches is append-only: DELETE refused');
END;

CREATE TRIGGER current_versions_forward BEFORE UPDATE ON current_versions
WHEN NEW.election_id IS NOT OLD.election_id
    OR NEW.kind IS NOT OLD.kind
    OR NEW.subject IS NOT OLD.subject
    OR NEW.version IS NOT OLD.version + 1
BEGIN
    SELECT RAISE(ABORT, 'current_versions only moves forward by one version: UPDATE refused');
END;

CREATE TRIGGER current_versions_no_delete BEFORE DELETE ON current_versions
BEGIN
    SELECT RAISE(ABORT, 'current_versions keeps every subject: DELETE refused');
END;
