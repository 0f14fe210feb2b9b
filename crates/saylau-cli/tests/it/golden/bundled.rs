//! The bundled data through every command that reads a file: each election file in
//! `data/`, the variants the README and `data/kz/README.md` document, and the example
//! files of the law's commands. A test fails when a file in `data/` is read by no case.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Masks, Records};
use crate::command::{root, saylau};

/// Case `name` runs `args` and exits with 0.
macro_rules! ok {
    ($name:literal, $($arg:literal),+) => {
        Case { name: $name, args: &[$($arg),+], code: 0 }
    };
}

const CASES: &[Case] = &[
    // Every election file, as the law or the scenario it models counts it.
    ok!("allocate-ch-zh-kantonsrat-2015", "allocate", "data/ch/zh-kantonsrat-2015.toml", "--json"),
    ok!("allocate-cz-psp-2017", "allocate", "data/cz/psp-2017.toml", "--json"),
    ok!("allocate-cz-psp-2021", "allocate", "data/cz/psp-2021.toml", "--json"),
    ok!("allocate-nz-2020", "allocate", "data/nz/nz-2020.toml", "--json"),
    ok!("allocate-kz-mazhilis-2004", "allocate", "data/kz/mazhilis-2004.toml", "--json"),
    ok!(
        "allocate-kz-mazhilis-2004-literal-law",
        "allocate",
        "data/kz/mazhilis-2004-literal-law.toml",
        "--json"
    ),
    ok!("allocate-kz-mazhilis-2007", "allocate", "data/kz/mazhilis-2007.toml", "--json"),
    ok!(
        "allocate-kz-mazhilis-2007-runner-up-2009",
        "allocate",
        "data/kz/mazhilis-2007-runner-up-2009.toml",
        "--json"
    ),
    ok!("allocate-kz-mazhilis-2016", "allocate", "data/kz/mazhilis-2016.toml", "--json"),
    ok!("allocate-kz-mazhilis-2021", "allocate", "data/kz/mazhilis-2021.toml", "--json"),
    ok!("allocate-kz-mazhilis-2021-3pct", "allocate", "data/kz/mazhilis-2021-3pct.toml", "--json"),
    ok!("allocate-kz-mazhilis-2021-5pct", "allocate", "data/kz/mazhilis-2021-5pct.toml", "--json"),
    ok!(
        "allocate-kz-mazhilis-2021-observers",
        "allocate",
        "data/kz/mazhilis-2021-observers.toml",
        "--json"
    ),
    ok!(
        "allocate-kz-reform-17-districts",
        "allocate",
        "data/kz/reform-17-districts.toml",
        "--json"
    ),
    ok!("allocate-kz-reform-7-regions", "allocate", "data/kz/reform-7-regions.toml", "--json"),
    ok!(
        "allocate-kz-reform-265-cube-root",
        "allocate",
        "data/kz/reform-265-cube-root.toml",
        "--json"
    ),
    ok!("allocate-kz-reform-mixed-50-50", "allocate", "data/kz/reform-mixed-50-50.toml", "--json"),
    // The README's examples.
    ok!(
        "allocate-kz-mazhilis-2004-participants",
        "allocate",
        "data/kz/mazhilis-2004.toml",
        "--set",
        "rules.threshold_base=participants",
        "--json"
    ),
    ok!(
        "allocate-kz-mazhilis-2021-5pct-set",
        "allocate",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.threshold=5%",
        "--json"
    ),
    ok!(
        "compare-kz-mazhilis-2021-thresholds",
        "compare",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--set",
        "rules.method=dhondt",
        "--json"
    ),
    ok!(
        "compare-kz-reform-plans",
        "compare",
        "data/kz/mazhilis-2021.toml",
        "data/kz/reform-17-districts.toml",
        "data/kz/reform-7-regions.toml",
        "data/kz/reform-265-cube-root.toml",
        "data/kz/reform-mixed-50-50.toml",
        "--json"
    ),
    // The columns of data/kz/README.md's table of seats per party.
    ok!(
        "compare-kz-mazhilis-2021-columns",
        "compare",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--set",
        "rules.threshold=1.5%",
        "--set",
        "election.seats=107",
        "--json"
    ),
    ok!(
        "compare-kz-reform-17-districts-columns",
        "compare",
        "data/kz/reform-17-districts.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--set",
        "rules.threshold=1.5%",
        "--set",
        "election.seats=107",
        "--json"
    ),
    ok!(
        "compare-kz-reform-7-regions-columns",
        "compare",
        "data/kz/reform-7-regions.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--set",
        "rules.threshold=1.5%",
        "--set",
        "election.seats=107",
        "--json"
    ),
    ok!(
        "compare-kz-reform-265-cube-root-columns",
        "compare",
        "data/kz/reform-265-cube-root.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--set",
        "rules.threshold=1.5%",
        "--json"
    ),
    ok!(
        "compare-kz-reform-mixed-50-50-columns",
        "compare",
        "data/kz/reform-mixed-50-50.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--set",
        "rules.threshold=1.5%",
        "--set",
        "election.seats=54;election.single_member_seats=53;lists.nur-otan.electorates=53",
        "--json"
    ),
    // The rest of the law.
    ok!("check-table-akim-2021-results", "check-table", "data/kz/akim-2021-results.toml", "--json")
        .exits(1),
    ok!(
        "check-table-akim-2021-registration",
        "check-table",
        "data/kz/akim-2021-registration.toml",
        "--json"
    )
    .exits(1),
    ok!("check-table-akim-stages", "check-table", "data/kz/akim-stages-2021-2025.toml", "--json")
        .exits(1),
    ok!(
        "akim-council-synthetic-rec12-scenarios",
        "akim",
        "council",
        "data/kz/council/vote-synthetic-oblast.toml",
        "--rules",
        "data/kz/council/proposal-rec12-members-runoff.toml",
        "--rules",
        "data/kz/council/proposal-rec12-present-eliminate.toml",
        "--json"
    ),
    ok!(
        "legitimacy-synthetic-law-and-proposal",
        "legitimacy",
        "data/kz/examples/plurality-synthetic.toml",
        "--rules",
        "data/kz/repeat/law-2021.toml",
        "--rules",
        "data/kz/repeat/proposal-quorum-50.toml",
        "--calendar",
        "data/kz/calendar/akim-2021.toml",
        "--json"
    ),
    ok!(
        "allocate-kz-reform-107-17-districts",
        "allocate",
        "data/kz/reform-107-17-districts.toml",
        "--json"
    ),
    ok!(
        "allocate-kz-reform-107-mixed-50-50",
        "allocate",
        "data/kz/reform-107-mixed-50-50.toml",
        "--json"
    ),
    ok!(
        "calendar-akim-law-and-proposal-mazhilis",
        "calendar",
        "data/kz/calendar/akim-2021.toml",
        "data/kz/calendar/akim-proposal-rec19.toml",
        "data/kz/calendar/mazhilis-2021.toml",
        "--json"
    ),
    ok!(
        "eligibility-synthetic",
        "eligibility",
        "data/kz/examples/akim-candidates-synthetic.toml",
        "--json"
    ),
    ok!(
        "eligibility-synthetic-csv",
        "eligibility",
        "data/kz/examples/akim-candidates-synthetic.csv",
        "--election-day",
        "2021-07-25",
        "--json"
    ),
    ok!(
        "eligibility-synthetic-rules",
        "eligibility",
        "data/kz/examples/akim-candidates-synthetic.toml",
        "--rules",
        "data/kz/eligibility-law-2021.toml",
        "--rules",
        "data/kz/eligibility-proposed.toml",
        "--json"
    ),
    ok!(
        "eligibility-registration-synthetic",
        "eligibility",
        "data/kz/examples/akim-candidates-registration-synthetic.csv",
        "--election-day",
        "2021-07-25",
        "--json"
    ),
    ok!(
        "eligibility-mazhilis-synthetic",
        "eligibility",
        "data/kz/examples/mazhilis-candidates-synthetic.toml",
        "--rules",
        "data/kz/eligibility/mazhilis-law-2021.toml",
        "--rules",
        "data/kz/eligibility/mazhilis-proposed.toml",
        "--json"
    ),
    ok!(
        "eligibility-maslikhat-synthetic",
        "eligibility",
        "data/kz/examples/maslikhat-candidates-synthetic.csv",
        "--election-day",
        "2021-01-10",
        "--office",
        "maslikhat",
        "--rules",
        "data/kz/eligibility/maslikhat-law-2021.toml",
        "--rules",
        "data/kz/eligibility/maslikhat-proposed.toml",
        "--json"
    ),
    ok!(
        "eligibility-president-rules",
        "eligibility",
        "data/kz/examples/president-candidates-synthetic.toml",
        "--rules",
        "data/kz/eligibility/president-law-2019.toml",
        "--rules",
        "data/kz/eligibility/president-proposed.toml",
        "--json"
    ),
    ok!(
        "eligibility-president-synthetic",
        "eligibility",
        "data/kz/examples/president-candidates-synthetic.toml",
        "--json"
    ),
    ok!(
        "finance-akim-synthetic",
        "finance",
        "check",
        "data/kz/examples/finance-ledger-akim-synthetic.csv",
        "--rules",
        "data/kz/finance/law-2021-akim.toml",
        "--rules",
        "data/kz/finance/proposal-akim-rec19.toml",
        "--json"
    ),
    ok!(
        "finance-party-synthetic",
        "finance",
        "check",
        "data/kz/examples/finance-ledger-party-synthetic.csv",
        "--rules",
        "data/kz/finance/law-2021-party.toml",
        "--rules",
        "data/kz/finance/proposal-party-rec16-23.toml",
        "--json"
    ),
    ok!("funding-2021", "funding", "data/kz/funding-2021.toml", "--json"),
    ok!(
        "funding-2021-threshold-3pct",
        "funding",
        "data/kz/funding-2021.toml",
        "--set",
        "rules.qualification=threshold",
        "--set",
        "rules.threshold=3%",
        "--json"
    ),
    ok!("lists-2021-summary", "lists", "data/kz/lists-2021-summary.toml", "--json"),
    ok!("lists-synthetic", "lists", "data/kz/examples/lists-synthetic.toml", "--json"),
    ok!(
        "party-check-synthetic",
        "party-check",
        "data/kz/examples/party-membership-synthetic.toml",
        "--json"
    ),
    ok!(
        "party-check-cities-synthetic",
        "party-check",
        "data/kz/examples/party-membership-cities-synthetic.toml",
        "--regimes",
        "data/kz/party-registration.toml",
        "--json"
    ),
    ok!("plurality-synthetic", "plurality", "data/kz/examples/plurality-synthetic.toml", "--json"),
    ok!(
        "plurality-synthetic-proposal-lot",
        "plurality",
        "data/kz/examples/plurality-synthetic.toml",
        "--set",
        "rules.against_all=vacates-uncontested",
        "--set",
        "rules.ties=lot",
        "--json"
    ),
    ok!(
        "plurality-synthetic-vacates-when-beaten",
        "plurality",
        "data/kz/examples/plurality-synthetic.toml",
        "--set",
        "rules.against_all=vacates-when-beaten",
        "--json"
    ),
    ok!(
        "plurality-synthetic-csv",
        "plurality",
        "data/kz/examples/plurality-synthetic.csv",
        "--json"
    ),
    ok!(
        "lot-draw-ballot-order",
        "lot",
        "draw",
        "--seed",
        "2021-01-10/ballot-order",
        "--items",
        "nur-otan,ak-zhol,peoples-party,auyl,adal",
        "--json"
    ),
    ok!(
        "lot-draw-count",
        "lot",
        "draw",
        "--seed",
        "Қазақстан",
        "--items",
        "a,b,c,d,e,f,g",
        "--count",
        "3",
        "--json"
    ),
    ok!(
        "lot-verify-ballot-order",
        "lot",
        "verify",
        "data/kz/examples/lot-ballot-order-2021.toml",
        "--json"
    ),
    ok!(
        "lot-commission-synthetic",
        "lot",
        "commission",
        "data/kz/examples/lot-commission-synthetic.toml",
        "--json"
    ),
];

/// One command and the exit code it must end with.
struct Case {
    /// The record's file name without its extension.
    name: &'static str,
    /// The arguments after `saylau`.
    args: &'static [&'static str],
    /// The expected exit code.
    code: i32,
}

impl Case {
    /// The same case, expected to exit with `code`.
    const fn exits(self, code: i32) -> Case {
        Case { code, ..self }
    }
}

#[test]
fn bundled_data_give_the_recorded_json() {
    let mut records = Records::new("bundled");
    for case in CASES {
        let output = saylau(case.args);
        records.check((case.name, case.args, case.code), &output, "json", &mut Masks::none());
    }
    records.finish();
}

#[test]
fn every_bundled_file_has_a_golden_case() {
    let read: BTreeSet<&str> = CASES
        .iter()
        .flat_map(|case| case.args.iter().copied())
        .filter(|arg| arg.starts_with("data/"))
        .collect();
    let mut missing = Vec::new();
    for folder in [
        "data/ch",
        "data/cz",
        "data/kz",
        "data/kz/calendar",
        "data/kz/council",
        "data/kz/eligibility",
        "data/kz/examples",
        "data/kz/finance",
        "data/kz/repeat",
        "data/nz",
    ] {
        for entry in std::fs::read_dir(root().join(folder)).expect("a data folder") {
            let name = entry.expect("a file").file_name().to_string_lossy().into_owned();
            let path = format!("{folder}/{name}");
            let is_data =
                Path::new(&name).extension().is_some_and(|ext| ext == "toml" || ext == "csv");
            if is_data && !read.contains(path.as_str()) {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "bundled files with no golden case: {missing:?}");
}
