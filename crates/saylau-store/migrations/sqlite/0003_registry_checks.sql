-- The protocol store, schema version 3 (SQLite): the commissions' level check without an
-- IN list.
-- Keep this file in step with ../postgres/0003_registry_checks.sql; the conformance suite
-- runs both.
--
-- SQLite codes `level IN ('cec', 'region', 'district', 'pec')` (more than two values) with
-- a temporary B-tree built for every inserted row, which made a third of the cost of
-- registering the commissions in a bulk import (bench/import/README.md). The same check
-- as four comparisons accepts and refuses exactly the same rows. SQLite cannot change a
-- CHECK in place, so commissions is rebuilt as in 0002, and stations, which refers to it,
-- with it; neither has triggers.

CREATE TABLE commissions_v3 (
    election_id TEXT NOT NULL REFERENCES elections (id),
    id TEXT NOT NULL,
    parent_id TEXT,
    level TEXT NOT NULL
        CHECK (level = 'cec' OR level = 'region' OR level = 'district' OR level = 'pec'),
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, parent_id) REFERENCES commissions_v3 (election_id, id),
    CHECK ((level = 'cec') = (parent_id IS NULL))
) STRICT, WITHOUT ROWID;

-- Parents before their children.
INSERT INTO commissions_v3 (election_id, id, parent_id, level, name)
SELECT election_id, id, parent_id, level, name FROM commissions
ORDER BY CASE level WHEN 'cec' THEN 0 WHEN 'region' THEN 1 WHEN 'district' THEN 2 ELSE 3 END,
    election_id, id;

CREATE TABLE stations_v3 (
    election_id TEXT NOT NULL,
    id TEXT NOT NULL,
    commission_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, id),
    FOREIGN KEY (election_id, commission_id) REFERENCES commissions_v3 (election_id, id)
) STRICT, WITHOUT ROWID;

INSERT INTO stations_v3 (election_id, id, commission_id, name)
SELECT election_id, id, commission_id, name FROM stations;

DROP TABLE stations;
DROP TABLE commissions;
ALTER TABLE commissions_v3 RENAME TO commissions;
ALTER TABLE stations_v3 RENAME TO stations;

-- One CEC per election: the top of every station's chain, found by its key.
CREATE UNIQUE INDEX commissions_one_cec ON commissions (election_id) WHERE parent_id IS NULL;
