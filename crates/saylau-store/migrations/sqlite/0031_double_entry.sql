-- The protocol store, schema version 31 (sqlite): double entry of protocols in the working
-- interface (docs/portal.md). Keep this file in step with the other backend's copy.
--
-- A draft is one operator's entry of a station's protocol, not yet a version: round 1 is
-- the first entry, round 2 the blind second entry by another user. Equal entries become
-- a signed version and their drafts are deleted; different ones wait here for a third
-- user to resolve them. The primary key lets only one user take each round.

CREATE TABLE entry_drafts (
    election_id TEXT NOT NULL,
    station TEXT NOT NULL,
    round INTEGER NOT NULL CHECK (round IN (1, 2)),
    entered_by TEXT NOT NULL REFERENCES users (name),
    lines TEXT NOT NULL,
    base_version BIGINT,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (election_id, station, round)
);
