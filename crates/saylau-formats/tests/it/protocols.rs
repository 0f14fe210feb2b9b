//! Protocol files (CSV and JSON, format v1): good rows kept, bad rows rejected whole with
//! exact diagnostics, whole-file problems, round trips, and the rule table of the docs.

use saylau_formats::{
    ProtocolFile, parse_protocols_csv, parse_protocols_json, write_protocols_csv,
    write_protocols_json,
};

const HEADER: &str = "station,region,region_name,district,district_name,voters_on_roll,\
ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,\
against_all,list:a,list:b";

/// A file of three good protocols, in the canonical form the writer produces.
fn good_csv() -> String {
    format!(
        "# saylau-protocols v1\n# list a: List A\n# list b: List B\n# test data\n{HEADER}\n\
         01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400\n\
         01-03-0035,01,Akmola,01-03,Town 3,900,909,600,20,289,620,20,600,0,300,300\n\
         16-01-0001,16,Almaty city,16-01,\"Almaty, district 1\",2000,2020,700,0,1320,700,0,700,0,350,350\n"
    )
}

/// Reads CSV text and shows the kept stations and every diagnostic, one per line.
fn outcome(file: &Result<ProtocolFile, saylau_formats::Diagnostics>) -> String {
    match file {
        Ok(file) => {
            let kept: Vec<String> =
                file.protocols.iter().map(|protocol| protocol.station().to_string()).collect();
            let mut res = format!("kept: {}", kept.join(" "));
            for diagnostic in &file.diagnostics().0 {
                res.push_str(&format!("\n{diagnostic}"));
            }
            res
        }
        Err(diagnostics) => format!("rejected file:\n{diagnostics}"),
    }
}

fn check_csv(text: &str, expect: &str) {
    let file = parse_protocols_csv("p.csv", text.as_bytes());
    assert_eq!(outcome(&file), expect);
}

#[test]
fn a_good_file_is_read_whole() {
    let text = good_csv();
    let file = parse_protocols_csv("p.csv", text.as_bytes()).expect("a good file");
    assert_eq!(outcome(&Ok(file.clone())), "kept: 01-03-0034 01-03-0035 16-01-0001");
    assert_eq!(file.notes, ["test data"]);
    let names: Vec<&str> = file.ballot.lists().iter().map(|list| list.name.as_str()).collect();
    assert_eq!(names, ["List A", "List B"]);
    let district = file.protocols[2].station().district();
    assert_eq!(file.hierarchy.district_name(district), Some("Almaty, district 1"));
    let mut written = Vec::new();
    write_protocols_csv(&mut written, &file.set()).expect("writing to memory");
    assert_eq!(String::from_utf8(written).expect("UTF-8"), text);
}

#[test]
fn bad_rows_are_rejected_whole_and_good_rows_kept() {
    let rows = [
        // Line 6: good.
        "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400",
        // Line 7: more ballots found than issued (P-3).
        "01-03-0036,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1212,12,1200,8,792,400",
        // Line 8: a number with a letter, and an empty one (F-4).
        "01-03-0037,01,Akmola,01-03,Town 3,15o0,1515,1180,30,305,1210,12,1198,8,,400",
        // Line 9: a malformed station id (F-5) and a region that does not match (F-6).
        "1-03-0038,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400",
        "01-03-0039,02,Akmola,01-04,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400",
        // Line 11: another name for district 01-03 (F-7).
        "01-03-0040,01,Akmola,01-03,Kokshetau,1500,1515,1180,30,305,1210,12,1198,8,790,400",
        // Line 12: station 01-03-0034 again (F-8).
        "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400",
        // Line 13: a field short (F-3).
        "01-03-0041,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790",
        // Line 14: ballots unaccounted for and too many issued (P-1, P-2), valid ballots
        // that are not the votes (P-5).
        "01-03-0042,01,Akmola,01-03,Town 3,1000,1515,1180,30,300,1210,12,1198,8,790,401",
        // Line 15: good.
        "01-03-0043,01,Akmola,01-03,,900,909,600,20,289,620,20,600,0,300,300",
    ];
    let text = format!(
        "# saylau-protocols v1\n# list a: A\n# list b: B\n# test data\n{HEADER}\n{}\n",
        rows.join("\n")
    );
    insta::assert_snapshot!(outcome(&parse_protocols_csv("p.csv", text.as_bytes())), @r#"
    kept: 01-03-0034 01-03-0043
    p.csv:7: found_in_boxes: station 01-03-0036: line 6 (found in boxes) 1,212 exceeds lines 3+4 (ballots issued) 1,210 (rule P-3)
    p.csv:8: voters_on_roll: expected a whole number, found "15o0" (rule F-4)
    p.csv:8: list:a: expected a whole number, found an empty field (rule F-4)
    p.csv:9: station: "1-03-0038" is not a commission id (expected CEC, RR, RR-DD or RR-DD-SSSS with digits, such as 15-02-0034) (rule F-5)
    p.csv:10: region: region "02" does not match station 01-03-0039 (expected 01) (rule F-6)
    p.csv:10: district: district "01-04" does not match station 01-03-0039 (expected 01-03) (rule F-6)
    p.csv:11: district_name: commission 01-03 is named "Kokshetau" here and "Town 3" on an earlier row (rule F-7)
    p.csv:12: station: station 01-03-0034 is on an earlier row too (rule F-8)
    p.csv:13: this row has 15 fields, the header has 16 columns (rule F-3)
    p.csv:14: ballots_received: station 01-03-0042: line 2 (ballots received) 1,515 differs from lines 3+4+5 (issued in the station, issued outside, cancelled) 1,510 (rule P-1)
    p.csv:14: issued_in_station: station 01-03-0042: lines 3+4 (ballots issued) 1,210 exceed line 1 (voters on the roll) 1,000 (rule P-2)
    p.csv:14: valid: station 01-03-0042: line 8 (valid) 1,198 differs from lines 9+10.1..10.2 (against all and list votes) 1,199 (rule P-5)
    "#);
}

#[test]
fn whole_file_problems_reject_the_file() {
    check_csv(
        &format!("{HEADER}\n"),
        "rejected file:\np.csv:1: a protocol file starts with the line \"# saylau-protocols v1\" (rule F-1)",
    );
    check_csv(
        &format!("# saylau-protocols v3\n{HEADER}\n"),
        "rejected file:\np.csv:1: protocol file format version 3 is not supported (this saylau reads versions 1 and 2) (rule F-1)",
    );
    check_csv(
        "# saylau-protocols v1\n# list c: C\nstation,region,region_name,district,district_name,voters_on_roll,\
         ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,\
         against_all,against_all,turnout,list:a\n",
        "rejected file:\n\
         p.csv:3: valid: the header has no column valid (rule F-2)\n\
         p.csv:3: against_all: the header names the column against_all twice (rule F-2)\n\
         p.csv:3: turnout: unknown column \"turnout\" (list columns are named list:<id>) (rule F-2)",
    );
    check_csv(
        &format!("# saylau-protocols v1\n# list c: C\n{HEADER}\n"),
        "rejected file:\np.csv:3: list c is named in the preamble but has no column (rule F-2)",
    );
    check_csv(
        "# saylau-protocols v1\n",
        "rejected file:\np.csv:2: the file has no header row (rule F-2)",
    );
    check_csv(&format!("\u{feff}# saylau-protocols v1\n{HEADER}\n"), "kept: ");
}

#[test]
fn json_reads_the_same_protocols_as_csv() {
    let csv = parse_protocols_csv("p.csv", good_csv().as_bytes()).expect("a good file");
    let mut written = Vec::new();
    write_protocols_json(&mut written, &csv.set()).expect("writing to memory");
    let text = String::from_utf8(written).expect("UTF-8");
    let json = parse_protocols_json("p.json", &text).expect("a good file");
    assert_eq!(json, csv);
    assert!(text.lines().nth(6).is_some_and(|line| line.contains("\"station\":\"01-03-0034\"")));
}

/// `good_csv()` with a `base_version` column after the names, holding `bases`.
fn based_csv(bases: [&str; 3]) -> String {
    let header = HEADER.replace("district_name,", "district_name,base_version,");
    format!(
        "# saylau-protocols v1\n# list a: List A\n# list b: List B\n# test data\n{header}\n\
         01-03-0034,01,Akmola,01-03,Town 3,{},1500,1515,1180,30,305,1210,12,1198,8,790,400\n\
         01-03-0035,01,Akmola,01-03,Town 3,{},900,909,600,20,289,620,20,600,0,300,300\n\
         16-01-0001,16,Almaty city,16-01,\"Almaty, district 1\",{},2000,2020,700,0,1320,700,0,700,0,350,350\n",
        bases[0], bases[1], bases[2]
    )
}

#[test]
fn base_versions_are_read_and_written() {
    let text = based_csv(["3", "", "1"]);
    let file = parse_protocols_csv("p.csv", text.as_bytes()).expect("a good file");
    assert!(file.rejected.is_empty(), "{}", file.diagnostics());
    let bases: Vec<String> =
        file.base_versions.iter().map(|(station, base)| format!("{station}@{base}")).collect();
    assert_eq!(bases, ["01-03-0034@3", "16-01-0001@1"]);
    let mut written = Vec::new();
    write_protocols_csv(&mut written, &file.set()).expect("writing to memory");
    let written = String::from_utf8(written).expect("UTF-8");
    assert!(written.contains("district_name,base_version,voters_on_roll"), "{written}");
    assert_eq!(parse_protocols_csv("p.csv", written.as_bytes()).expect("a good file"), file);
    let mut json = Vec::new();
    write_protocols_json(&mut json, &file.set()).expect("writing to memory");
    let json = String::from_utf8(json).expect("UTF-8");
    assert!(json.contains("\"base_version\":3"), "{json}");
    assert_eq!(parse_protocols_json("p.json", &json).expect("a good file"), file);
    check_csv(
        &based_csv(["0", "x", "2"]),
        "kept: 16-01-0001\n\
         p.csv:6: base_version: a base version is a version of the log, from 1 (rule F-4)\n\
         p.csv:7: base_version: expected a whole number, found \"x\" (rule F-4)",
    );
}

#[test]
fn bad_json_protocols_are_rejected_alone() {
    let text = r#"{
  "format": "saylau-protocols",
  "version": 1,
  "lists": [{"id": "a", "name": "A"}, {"id": "b"}],
  "protocols": [
    {"station": "01-03-0034", "region": "01", "district": "01-03", "voters_on_roll": 1500, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1210, "invalid": 12, "valid": 1198, "against_all": 8, "votes": {"a": 790, "b": 400}},
    {"station": "01-03-0035", "region": "01", "district": "01-03", "voters_on_roll": -5, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1210, "invalid": 12.5, "valid": 1198, "against_all": 8, "votes": {"a": 790, "c": 400}, "turnout": 80},
    [1, 2],
    {"station": "01-03-0036", "region": "01", "district": "01-03", "voters_on_roll": 1500, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1212, "invalid": 12, "valid": 1200, "against_all": 8, "votes": {"a": 792, "b": 400}}
  ]
}"#;
    insta::assert_snapshot!(outcome(&parse_protocols_json("p.json", text)), @r#"
    kept: 01-03-0034
    p.json:7: protocols[1].turnout: unknown key turnout (rule F-11)
    p.json:7: protocols[1].voters_on_roll: expected a whole number, found -5 (rule F-4)
    p.json:7: protocols[1].invalid: expected a whole number, found 12.5 (rule F-4)
    p.json:7: protocols[1].votes.c: list c is not on the ballot (rule F-11)
    p.json:7: protocols[1].votes.b: missing key b (rule F-11)
    p.json:8: protocols[2]: expected a protocol object (rule F-3)
    p.json:9: protocols[3].found_in_boxes: station 01-03-0036: line 6 (found in boxes) 1,212 exceeds lines 3+4 (ballots issued) 1,210 (rule P-3)
    "#);
}

#[test]
fn a_json_key_given_twice_is_an_error_not_its_last_value() {
    // serde_json alone would read the second "valid" and the second "a".
    let text = r#"{
  "format": "saylau-protocols",
  "version": 1,
  "lists": [{"id": "a", "name": "A"}, {"id": "b"}],
  "protocols": [
    {"station": "01-03-0034", "region": "01", "district": "01-03", "voters_on_roll": 1500, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1210, "invalid": 12, "valid": 1198, "against_all": 8, "votes": {"a": 790, "b": 400}},
    {"station": "01-03-0035", "region": "01", "district": "01-03", "voters_on_roll": 1500, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1210, "invalid": 12, "valid": 1, "valid": 1198, "against_all": 8, "votes": {"a": 790, "b": 400}},
    {"station": "01-03-0036", "region": "01", "district": "01-03", "voters_on_roll": 1500, "ballots_received": 1515, "issued_in_station": 1180, "issued_outside": 30, "cancelled": 305, "found_in_boxes": 1210, "invalid": 12, "valid": 1198, "against_all": 8, "votes": {"a": 1, "a": 790, "b": 400}}
  ]
}"#;
    insta::assert_snapshot!(outcome(&parse_protocols_json("p.json", text)), @r#"
    kept: 01-03-0034
    p.json:7: protocols[1]: the key "valid" is given twice (rule F-11)
    p.json:8: protocols[2]: the key "a" is given twice (rule F-11)
    "#);
    let top = r#"{"format": "saylau-protocols", "format": "x", "version": 1, "lists": [], "protocols": []}"#;
    assert_eq!(
        outcome(&parse_protocols_json("p.json", top)),
        "rejected file:\np.json:1: the key \"format\" is given twice (rule F-10)"
    );
}

#[test]
fn bad_json_files_are_rejected() {
    let check = |text: &str, expect: &str| {
        assert_eq!(outcome(&parse_protocols_json("p.json", text)), expect);
    };
    check("{\n  \"format\": ", "rejected file:\np.json:2: EOF while parsing a value (rule F-10)");
    check(
        r#"{"format": "x", "version": 3, "lists": [], "protocols": [], "extra": 1}"#,
        "rejected file:\n\
         p.json:1: extra: unknown key extra (expected one of: format, version, notes, lists, protocols) (rule F-11)\n\
         p.json:1: format: the format must be \"saylau-protocols\" (rule F-1)\n\
         p.json:1: version: protocol file format version 3 is not supported (this saylau reads versions 1 and 2) (rule F-1)\n\
         p.json:1: lists: a ballot needs at least one list (rule F-2)",
    );
}

#[test]
fn ids_and_numbers_past_the_documented_ranges_are_refused() {
    let rows = [
        // Line 5: region 18 does not exist (F-5).
        "18-03-0034,18,Akmola,18-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400",
        // Line 6: 21 digits, though the value is small (F-4).
        "01-03-0035,01,Akmola,01-03,Town 3,000000000000000001500,1515,1180,30,305,1210,12,1198,8,790,400",
        // Line 7: good, 20 digits with leading zeros.
        "01-03-0036,01,Akmola,01-03,Town 3,00000000000000001500,1515,1180,30,305,1210,12,1198,8,790,400",
    ];
    let text =
        format!("# saylau-protocols v1\n# list a: A\n# list b: B\n{HEADER}\n{}\n", rows.join("\n"));
    insta::assert_snapshot!(outcome(&parse_protocols_csv("p.csv", text.as_bytes())), @r#"
    kept: 01-03-0036
    p.csv:5: station: "18-03-0034" names region 18, but region codes are 01 to 17 (rule F-5)
    p.csv:6: voters_on_roll: expected a whole number, found "000000000000000001500" (rule F-4)
    "#);
}
