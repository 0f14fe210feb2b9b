-- The protocol store, schema version 4 (PostgreSQL): a polling station is its precinct
-- commission.
-- Keep this file in step with ../sqlite/0004_stations_are_pecs.sql; the conformance suite
-- runs both.
--
-- The system of commissions ends in the precinct commissions (art. 10 p. 2 of the
-- Constitutional Law "On Elections"): one PEC runs the voting at one polling station,
-- counts it (art. 43) and draws up its protocol (art. 94 p. 1). So a station and its PEC
-- are one thing with one id, and the log's subject of a station's protocol is that id.
-- Schema version 1 kept them as two rows with the same id and name, and a bulk import
-- spent as much on registering them as on the log itself (bench/import/README.md). The
-- stations table becomes a view of the PECs, which keeps every query of it and refuses
-- every insert.
--
-- A store whose stations do not all carry their PEC's id cannot be migrated without
-- losing the difference: the insert into the guard table below then breaks its CHECK,
-- and the migration, one transaction, changes nothing.

CREATE TEMPORARY TABLE stations_are_pecs_guard (
    station_id TEXT CHECK (station_id IS NULL)
);

INSERT INTO stations_are_pecs_guard (station_id)
SELECT id FROM stations WHERE id <> commission_id;

DROP TABLE stations_are_pecs_guard;
DROP TABLE stations;

CREATE VIEW stations (election_id, id, commission_id, name) AS
SELECT election_id, id, id, name FROM commissions WHERE level = 'pec';
