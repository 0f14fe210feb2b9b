//! The result files beside election files: plurality rounds, party funding, published
//! tables and lots. The bundled ones read and say what the seed says; bad ones are
//! rejected with every problem, its line and its rule.

use saylau_core::count::consistency::check_table;
use saylau_core::law::funding::{Tenge, funding};
use saylau_core::law::plurality::round_result;
use saylau_formats::{
    parse_commission, parse_funding, parse_lot, parse_plurality, parse_plurality_csv,
    parse_published_table, read_funding, read_published_table,
};

use crate::data_dir;

/// A problem per line of `diagnostics`, or `ok` when `res` is a success.
fn diagnostics<T>(res: Result<T, saylau_formats::Diagnostics>) -> String {
    match res {
        Ok(_) => "ok".to_owned(),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

#[test]
fn bundled_funding_reproduces_its_published_amounts() {
    let file = read_funding(&data_dir().join("kz/funding-2021.toml"), &[])
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert!(file.meta.source.is_some(), "the bundled file cites its source");
    let res = funding(&file.rules, &file.parties).expect("valid funding rules");
    let mut compared = 0;
    for (party, published) in res.parties.iter().zip(&file.published) {
        if let Some(published) = published {
            assert_eq!(party.amount, *published, "{}", party.id);
            compared += 1;
        }
    }
    assert_eq!(compared, 3, "Nur Otan, Ak Zhol and the People's Party are published");
    assert_eq!(res.total, Tenge(8_414_899_275));
}

#[test]
fn bundled_tables_read_and_agree_with_each_other() {
    let read = |name: &str| {
        read_published_table(&data_dir().join("kz").join(name), &[])
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
    };
    let results = read("akim-2021-results.toml");
    let registration = read("akim-2021-registration.toml");
    let problems: Vec<(String, Option<String>)> = check_table(&results.table)
        .problems
        .into_iter()
        .map(|problem| (problem.row, problem.column))
        .collect();
    assert_eq!(problems, [("zhambyl".to_owned(), None), ("total".to_owned(), None)]);
    // Table 2's registered candidates are table 3's candidates, region by region, where
    // table 2 publishes them.
    let cell = |file: &saylau_formats::PublishedTableFile, row_id: &str, column_id: &str| {
        let table = &file.table;
        let column = table.columns().iter().position(|column| column.id == column_id)?;
        let row = table.rows().iter().find(|row| row.id == row_id)?;
        match row.cells[column] {
            saylau_core::count::consistency::Cell::Count(value) => Some(value),
            _ => None,
        }
    };
    let mut compared = 0;
    for row in
        registration.table.rows().iter().filter(|row| row.id != "total" && row.id != "shares")
    {
        if let Some(registered) = cell(&registration, &row.id, "registered") {
            assert_eq!(cell(&results, &row.id, "candidates"), Some(registered), "{}", row.id);
            compared += 1;
        }
    }
    assert_eq!(compared, 11, "eleven regions publish their registrations");
}

#[test]
fn plurality_files_from_toml_and_csv_agree() {
    let toml = "[plurality]\nname = \"r\"\n\
        [[races]]\nid = \"a\"\nregion = \"north\"\nagainst_all = 3\ncandidates = [{ name = \"A\", party = \"x\", votes = 10 }, { name = \"B\", votes = 4 }]\n\
        [[races]]\nid = \"b\"\ncandidates = [{ name = \"C\", votes = 7 }]\n";
    let csv =
        "race,region,against_all,candidate,party,votes\na,north,3,A,x,10\na,,,B,,4\nb,,,C,,7\n";
    let from_toml = parse_plurality("r.toml", toml, &[]).unwrap_or_else(|err| panic!("{err}"));
    let from_csv = parse_plurality_csv("r.csv", csv, &[]).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(from_toml.round, from_csv.round);
    let res = round_result(&from_toml.rules, &from_toml.round);
    assert_eq!((res.summary.elected, res.summary.uncontested), (2, 1));
}

#[test]
fn bad_result_files_report_every_problem() {
    let plurality = "[plurality]\nname = \"\"\nformat = 2\n[rules]\nagainst_all = \"maybe\"\n\
        [[races]]\nid = \"a\"\nseats = 0\nvoters = 10\nparticipants = 11\ncandidates = [{ name = \"A\", votes = 5.5 }, { votes = 1 }]\n";
    let funding_file = "[funding]\nname = \"f\"\n[rules]\nminimum_wage = 42500.0\nrate = \"300%\"\nqualification = \"threshold\"\n\
        [[parties]]\nid = \"a\"\nvotes = 1\n[[parties]]\nid = \"a\"\nvotes = 2\n";
    let table = "[table]\nname = \"t\"\n[[columns]]\nid = \"n\"\n[[columns]]\nid = \"p\"\nkind = \"percent\"\nblank = \"zero\"\n\
        [[rows]]\nid = \"a\"\nrole = \"total\"\ncells = { n = 1 }\n[[rows]]\nid = \"b\"\nrole = \"total\"\ncells = { n = 1 }\n\
        [[relations]]\nname = \"r\"\nkind = \"share\"\ncolumns = [\"p\"]\ndenominator = \"n\"\n";
    let lot = "[lot]\nname = \"l\"\nseed = 5\nitems = []\norder = []\n";
    let commission = "[commission]\nname = \"c\"\nseed = \"s\"\n[[strata]]\nid = \"a\"\nseats = 2\npool = [\"x\"]\n";
    let report = [
        diagnostics(parse_plurality("p.toml", plurality, &[])),
        diagnostics(parse_funding("f.toml", funding_file, &[])),
        diagnostics(parse_published_table("t.toml", table, &[])),
        diagnostics(parse_lot("l.toml", lot, &[])),
        diagnostics(parse_commission("c.toml", commission, &[])),
    ]
    .join("\n");
    insta::assert_snapshot!("bad_result_files", report);
}
