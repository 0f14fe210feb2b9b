//! `saylau protocol image add`: an image of a station's paper protocol stored by SHA-256
//! and signed into the log, its type read from its first bytes, a further image only with
//! a reason, a key outside the station refused, and a stored file changed in the database
//! named by `log verify`.

use std::path::Path;

use crate::fixture::{arg, generate, ok, private_key, refused};

const PNG: &[u8] = include_bytes!("../../../saylau-web/tests/it/data/protocol.png");
const PDF: &[u8] = include_bytes!("../../../saylau-web/tests/it/data/protocol.pdf");

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a file");
    arg(&path)
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
fn images_of_protocols_are_signed_and_verified() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("store.sqlite");
    let db = arg(&path);
    let country = dir.path().join("country");
    generate("5", "300", "0", "0", &country);
    let keys = arg(&dir.path().join("keys"));
    ok(&db, &["db", "init", "--json"]);
    let cec =
        private_key(&ok(&db, &["keys", "new", "--commission", "CEC", "--out", &keys, "--json"]));
    ok(&db, &["import", &arg(&country.join("protocols.csv")), "--key", &cec, "--json"]);
    let text = std::fs::read_to_string(country.join("protocols.csv")).expect("protocols");
    let mut stations = text.lines().filter(|l| !l.starts_with('#')).skip(1);
    let station = stations.next().and_then(|l| l.split(',').next()).expect("a station").to_owned();
    let other = stations
        .map(|l| l.split(',').next().unwrap_or_default().to_owned())
        .find(|it| it[..2] != station[..2])
        .expect("a station in another region");

    let png = write(dir.path(), "scan.png", PNG);
    let added = ok(
        &db,
        &[
            "protocol",
            "image",
            "add",
            &station,
            &png,
            "--key",
            &cec,
            "--author",
            "secretary",
            "--json",
        ],
    );
    assert_eq!(added["recorded"], true, "{added}");
    assert_eq!(added["image"]["sha256"], saylau_store::digest::Digest::of(PNG).to_hex());
    assert_eq!(added["image"]["media_type"], "image/png");
    assert_eq!(added["image"]["operator"], "secretary");
    let again = ok(
        &db,
        &[
            "protocol",
            "image",
            "add",
            &station,
            &png,
            "--key",
            &cec,
            "--author",
            "secretary",
            "--json",
        ],
    );
    assert_eq!(again["recorded"], false);
    // A file that is not an image, whatever its name; a further one without a reason.
    let fake = write(dir.path(), "fake.jpg", b"not a photo at all");
    refused(
        &db,
        &["protocol", "image", "add", &station, &fake, "--key", &cec],
        "not a JPEG, PNG or PDF",
    );
    let pdf = write(dir.path(), "scan.pdf", PDF);
    refused(&db, &["protocol", "image", "add", &station, &pdf, "--key", &cec], "needs a reason");
    let second = ok(
        &db,
        &[
            "protocol",
            "image",
            "add",
            &station,
            &pdf,
            "--key",
            &cec,
            "--reason",
            "rescanned",
            "--json",
        ],
    );
    assert_eq!(second["image"]["version"], 2);
    // The station's PEC key may not sign another region's station.
    let pec = private_key(&ok(
        &db,
        &["keys", "new", "--commission", &station, "--key", &cec, "--out", &keys, "--json"],
    ));
    refused(&db, &["protocol", "image", "add", &other, &png, "--key", &pec], "may not sign");
    let verified = ok(&db, &["log", "verify", "--json"]);
    assert_eq!(verified["intact"], true, "{verified}");

    // The stored PDF changed in the database (past its trigger): verify names the entry.
    let conn = rusqlite::Connection::open(&path).expect("the store");
    conn.execute_batch(
        "DROP TRIGGER protocol_images_no_update; \
         UPDATE protocol_images SET bytes = CAST('%PDF-1.4 other numbers' AS BLOB) \
         WHERE length(bytes) = 476",
    )
    .expect("the tampering");
    let (out, err) = refused(&db, &["log", "verify"], "protocol image");
    assert!(
        format!("{out}{err}").contains(&format!("(protocol-image {station} of election")),
        "{out}{err}"
    );
}
