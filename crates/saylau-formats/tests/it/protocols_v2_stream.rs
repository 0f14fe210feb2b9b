//! Protocol files of format v2 read as a stream (issue 10 with issue 15): the version is
//! known from the CSV marker or the JSON `version` key before the first chunk, the v2 lines
//! are read chunk by chunk as in a whole read, and the flags (`P-9`, `P-14`) are gathered
//! across the chunks, kept within `max_diagnostics` and counted past it.

use saylau_formats::{
    PROTOCOL_FORMAT_V2, ProtocolFile, ProtocolLimits, ProtocolStream, read_protocols_limited,
    write_protocols_json,
};

const HEADER: &str = "station,region,region_name,district,district_name,voters_on_roll,\
ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,\
against_all,list:a,list:b,supplementary_list,signatures_on_roll,polls_closed,count_started,\
count_ended,protocol_posted,handed_over,video,video_sha256";

/// 40 stations of Nur-Sultan's Yesil district: every fifth is short of signatures (`P-9`,
/// 150 ballots), every seventh started its count at 21:40 (`P-14` at the default 60
/// minutes), station 20 breaks line 1.1 (`P-8`, rejected).
fn csv_text() -> String {
    let mut text = format!("# saylau-protocols v2\n# list a: List A\n# list b: List B\n{HEADER}\n");
    for station in 1..=40u32 {
        let supplementary = if station == 20 { 1620 } else { 41 };
        let signatures = if station % 5 == 0 { 1030 } else { 1180 };
        let started = if station % 7 == 0 { "21:40" } else { "20:05" };
        text.push_str(&format!(
            "15-02-{station:04},15,Nur-Sultan (Astana) city,15-02,Yesil district,\
             1500,1515,1180,30,305,1210,12,1198,8,790,400,{supplementary},{signatures},\
             2021-01-10T20:00,2021-01-10T{started},2021-01-10T23:40,2021-01-10T23:52,\
             2021-01-11T01:15,,\n"
        ));
    }
    text
}

/// The stream of `path` read `rows` rows at a time: its version when opened, the
/// protocols of every chunk, and the file as read.
fn streamed(path: &std::path::Path, rows: usize, limits: &ProtocolLimits) -> (u32, ProtocolFile) {
    let mut stream = ProtocolStream::open(path, limits).expect("a v2 file");
    let version = stream.version();
    let mut protocols = Vec::new();
    while let Some(chunk) = stream.next_chunk(rows).expect("no row past a limit") {
        assert!(chunk.protocols.len() <= rows, "a chunk holds at most its rows");
        protocols.extend(chunk.protocols);
    }
    let mut file = stream.finish();
    file.protocols = protocols;
    (version, file)
}

fn codes(file: &ProtocolFile) -> Vec<(Option<u32>, &'static str)> {
    file.flags.iter().map(|flag| (flag.line, flag.rule.code())).collect()
}

#[test]
fn v2_lines_and_flags_are_read_chunk_by_chunk_in_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("protocols.csv");
    std::fs::write(&csv, csv_text()).unwrap();
    let limits = ProtocolLimits::default();
    let whole = read_protocols_limited(&csv, &limits).expect("a v2 file");
    assert_eq!(whole.version, PROTOCOL_FORMAT_V2);
    assert_eq!(whole.protocols.len(), 39);
    assert_eq!(whole.diagnostics().0[0].rule.code(), "P-8");
    // Stations 5, 7, 10, 14, 15, 20 (rejected), 21, 25, 28, 30, 35 (both), 40: the header is
    // line 4, so station N is on line N + 4.
    let expected: Vec<(Option<u32>, &str)> = [5, 7, 10, 14, 15, 21, 25, 28, 30, 35, 35, 40]
        .iter()
        .zip(["P-9", "P-14", "P-9", "P-14", "P-9", "P-14", "P-9", "P-14", "P-9", "P-9", "P-14"])
        .map(|(station, rule)| (Some(station + 4), rule))
        .chain([(Some(44), "P-9")])
        .collect();
    assert_eq!(codes(&whole), expected);
    let (version, by_three) = streamed(&csv, 3, &limits);
    assert_eq!(version, PROTOCOL_FORMAT_V2);
    assert_eq!(by_three, whole);

    // Past max_diagnostics the flags are counted, across chunks.
    let few = ProtocolLimits { max_diagnostics: 4, ..limits };
    let (_, capped) = streamed(&csv, 3, &few);
    assert_eq!(codes(&capped), expected[..4]);
    assert_eq!(capped.flags_omitted, 8);
    assert_eq!(capped.protocols, whole.protocols);

    // The same protocols as JSON, with `protocols` before `version` (held until the
    // version is known) and as saylau writes them.
    let mut out = Vec::new();
    write_protocols_json(&mut out, &whole.set()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\"version\": 2,"), "{}", &text[..200]);
    let json = dir.path().join("protocols.json");
    std::fs::write(&json, &text).unwrap();
    let (version, from_json) = streamed(&json, 4, &limits);
    assert_eq!(version, PROTOCOL_FORMAT_V2);
    assert_eq!(from_json.protocols, whole.protocols);
    assert_eq!(from_json.flags.len(), whole.flags.len());
    let start = text.find("  \"protocols\"").unwrap();
    let end = text.rfind('\n').unwrap();
    let late = format!(
        "{{\n{},\n{}\n}}\n",
        text[start..end].trim_end().trim_end_matches('}').trim_end(),
        text[2..start].trim_end().trim_end_matches(',')
    );
    let late_path = dir.path().join("late.json");
    std::fs::write(&late_path, &late).unwrap();
    let (version, held) = streamed(&late_path, 4, &limits);
    assert_eq!(version, PROTOCOL_FORMAT_V2, "{late}");
    assert_eq!(held.protocols, whole.protocols);
    assert_eq!(held.flags.len(), whole.flags.len());
}
