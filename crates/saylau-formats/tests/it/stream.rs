//! Protocol files read as a stream (issue 10, item 5): a chunk of rows at a time gives the
//! protocols and the rejected rows of a whole read, and the checks across rows (a station on
//! an earlier row, a commission named otherwise) hold across chunks, though the protocols of
//! the earlier chunks were taken away.

use saylau_formats::{ProtocolLimits, ProtocolSet, ProtocolStream, read_protocols_limited};

const HEADER: &str = "station,region,region_name,district,district_name,voters_on_roll,\
ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,\
against_all,list:a,list:b";

/// A CSV file of 100 stations of two districts; row 60 repeats station 5, row 70 names its
/// district otherwise, and row 80 breaks a control relation.
fn csv_text() -> String {
    let mut text = format!("# saylau-protocols v1\n# synthetic data\n{HEADER}\n");
    for row in 1..=100u32 {
        let (district, number) = match row {
            60 => (4, 5),
            _ => (3 + row % 2, row),
        };
        let name = if row == 70 { "Elsewhere" } else { "Town" };
        let valid = 1000 + row;
        let found = if row == 80 { valid } else { valid + 12 };
        text.push_str(&format!(
            "01-0{district}-{number:04},01,Akmola,01-0{district},{name} {district},1500,1515,\
             {},30,{},{found},12,{valid},0,{},{}\n",
            found - 30,
            1515 - found,
            valid / 2,
            valid - valid / 2,
        ));
    }
    text
}

/// Every chunk of `path`'s stream, read `rows` rows at a time, and the file as read.
fn chunks(path: &std::path::Path, rows: usize) -> (Vec<usize>, saylau_formats::ProtocolFile) {
    let limits = ProtocolLimits::default();
    let mut stream = ProtocolStream::open(path, &limits).expect("a protocol file");
    let mut sizes = Vec::new();
    let mut protocols = Vec::new();
    let mut base_versions = std::collections::BTreeMap::new();
    while let Some(chunk) = stream.next_chunk(rows).expect("no row past a limit") {
        sizes.push(chunk.protocols.len());
        protocols.extend(chunk.protocols);
        base_versions.extend(chunk.base_versions);
    }
    let (read, size) = stream.progress();
    assert_eq!(read, size, "the whole file was read");
    let mut file = stream.finish();
    assert!(file.protocols.is_empty(), "every protocol was taken");
    file.protocols = protocols;
    file.base_versions = base_versions;
    (sizes, file)
}

#[test]
fn a_stream_of_chunks_gives_what_a_whole_read_gives_in_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("protocols.csv");
    std::fs::write(&csv, csv_text()).unwrap();
    let whole = read_protocols_limited(&csv, &ProtocolLimits::default()).expect("a file");
    let rejected: Vec<(u32, String)> = whole
        .rejected
        .iter()
        .map(|row| (row.line, row.diagnostics[0].rule.code().to_owned()))
        .collect();
    // The header is line 3: row 60 is line 63.
    assert_eq!(rejected, [(63, "F-8".to_owned()), (73, "F-7".to_owned()), (83, "P-4".to_owned())]);
    assert_eq!(whole.protocols.len(), 97);
    let (sizes, streamed) = chunks(&csv, 16);
    // Seven chunks of 16 rows, less their rejected rows.
    assert_eq!(sizes, [16, 16, 16, 15, 14, 16, 4]);
    assert_eq!(streamed, whole);
    // The same protocols written as JSON and streamed back.
    let json = dir.path().join("protocols.json");
    let mut out = Vec::new();
    let set = ProtocolSet { base_versions: None, ..whole.set() };
    saylau_formats::write_protocols_json(&mut out, &set).unwrap();
    std::fs::write(&json, out).unwrap();
    let (sizes, streamed) = chunks(&json, 40);
    assert_eq!(sizes, [40, 40, 17]);
    assert_eq!(streamed.protocols, whole.protocols);
    assert!(streamed.rejected.is_empty());
}

#[test]
fn a_file_that_is_not_a_protocol_file_fails_when_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.csv");
    let mut text = String::from("station,region\n");
    text.push_str(&"x,y\n".repeat(100_000));
    std::fs::write(&path, text).unwrap();
    let err = ProtocolStream::open(&path, &ProtocolLimits::default()).expect_err("no marker");
    assert_eq!(err.0.len(), 1);
    assert_eq!((err.0[0].rule.code(), err.0[0].line), ("F-1", Some(1)));
}

#[test]
fn a_streamed_json_file_reads_as_a_whole_one_whatever_the_order_of_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("protocols.csv");
    std::fs::write(&csv, csv_text()).unwrap();
    let whole = read_protocols_limited(&csv, &ProtocolLimits::default()).expect("a file");
    let mut out = Vec::new();
    let set = ProtocolSet { base_versions: None, ..whole.set() };
    saylau_formats::write_protocols_json(&mut out, &set).unwrap();
    let text = String::from_utf8(out).unwrap();
    // A bad number on the object of line 17, and the lists moved after the protocols.
    let bad = text.replacen("\"invalid\":12", "\"invalid\":\"12\"", 11).replacen(
        "\"invalid\":\"12\"",
        "\"invalid\":12",
        10,
    );
    let (lists, rest) = {
        let start = bad.find("  \"lists\"").unwrap();
        let end = start + bad[start..].find('\n').unwrap() + 1;
        (
            bad[start..end].trim_end_matches(",\n").to_owned(),
            format!("{}{}", &bad[..start], &bad[end..]),
        )
    };
    let moved = rest.replacen("\n  ]\n}", &format!("\n  ],\n{lists}\n}}"), 1);
    // Moving the lists moved the objects a line up.
    for (name, text, line) in [("bad.json", &bad, 17), ("moved.json", &moved, 16)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let streamed = read_protocols_limited(&path, &ProtocolLimits::default()).expect("a file");
        let parsed = saylau_formats::parse_protocols_json(&path.display().to_string(), text)
            .expect("a file");
        assert_eq!(streamed, parsed, "{name}");
        let lines: Vec<u32> = streamed.rejected.iter().map(|row| row.line).collect();
        assert_eq!(lines, [line], "{name}");
        assert_eq!(streamed.protocols.len(), 96, "{name}");
    }
    // Bad JSON part way stops the file at its line, after the rows rejected before it.
    let broken = bad.replacen("},\n", "},,\n", 40);
    let broken = broken.replacen("},,\n", "},\n", 39);
    let path = dir.path().join("broken.json");
    std::fs::write(&path, &broken).unwrap();
    let err = read_protocols_limited(&path, &ProtocolLimits::default()).expect_err("bad JSON");
    let found: Vec<(&str, Option<u32>)> =
        err.0.iter().map(|it| (it.rule.code(), it.line)).collect();
    assert_eq!(found, [("F-4", Some(17)), ("F-10", Some(46))]);
}
