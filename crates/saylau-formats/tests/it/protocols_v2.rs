//! Protocol files of format v2: the optional lines and times read, written back byte for
//! byte in CSV and through JSON, v1 files unchanged, and each v2 rule (`P-8` to `P-14`,
//! `F-13`) met by a realistic bad protocol named by file, line, field and rule.

use saylau_formats::{
    PROTOCOL_FORMAT, PROTOCOL_FORMAT_V2, ProtocolFile, ProtocolLimits, parse_protocols_csv,
    parse_protocols_json, read_protocols_csv, write_protocols_csv, write_protocols_json,
};

const HEADER: &str = "station,region,region_name,district,district_name,voters_on_roll,\
ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,\
against_all,list:a,list:b,supplementary_list,signatures_on_roll,polls_closed,count_started,\
count_ended,protocol_posted,handed_over,video,video_sha256";

/// The lines 1-10 of a consistent Nur-Sultan station (1,210 voters of 1,500).
const LINES: &str = "1500,1515,1180,30,305,1210,12,1198,8,790,400";

/// The SHA-256 of the bytes `abc` (FIPS 180-2, appendix B.1).
const SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

/// A good row's v2 fields: 41 voters added on the day, a signature for every ballot issued
/// in the station, a count from 20:05 to 23:40, posted at 23:52 and handed over at 01:15.
fn good_extra() -> String {
    format!(
        "41,1180,2021-01-10T20:00,2021-01-10T20:05,2021-01-10T23:40,2021-01-10T23:52,\
         2021-01-11T01:15,https://video.example/15-02-0034.mp4,{SHA}"
    )
}

/// A v2 file of the good row for station `15-02-00NN` and more rows.
fn file(rows: &[String]) -> String {
    let mut text = format!("# saylau-protocols v2\n# list a: List A\n# list b: List B\n{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

fn row(station: u32, extra: &str) -> String {
    format!("15-02-{station:04},15,Nur-Sultan (Astana) city,15-02,Yesil district,{LINES},{extra}")
}

/// The v2 fields of the good row with field `idx` (0 = supplementary_list) set to `value`.
fn with(changes: &[(usize, &str)]) -> String {
    let mut fields: Vec<String> = good_extra().split(',').map(str::to_owned).collect();
    for (idx, value) in changes {
        fields[*idx] = (*value).to_owned();
    }
    fields.join(",")
}

/// Kept stations, then rejections and flags, one per line.
fn outcome(file: &ProtocolFile) -> String {
    let kept: Vec<String> = file.protocols.iter().map(|it| it.station().to_string()).collect();
    let mut res = format!("kept: {}", kept.join(" "));
    for diagnostic in &file.diagnostics().0 {
        res.push_str(&format!("\nrejected {diagnostic}"));
    }
    for flag in &file.flags {
        res.push_str(&format!("\nflagged {flag}"));
    }
    res
}

#[test]
fn a_v2_file_round_trips_through_csv_and_json() {
    let text = file(&[row(34, &good_extra()), row(35, &with(&[(0, ""), (7, ""), (8, "")]))]);
    let read = parse_protocols_csv("p.csv", text.as_bytes()).expect("a v2 file");
    assert_eq!(outcome(&read), "kept: 15-02-0034 15-02-0035");
    assert_eq!(read.version, PROTOCOL_FORMAT_V2);
    let extra = read.protocols[0].extra();
    assert_eq!(extra.signatures_on_roll.map(|it| it.0), Some(1180));
    assert_eq!(extra.video.as_ref().map(|it| it.sha256.to_string()).as_deref(), Some(SHA));
    assert!(read.protocols[1].extra().video.is_none());
    let mut written = Vec::new();
    write_protocols_csv(&mut written, &read.set()).expect("writing to memory");
    assert_eq!(String::from_utf8(written).expect("UTF-8"), text);
    let mut json = Vec::new();
    write_protocols_json(&mut json, &read.set()).expect("writing to memory");
    let json = String::from_utf8(json).expect("UTF-8");
    assert!(json.contains("\"version\": 2,"), "{json}");
    let again = parse_protocols_json("p.json", &json).expect("a v2 JSON file");
    assert_eq!(again.protocols, read.protocols);
    assert_eq!(again.version, PROTOCOL_FORMAT_V2);
}

#[test]
fn v1_files_are_read_and_written_as_before() {
    let v1 = format!(
        "# saylau-protocols v1\n# list a: List A\n# list b: List B\n{}\n{}\n",
        HEADER.split(",supplementary_list").next().unwrap_or_default(),
        row(34, "").trim_end_matches(',')
    );
    let read = parse_protocols_csv("p.csv", v1.as_bytes()).expect("a v1 file");
    assert_eq!(read.version, PROTOCOL_FORMAT);
    assert!(read.protocols[0].extra().is_empty());
    let mut written = Vec::new();
    write_protocols_csv(&mut written, &read.set()).expect("writing to memory");
    assert_eq!(String::from_utf8(written).expect("UTF-8"), v1);
    // A v2 column in a v1 file is unknown, as it always was.
    let mixed =
        v1.replacen("list:b", "list:b,signatures_on_roll", 1).replacen(",400\n", ",400,1180\n", 1);
    let err = parse_protocols_csv("p.csv", mixed.as_bytes()).expect_err("an unknown column");
    assert_eq!(
        err.to_string(),
        "p.csv:4: signatures_on_roll: unknown column \"signatures_on_roll\" (list columns are named list:<id>) (rule F-2)"
    );
}

#[test]
fn each_v2_rule_is_named_by_file_line_field_and_rule() {
    let text = file(&[
        row(34, &good_extra()),
        row(35, &with(&[(0, "1620")])),
        row(36, &with(&[(1, "1030")])),
        row(37, &with(&[(3, "2021-01-10T19:45")])),
        row(38, &with(&[(4, "2021-01-10T20:01")])),
        row(39, &with(&[(5, "2021-01-10T23:10")])),
        row(40, &with(&[(6, "2021-01-10T22:55")])),
        row(41, &with(&[(3, "2021-01-10T21:40")])),
        row(42, &with(&[(4, "2021-01-10 23:40"), (8, "ba7816bf")])),
        row(43, &with(&[(8, "")])),
        row(44, &with(&[(7, ""), (1, "\"1,180\"")])),
    ]);
    let read = parse_protocols_csv("p.csv", text.as_bytes()).expect("a v2 file");
    assert_eq!(
        outcome(&read),
        "kept: 15-02-0034 15-02-0036 15-02-0041\n\
         rejected p.csv:6: supplementary_list: station 15-02-0035: line 1.1 (entries in the supplementary list) 1,620 exceeds line 1 (voters on the roll) 1,500 (rule P-8)\n\
         rejected p.csv:8: count_started: station 15-02-0037: the count started at 2021-01-10T19:45, before the polls closed at 2021-01-10T20:00 (rule P-10)\n\
         rejected p.csv:9: count_ended: station 15-02-0038: count ended at 2021-01-10T20:01 is before count started at 2021-01-10T20:05 (rule P-11)\n\
         rejected p.csv:10: protocol_posted: station 15-02-0039: protocol posted at 2021-01-10T23:10 is before count ended at 2021-01-10T23:40 (rule P-12)\n\
         rejected p.csv:11: handed_over: station 15-02-0040: protocol handed over at 2021-01-10T22:55 is before count ended at 2021-01-10T23:40 (rule P-13)\n\
         rejected p.csv:13: count_ended: \"2021-01-10 23:40\" is not a local date and time (expected YYYY-MM-DDTHH:MM, such as 2021-01-10T20:45) (rule F-13)\n\
         rejected p.csv:13: video_sha256: \"ba7816bf\" is not a SHA-256 (64 hexadecimal digits) (rule F-13)\n\
         rejected p.csv:14: video_sha256: a video is given with the SHA-256 of its bytes (rule F-13)\n\
         rejected p.csv:15: signatures_on_roll: expected a whole number, found \"1,180\" (rule F-4)\n\
         rejected p.csv:15: video: a SHA-256 without the video it fixes (rule F-13)\n\
         flagged p.csv:7: signatures_on_roll: station 15-02-0036: line 3.1 (signatures on the roll) 1,030 is below line 3 (issued in the station) 1,180: 150 ballots without a signature (rule P-9)\n\
         flagged p.csv:12: count_started: station 15-02-0041: the count started at 2021-01-10T21:40, 100 minutes after the polls closed at 2021-01-10T20:00 (limit 60 minutes) (rule P-14)"
    );
    // The limit of a late count is a setting.
    let limits = ProtocolLimits { late_count_minutes: 120, ..ProtocolLimits::default() };
    let read = read_protocols_csv("p.csv", text.as_bytes(), &limits).expect("a v2 file");
    assert_eq!(read.flags.len(), 1, "{:?}", read.flags);
}

#[test]
fn v2_json_protocols_are_checked_the_same_way() {
    let protocol = |station: &str, extra: &str| {
        format!(
            r#"{{"station": "{station}", "region": "15", "district": "15-02", "voters_on_roll": 1500, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1210, "invalid": 12, "valid": 1198, "against_all": 8, "votes": {{"a": 790, "b": 400}}{extra}}}"#
        )
    };
    let text = format!(
        "{{\"format\": \"saylau-protocols\", \"version\": 2, \"lists\": [{{\"id\": \"a\"}}, {{\"id\": \"b\"}}], \"protocols\": [\n{},\n{},\n{},\n{}\n]}}",
        protocol("15-02-0034", r#", "signatures_on_roll": 1180, "video": null"#),
        protocol("15-02-0035", r#", "signatures_on_roll": "1180""#),
        protocol("15-02-0036", r#", "supplementary_list": 1501"#),
        protocol("15-02-0037", r#", "signatures_on_roll": 1100"#),
    );
    let read = parse_protocols_json("p.json", &text).expect("a v2 JSON file");
    assert_eq!(
        outcome(&read),
        "kept: 15-02-0034 15-02-0037\n\
         rejected p.json:3: protocols[1].signatures_on_roll: expected a whole number, found \"1180\" (rule F-4)\n\
         rejected p.json:4: protocols[2].supplementary_list: station 15-02-0036: line 1.1 (entries in the supplementary list) 1,501 exceeds line 1 (voters on the roll) 1,500 (rule P-8)\n\
         flagged p.json:5: protocols[3].signatures_on_roll: station 15-02-0037: line 3.1 (signatures on the roll) 1,100 is below line 3 (issued in the station) 1,180: 80 ballots without a signature (rule P-9)"
    );
    // In a v1 file the v2 keys are unknown.
    let v1 = text.replace("\"version\": 2", "\"version\": 1");
    let read = parse_protocols_json("p.json", &v1).expect("a v1 JSON file");
    assert_eq!(read.protocols.len(), 0);
    assert_eq!(
        read.diagnostics().0[0].to_string(),
        "p.json:2: protocols[0].signatures_on_roll: unknown key signatures_on_roll (rule F-11)"
    );
}
