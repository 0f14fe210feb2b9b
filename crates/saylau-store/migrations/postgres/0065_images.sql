-- The protocol store, schema version 65 (PostgreSQL): images of protocols (a photo or scan
-- of the paper protocol a commission posted), content-addressed (docs/portal.md, "Protocol
-- images"). Keep this file in step with ../sqlite/0065_images.sql; the conformance suite
-- runs both.
--
-- Each upload is a log entry of kind `protocol-image` whose subject is the station, signed
-- by the key of the station's commission or one above it (as a protocol is), whose payload
-- names the station, the operator, the SHA-256, the media type and the size of the file.
-- The file itself is kept here under its SHA-256, insert-only; `log verify` hashes the
-- bytes of every image the log names again, so that a changed file is found.
CREATE TABLE protocol_images (
    sha256 BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(sha256) = 32),
    bytes BYTEA NOT NULL,
    stored_at TEXT NOT NULL
);

CREATE TRIGGER protocol_images_no_update_delete BEFORE UPDATE OR DELETE ON protocol_images
    FOR EACH ROW EXECUTE FUNCTION saylau_refuse_change();
CREATE TRIGGER protocol_images_no_truncate BEFORE TRUNCATE ON protocol_images
    FOR EACH STATEMENT EXECUTE FUNCTION saylau_refuse_change();
