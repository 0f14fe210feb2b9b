//! The commissions register file (`docs/commissions.md`): members of election commissions
//! with their nominating party or organisation, role and term, one per CSV row, read into
//! the core's [`Member`]s with file, line, field and rule (`C-1` ... `C-10`) diagnostics.
//!
//! A register is loaded whole or not at all: [`parse_register`] returns every row, or every
//! problem of every row. The rules that need the store (the commissions registered, the
//! members already there) are the core's [`check_register`]; [`breach_diagnostic`] names
//! the row, field and rule of each breach it finds.
//!
//! [`check_register`]: saylau_core::law::composition::check_register

use std::fmt::Write as _;
use std::path::Path;

use saylau_core::law::composition::{Breach, Member, Nominator, Role};
use saylau_core::law::date::Date;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marked_csv::{MarkedCsv, NotMarked, line_of, open_marked};
use crate::rule::CommissionRule;

/// The first line of a register file.
pub const REGISTER_MARKER: &str = "# saylau-commissions v1";

/// The columns of a register file, in order.
pub const REGISTER_COLUMNS: [&str; 8] =
    ["commission", "person", "name", "role", "nominated_by", "party_member", "from", "to"];

/// A register file read: its good rows, each with its line, and the problems of the
/// others (a register is loaded only when it has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterFile {
    /// The file's name, as diagnostics give it.
    pub source: String,
    /// The members of the good rows, in the order of the file, each with its line.
    pub rows: Vec<(u32, Member)>,
    /// The problems of the bad rows (`C-2`), so that the rules of the good rows can be
    /// checked and reported with them.
    pub problems: Vec<Diagnostic>,
}

fn whole(source: &str, line: Option<u32>, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(source, line, "", CommissionRule::File, message)])
}

/// Reads the register file at `path`.
pub fn read_register(path: &Path) -> Result<RegisterFile, Diagnostics> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| whole(&source, None, format!("cannot read the file: {err}")))?;
    parse_register(&source, &text)
}

/// Parses a register file's text; `source` names it in diagnostics. A file that is not a
/// register at all is an `Err`; bad rows are [`RegisterFile::problems`].
pub fn parse_register(source: &str, text: &str) -> Result<RegisterFile, Diagnostics> {
    let MarkedCsv { mut reader, names, header_line } = open_marked(text, REGISTER_MARKER)
        .map_err(|NotMarked { line, message }| whole(source, line, message))?;
    if names != REGISTER_COLUMNS {
        let message = format!("the header must be {}", REGISTER_COLUMNS.join(","));
        return Err(whole(source, header_line, message));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map(|it| line_of(it.line()));
                problems.push(error(source, line, "", CommissionRule::Field, err.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |it| line_of(it.line()));
        if record.len() != REGISTER_COLUMNS.len() {
            let message = format!("{} fields, the header has {}", record.len(), names.len());
            problems.push(error(source, Some(line), "", CommissionRule::Field, message));
            continue;
        }
        let fields: Vec<&str> = record.iter().map(str::trim).collect();
        if let Some(member) = member(source, line, &fields, &mut problems) {
            rows.push((line, member));
        }
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(whole(source, header_line, "no members".to_owned()));
    }
    Ok(RegisterFile { source: source.to_owned(), rows, problems })
}

fn error(
    source: &str,
    line: Option<u32>,
    field: &str,
    rule: CommissionRule,
    message: String,
) -> Diagnostic {
    Diagnostic::error(source, line, field, rule, message)
}

/// The member of one row's `fields` (in [`REGISTER_COLUMNS`] order), or its problems.
fn member(
    source: &str,
    line: u32,
    fields: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Option<Member> {
    let before = problems.len();
    let mut bad = |field: &str, message: String| {
        problems.push(error(source, Some(line), field, CommissionRule::Field, message));
    };
    for (idx, column) in [(0, "commission"), (1, "person"), (2, "name")] {
        if fields[idx].is_empty() {
            bad(column, format!("the {column} is empty"));
        } else if idx < 2 && fields[idx].chars().any(|it| it.is_whitespace() || it == '/') {
            bad(column, format!("{:?}: an id has no spaces and no `/`", fields[idx]));
        }
    }
    let role = Role::parse(fields[3]);
    if role.is_none() {
        bad("role", format!("{:?} is not a role: chair, deputy, secretary or member", fields[3]));
    }
    let nominator = Nominator::parse(fields[4]);
    if nominator.is_none() {
        bad(
            "nominated_by",
            format!(
                "{:?} is not a nominator: party:NAME, ngo:NAME, akimat:NAME, maslikhat:NAME, \
                 commission:NAME, appointed:NAME, lot:NAME or self",
                fields[4]
            ),
        );
    }
    let mut date = |idx: usize, column: &str| match Date::parse(fields[idx]) {
        Ok(day) => Some(day),
        Err(err) => {
            bad(column, format!("{err} (a date is YYYY-MM-DD)"));
            None
        }
    };
    let from = date(6, "from");
    let to = date(7, "to");
    if problems.len() > before {
        return None;
    }
    Some(Member {
        commission: fields[0].to_owned(),
        person: fields[1].to_owned(),
        name: fields[2].to_owned(),
        role: role?,
        nominator: nominator?,
        party_member: (!fields[5].is_empty()).then(|| fields[5].to_owned()),
        from: from?,
        to: to?,
    })
}

/// The diagnostic of a breach of the register's rules at `line` of `source`.
pub fn breach_diagnostic(source: &str, line: u32, breach: &Breach) -> Diagnostic {
    let (field, rule) = match breach {
        Breach::UnknownCommission => ("commission", CommissionRule::UnknownCommission),
        Breach::TermOrder => ("to", CommissionRule::TermOrder),
        Breach::TwoCommissions { .. } => ("person", CommissionRule::TwoCommissions),
        Breach::Twice => ("person", CommissionRule::Twice),
        Breach::OverSize { .. } => ("commission", CommissionRule::OverSize),
        Breach::PartyTwice { .. } => ("nominated_by", CommissionRule::PartyTwice),
        Breach::RoleTwice { .. } => ("role", CommissionRule::RoleTwice),
        _ => ("", CommissionRule::Field),
    };
    error(source, Some(line), field, rule, breach.to_string())
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The text of a register file of `members`, with `notes` as comment lines after the
/// first line.
pub fn write_register(members: &[Member], notes: &[String]) -> String {
    let mut out = String::with_capacity(members.len() * 96 + 256);
    out.push_str(REGISTER_MARKER);
    out.push('\n');
    for note in notes {
        let _ = writeln!(out, "# {note}");
    }
    out.push_str(&REGISTER_COLUMNS.join(","));
    out.push('\n');
    for member in members {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            cell(&member.commission),
            cell(&member.person),
            cell(&member.name),
            member.role.as_str(),
            cell(&member.nominator.to_string()),
            cell(member.party_member.as_deref().unwrap_or("")),
            member.from,
            member.to
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse_register, write_register};

    fn check(text: &str, expect: &[&str]) {
        let found = match parse_register("r.csv", text) {
            Ok(file) if !file.problems.is_empty() => {
                file.problems.iter().map(ToString::to_string).collect()
            }
            Ok(file) => {
                let members: Vec<_> = file.rows.into_iter().map(|(_, it)| it).collect();
                assert_eq!(
                    parse_register("r.csv", &write_register(&members, &[]))
                        .map(|it| (it.rows.len(), it.problems.len())),
                    Ok((members.len(), 0)),
                    "the written file reads back"
                );
                Vec::new()
            }
            Err(diagnostics) => diagnostics.0.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(found, expect);
    }

    const HEAD: &str = "# saylau-commissions v1\n# synthetic\n\
                        commission,person,name,role,nominated_by,party_member,from,to\n";

    #[test]
    fn a_good_file_reads_and_writes_back() {
        let text = format!(
            "{HEAD}15,p1,\"Abenova, Aigul\",chair,party:nur-otan,nur-otan,2021-01-01,2025-12-31\n\
             15,p2,Kim,member,self,,2021-01-01,2025-12-31\n"
        );
        check(&text, &[]);
    }

    #[test]
    fn every_bad_field_is_named_with_its_line() {
        let text =
            format!("{HEAD}15,p 1,,boss,party,x,2021-02-30,2025-12-31\n15,p2,Kim,member,self,\n");
        check(
            &text,
            &[
                "r.csv:4: person: \"p 1\": an id has no spaces and no `/` (rule C-2)",
                "r.csv:4: name: the name is empty (rule C-2)",
                "r.csv:4: role: \"boss\" is not a role: chair, deputy, secretary or member (rule C-2)",
                "r.csv:4: nominated_by: \"party\" is not a nominator: party:NAME, ngo:NAME, \
                 akimat:NAME, maslikhat:NAME, commission:NAME, appointed:NAME, lot:NAME or self \
                 (rule C-2)",
                "r.csv:4: from: 2021-02-30 is not a day of the calendar (a date is YYYY-MM-DD) \
                 (rule C-2)",
                "r.csv:5: 6 fields, the header has 8 (rule C-2)",
            ],
        );
    }

    #[test]
    fn a_file_without_its_marker_or_header_is_refused() {
        check(
            "commission\n",
            &["r.csv:1: the first line must be \"# saylau-commissions v1\" (rule C-1)"],
        );
        check(
            "# saylau-commissions v1\ncommission,person\n",
            &[
                "r.csv:2: the header must be commission,person,name,role,nominated_by,party_member,from,to (rule C-1)",
            ],
        );
    }
}
