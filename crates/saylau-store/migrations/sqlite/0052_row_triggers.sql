-- The protocol store, schema version 52 (SQLite): migration 0021's two row triggers on
-- log_entries are dropped; their rule (an observer key signs only observer copies, statuses
-- and incidents, and only an observer key signs those) is checked by the writer before it
-- inserts (saylau-store's sqlite/write.rs, `signer`), with the same messages.
-- Keep this file in step with ../postgres/0052_row_triggers.sql; the conformance suite runs both.
--
-- Why: SQLite opens a statement journal for every INSERT into a table with a trigger inside a
-- larger transaction, and with 32 KiB pages each log entry wrote about two pages to a temp file
-- (210,000 page writes for 100,000 protocols, an import four times slower). On SQLite the
-- trigger was no barrier either: whoever can write the file can drop it. What stands against a
-- row appended by plain SQL is `saylau log verify`: the signature over the entry, and the
-- signer's authority as of the entry (`not_authorised`). PostgreSQL keeps 0051's statement
-- trigger, which its application role cannot drop.
DROP TRIGGER IF EXISTS log_entries_observer_key_official;
DROP TRIGGER IF EXISTS log_entries_commission_key_copy;
