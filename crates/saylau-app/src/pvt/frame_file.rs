//! Frame files (`# saylau-stations v1`, CSV): every polling station with its voters on
//! the roll and any attributes to stratify by, such as `settlement` (town or rural).
//!
//! ```text
//! # saylau-stations v1
//! # SYNTHETIC DATA ...
//! station,voters_on_roll,settlement
//! 01-01-0001,1650,town
//! ```
//!
//! `region` and `district` come from the station id and are not columns. A protocol file
//! (`# saylau-protocols v1`, or JSON) is also a frame: its stations with line 1, and no
//! attributes besides region and district. [`frame_sha256`] fingerprints a frame so that
//! a plan names the frame it was made from.

use std::fmt::Write as _;
use std::path::Path;

use saylau_core::count::commission::StationId;
use saylau_formats::{Diagnostic, Diagnostics, read_protocols};
use saylau_stats::pvt::frame::{DISTRICT, Frame, FrameStation, REGION};
use sha2::{Digest, Sha256};

use super::{diagnostic, rejected, rule};

/// The first line of a frame file.
pub const FRAME_MARKER: &str = "# saylau-stations v1";

/// Reads a frame: a frame file, or a protocol file (by its first line or `.json`).
pub fn read_frame(path: &Path) -> Result<Frame, Diagnostics> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| {
        rejected(&source, None, "", rule::FRAME_FILE, format!("cannot read the file: {err}"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let is_json = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json || text.starts_with("# saylau-protocols") {
        return frame_of_protocols(path);
    }
    parse_frame(&source, text)
}

/// The frame of a protocol file's stations; a file with rejected rows is refused.
fn frame_of_protocols(path: &Path) -> Result<Frame, Diagnostics> {
    let file = read_protocols(path)?;
    if !file.rejected.is_empty() {
        return Err(file.diagnostics());
    }
    let stations = file
        .protocols
        .iter()
        .map(|protocol| FrameStation {
            station: protocol.station(),
            voters_on_roll: protocol.lines().voters_on_roll.0,
            attributes: Vec::new(),
        })
        .collect();
    Frame::new(Vec::new(), stations).map_err(|err| {
        rejected(&path.display().to_string(), None, "", rule::FRAME_ROW, err.to_string())
    })
}

/// Reads a frame file's text; `source` names it in diagnostics. Every bad row is
/// reported, and any bad row refuses the frame: a sample drawn from part of a frame is
/// not the published design.
pub fn parse_frame(source: &str, text: &str) -> Result<Frame, Diagnostics> {
    let mut lines = text.lines().enumerate();
    if lines.next().map(|(_, line)| line.trim_end()) != Some(FRAME_MARKER) {
        let message = format!("the first line must be {FRAME_MARKER:?}");
        return Err(rejected(source, Some(1), "", rule::FRAME_FILE, message));
    }
    let mut rows = lines.filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty());
    let Some((header_idx, header)) = rows.next() else {
        return Err(rejected(source, None, "", rule::FRAME_FILE, "no header row".to_owned()));
    };
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    let header_line = line_number(header_idx);
    if names.len() < 2 || names[0] != "station" || names[1] != "voters_on_roll" {
        let message = "the header must start with station,voters_on_roll".to_owned();
        return Err(rejected(source, Some(header_line), "", rule::FRAME_FILE, message));
    }
    let attributes: Vec<String> = names[2..].iter().map(|name| (*name).to_owned()).collect();
    for (idx, name) in attributes.iter().enumerate() {
        let bad = name.is_empty()
            || name == REGION
            || name == DISTRICT
            || attributes[..idx].contains(name)
            || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if bad {
            let message = format!(
                "attribute {name:?} must be a new name of lowercase letters, digits and _ (region and district come from the station id)"
            );
            return Err(rejected(source, Some(header_line), name, rule::FRAME_FILE, message));
        }
    }
    let (stations, found) = frame_rows(source, rows, names.len());
    if !found.is_empty() {
        return Err(Diagnostics(found));
    }
    Frame::new(attributes, stations)
        .map_err(|err| rejected(source, None, "", rule::FRAME_ROW, err.to_string()))
}

/// The frame's rows, with a diagnostic for every bad one.
fn frame_rows<'t>(
    source: &str,
    rows: impl Iterator<Item = (usize, &'t str)>,
    n_columns: usize,
) -> (Vec<FrameStation>, Vec<Diagnostic>) {
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut stations: Vec<FrameStation> = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (idx, row) in rows {
        let line = line_number(idx);
        let mut bad = |field: &str, message: String| {
            found.push(diagnostic(source, Some(line), field, rule::FRAME_ROW, message));
        };
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != n_columns {
            bad("", format!("{} fields, the header has {n_columns}", fields.len()));
            continue;
        }
        let station = StationId::parse(fields[0]);
        let roll =
            fields[1].parse::<u64>().ok().filter(|_| fields[1].bytes().all(|b| b.is_ascii_digit()));
        match (&station, roll) {
            (Err(err), _) => bad("station", err.to_string()),
            (_, None) => bad("voters_on_roll", format!("{:?} is not a whole number", fields[1])),
            (Ok(station), Some(roll)) => {
                if let Some(first) = seen.insert(*station, line) {
                    bad("station", format!("station {station} is also on line {first}"));
                    continue;
                }
                let values = fields[2..].iter().map(|value| (*value).to_owned()).collect();
                stations.push(FrameStation {
                    station: *station,
                    voters_on_roll: roll,
                    attributes: values,
                });
            }
        }
    }
    (stations, found)
}

fn line_number(idx: usize) -> u32 {
    u32::try_from(idx + 1).unwrap_or(u32::MAX)
}

/// A frame file's text, with `notes` as comment lines.
pub fn frame_csv(frame: &Frame, notes: &[String]) -> String {
    let mut res = format!("{FRAME_MARKER}\n");
    for note in notes {
        let _ = writeln!(res, "# {note}");
    }
    res.push_str("station,voters_on_roll");
    for name in frame.attribute_names() {
        let _ = write!(res, ",{name}");
    }
    res.push('\n');
    for it in frame.stations() {
        let _ = write!(res, "{},{}", it.station, it.voters_on_roll);
        for value in &it.attributes {
            let _ = write!(res, ",{value}");
        }
        res.push('\n');
    }
    res
}

/// The SHA-256 of a frame's canonical text (the frame file without notes), as 64 hex
/// digits: the same stations, rolls and attributes give the same hash however the file
/// was laid out.
pub fn frame_sha256(frame: &Frame) -> String {
    let digest = Sha256::digest(frame_csv(frame, &[]).as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &str) {
        let res = match parse_frame("f.csv", text) {
            Ok(frame) => {
                let rows: Vec<String> = frame
                    .stations()
                    .iter()
                    .map(|it| {
                        format!("{} {} {}", it.station, it.voters_on_roll, it.attributes.join("/"))
                    })
                    .collect();
                format!("[{}] {}", frame.attribute_names().join(","), rows.join("; "))
            }
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_frames_and_refuses_bad_rows() {
        let head = "# saylau-stations v1\n# a note\nstation,voters_on_roll,settlement\n";
        check(
            &format!("{head}01-01-0002,900,rural\n01-01-0001,1500,town\n"),
            "[settlement] 01-01-0001 1500 town; 01-01-0002 900 rural",
        );
        check(
            &format!(
                "{head}01-01-0001,15x0,town\n1-1-1,10,town\n01-01-0003,5\n01-01-0004,5,town\n01-01-0004,6,town\n"
            ),
            "f.csv:4: voters_on_roll: \"15x0\" is not a whole number (rule Q-2)\n\
             f.csv:5: station: \"1-1-1\" is not a commission id (expected CEC, RR, RR-DD or RR-DD-SSSS with digits, such as 15-02-0034) (rule Q-2)\n\
             f.csv:6: 2 fields, the header has 3 (rule Q-2)\n\
             f.csv:8: station: station 01-01-0004 is also on line 7 (rule Q-2)",
        );
        check(
            "station,voters_on_roll\n",
            "f.csv:1: the first line must be \"# saylau-stations v1\" (rule Q-1)",
        );
        check(
            "# saylau-stations v1\nstation,voters_on_roll,region\n",
            "f.csv:2: region: attribute \"region\" must be a new name of lowercase letters, digits and _ (region and district come from the station id) (rule Q-1)",
        );
    }

    #[test]
    fn the_hash_ignores_notes_and_row_order() {
        let one = parse_frame(
            "a",
            "# saylau-stations v1\n# x\nstation,voters_on_roll\n01-01-0001,5\n01-01-0002,6\n",
        );
        let two = parse_frame(
            "b",
            "# saylau-stations v1\nstation,voters_on_roll\n01-01-0002,6\n01-01-0001,5\n",
        );
        let (one, two) = (one.expect("a frame"), two.expect("a frame"));
        assert_eq!(frame_sha256(&one), frame_sha256(&two));
        let three = parse_frame(
            "c",
            "# saylau-stations v1\nstation,voters_on_roll\n01-01-0002,7\n01-01-0001,5\n",
        );
        assert_ne!(frame_sha256(&one), frame_sha256(&three.expect("a frame")));
    }
}
