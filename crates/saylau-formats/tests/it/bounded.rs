//! Bounded reads of protocol files (issue 10, item 5): the diagnostics kept are capped and
//! the rest counted, a file that is not a protocol file fails on its first kilobytes, and
//! no row can make the reader hold more than its limit, however large the input.

use std::io::Read;

use saylau_formats::{Omitted, ProtocolLimits, read_protocols_csv};

const HEADER: &str = "station,region,region_name,district,district_name,voters_on_roll,\
ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,\
against_all,list:a,list:b";

const GOOD: &str =
    "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400\n";

/// An endless input: `head`, then `fill` repeated forever; counts the bytes read from it.
struct Endless {
    head: Vec<u8>,
    fill: Vec<u8>,
    read: usize,
}

impl Endless {
    fn new(head: &str, fill: &str) -> Endless {
        Endless { head: head.as_bytes().to_vec(), fill: fill.as_bytes().to_vec(), read: 0 }
    }
}

impl Read for &mut Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        for (idx, byte) in buf.iter_mut().enumerate() {
            let at = self.read + idx;
            *byte = match self.head.get(at) {
                Some(byte) => *byte,
                None => self.fill[(at - self.head.len()) % self.fill.len()],
            };
        }
        self.read += buf.len();
        Ok(buf.len())
    }
}

/// Reads `input` and gives the rules and lines of the diagnostics of the failed file.
fn failure(input: &mut Endless) -> Vec<String> {
    let limits = ProtocolLimits::default();
    let Err(diagnostics) = read_protocols_csv("g.csv", input, &limits) else {
        panic!("an endless file cannot be read whole");
    };
    diagnostics.0.iter().map(|it| format!("{}:{}", it.rule, it.line.unwrap_or(0))).collect()
}

#[test]
fn a_file_without_the_marker_fails_on_its_first_kilobytes() {
    let mut input = Endless::new("", "garbage,\"rows\n");
    assert_eq!(failure(&mut input), ["F-1:1"]);
    assert!(input.read <= 128 << 10, "read {} bytes", input.read);
    // A first line that never ends is not the marker either.
    let mut input = Endless::new("# ", "x");
    assert_eq!(failure(&mut input), ["F-1:1"]);
    assert!(input.read <= (1 << 20) + (128 << 10), "read {} bytes", input.read);
}

#[test]
fn a_header_that_never_ends_fails_at_the_limit_of_a_row() {
    let mut input = Endless::new("# saylau-protocols v1\nstation,", "x");
    assert_eq!(failure(&mut input), ["F-12:2"]);
    assert!(input.read <= (1 << 20) + (256 << 10), "read {} bytes", input.read);
    // Nor can the comments before the header grow without end.
    let mut input = Endless::new("# saylau-protocols v1\n", "# a note\n");
    // The marker's 22 bytes and 9 bytes a note: the line that passes 1 MiB.
    let line = (ProtocolLimits::MAX_PREAMBLE_BYTES - 22) / 9 + 2;
    assert_eq!(failure(&mut input), [format!("F-12:{line}")]);
}

#[test]
fn a_quote_left_open_fails_at_the_limit_with_the_rows_rejected_before_it() {
    let head = format!("# saylau-protocols v1\n{HEADER}\n{GOOD}bad,row\n\"open");
    let mut input = Endless::new(&head, "x,y\n");
    assert_eq!(failure(&mut input), ["F-3:4", "F-12:5"]);
    assert!(input.read <= (1 << 20) + (256 << 10), "read {} bytes", input.read);
}

#[test]
fn only_the_first_diagnostics_are_kept_and_the_rest_counted() {
    let mut text = format!("# saylau-protocols v1\n{HEADER}\n{GOOD}");
    for row in 0..10 {
        // Each bad row has two problems: its station id and a number.
        text.push_str(&format!(
            "01-03-x{row},01,Akmola,01-03,Town 3,15o0,1515,1180,30,305,1210,12,1198,8,790,400\n"
        ));
    }
    let limits = ProtocolLimits { max_diagnostics: 5, ..ProtocolLimits::default() };
    let file = read_protocols_csv("c.csv", text.as_bytes(), &limits).expect("a protocol file");
    assert_eq!(file.protocols.len(), 1);
    // Two rows of two fit in five; the third row does not, and no row after it is kept.
    let lines: Vec<u32> = file.rejected.iter().map(|row| row.line).collect();
    assert_eq!(lines, [4, 5]);
    assert_eq!(file.diagnostics().0.len(), 4);
    assert_eq!(file.omitted, Omitted { rows: 8, diagnostics: 16 });
    // With the default limit every row is kept.
    let file = read_protocols_csv("c.csv", text.as_bytes(), &ProtocolLimits::default())
        .expect("a protocol file");
    assert_eq!((file.rejected.len(), file.omitted), (10, Omitted::default()));
}

/// Found by `bench-fuzz` (plurality-csv): a header whose columns repeat thousands of times
/// gave a diagnostic per column, and each counted the lines from the file's start (3.9 s
/// for 32 KB). Every diagnostic still names line 1 and the column; the lines are now found
/// by a binary search in the line starts (`Sink::line_of`).
#[test]
fn a_header_of_repeated_columns_names_each_repeat_on_its_line() {
    let header = "race,region,against_".repeat(2000);
    let text = format!("{header}\n1,2,3\n");
    let Err(diagnostics) = saylau_formats::parse_plurality_csv("p.csv", &text, &[]) else {
        panic!("a header of repeated columns is refused");
    };
    let twice: Vec<&saylau_formats::Diagnostic> =
        diagnostics.0.iter().filter(|it| it.message.contains("named twice")).collect();
    // 4,001 columns (race, 2,000 region, 1,999 against_race, against_) of 4 names.
    assert_eq!(twice.len(), 3997);
    assert!(twice.iter().all(|it| it.line == Some(1)));
    let row = diagnostics.0.iter().find(|it| it.message.contains("this row has"));
    assert_eq!(row.and_then(|it| it.line), Some(2));
}
