-- The protocol store, schema version 60 (SQLite): the commissions register
-- (docs/commissions.md). Each member of an election commission for one term, with the
-- party or organisation that nominated them and their role, is a row here and a record of
-- a signed registration entry of the log (kind `registry`), written in the same
-- transaction; `log verify` replays the entries and names any row that differs.
-- Keep this file in step with ../postgres/0060_commission_members.sql; the conformance
-- suite runs both.

CREATE TABLE commission_members (
    election_id TEXT NOT NULL,
    commission_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('chair', 'deputy', 'secretary', 'member')),
    nominated_by TEXT NOT NULL,
    party_member TEXT,
    term_from TEXT NOT NULL,
    term_to TEXT NOT NULL,
    PRIMARY KEY (election_id, commission_id, person_id, term_from),
    FOREIGN KEY (election_id, commission_id) REFERENCES commissions (election_id, id),
    CHECK (term_from <= term_to)
) STRICT;

CREATE INDEX commission_members_person ON commission_members (election_id, person_id);

CREATE TRIGGER commission_members_no_update BEFORE UPDATE ON commission_members
BEGIN
    SELECT RAISE(ABORT, 'commission_members is append-only: UPDATE refused');
END;

CREATE TRIGGER commission_members_no_delete BEFORE DELETE ON commission_members
BEGIN
    SELECT RAISE(ABORT, 'commission_members is append-only: DELETE refused');
END;
