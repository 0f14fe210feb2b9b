//! The synthetic respondent file reproduces the seed's published tables cell for cell.

use saylau_survey::claims::{self, ClaimVerdict};
use saylau_survey::crosstab::{Crosstab, TableOptions, crosstab};
use saylau_survey::published::PublishedTable;
use saylau_survey::seed_study::{self, TABLES, synthetic_respondents};

/// The published cells a computed table does not print as: (table, row, column, why).
fn mismatches(table: &PublishedTable, computed: &Crosstab) -> Vec<String> {
    let mut found = Vec::new();
    for (col_idx, column) in table.columns.iter().enumerate() {
        let base = computed.columns[col_idx].base;
        if base as f64 != table.bases[&column.key] {
            found.push(format!(
                "{} {}: base {base}, published {}",
                table.id, column.key, table.bases[&column.key]
            ));
        }
        for row in &table.rows {
            let Some(ours) = computed.rows.iter().find(|it| it.label.ru == row.label_ru) else {
                found.push(format!("{} has no row {}", computed.question, row.label_ru));
                continue;
            };
            let count = ours.cells[col_idx].count as f64;
            let published = row.values[&column.key];
            // |100 k - p n| <= n / 2: the count prints as the published integer percent.
            if (100.0 * count - published * base as f64).abs() > base as f64 / 2.0 {
                found.push(format!(
                    "{} {:?} {}: {count}/{base}, published {published} %",
                    table.id, row.label_ru, column.key
                ));
            }
        }
    }
    found
}

#[test]
fn synthetic_file_reproduces_the_published_tables() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    assert_eq!(synthetic.respondents.len(), 1200);
    assert!(synthetic.respondents.ids()[0].starts_with("synthetic-"));
    let tables = seed_study::seed_tables();
    let mut failures = Vec::new();
    let mut reproduced = Vec::new();
    for spec in &TABLES {
        for (id, banner) in [(Some(spec.by_segment), "segment"), (spec.by_region, "macro_region")] {
            let Some(id) = id else { continue };
            let table = seed_study::published_table(&tables, id);
            let computed = crosstab(
                &synthetic.codebook,
                &synthetic.respondents,
                spec.question,
                banner,
                None,
                TableOptions::default(),
            )
            .expect("a table");
            let found = mismatches(&table, &computed);
            if found.is_empty() {
                reproduced.push(id);
            }
            failures.extend(found);
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}\nnotes: {:?}",
        failures.len(),
        failures.join("\n"),
        synthetic.notes
    );
    // All 27 cross-tables, the filtered ones (T15-T19) with their bases.
    assert_eq!(reproduced.len(), 27);
    assert!(synthetic.notes.is_empty(), "{:?}", synthetic.notes);
}

#[test]
fn letters_and_small_bases_from_the_synthetic_file() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    let tables = seed_study::seed_tables();
    let mut compared = 0;
    for (id, question) in
        [("T7", "vote_president"), ("T9", "vote_parliament"), ("T13", "aware"), ("T22", "should")]
    {
        let computed = crosstab(
            &synthetic.codebook,
            &synthetic.respondents,
            question,
            "segment",
            None,
            TableOptions::default(),
        )
        .expect("a table");
        let entry = tables["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|it| it["id"] == id)
            .expect("the table");
        let expected = &entry["significance"]["expected_letters_bonferroni"];
        for row in &computed.rows {
            for (column, cell) in computed.columns.iter().zip(&row.cells).skip(1) {
                let key = ["active", "informed", "inactive"]
                    [column.key.parse::<usize>().expect("a code") - 1];
                let want = expected[&row.label.ru][key].as_str().expect("letters");
                let printed_zero = entry["rows"].as_array().expect("rows").iter().any(|it| {
                    it["label_ru"] == row.label.ru.as_str()
                        && it["values"].as_object().expect("values").values().any(|v| v == 0)
                });
                if want.contains('?') || printed_zero {
                    continue;
                }
                assert_eq!(cell.letters, want, "{id} {:?} {key}", row.label.ru);
                compared += 1;
            }
        }
    }
    assert!(compared >= 40, "{compared}");
    let flagged: Vec<(String, String)> =
        TABLES[7..12]
            .iter()
            .flat_map(|spec| {
                let computed = crosstab(
                    &synthetic.codebook,
                    &synthetic.respondents,
                    spec.question,
                    "segment",
                    None,
                    TableOptions::default(),
                )
                .expect("a table");
                computed.columns.into_iter().filter(|it| it.small_base).map(move |it| {
                    (spec.by_segment.to_owned(), format!("{}={}", it.label.en, it.base))
                })
            })
            .collect();
    assert_eq!(flagged, [("T19".to_owned(), "Inactive=22".to_owned())]);
}

#[test]
fn the_no_difference_claims_a_test_does_not_support() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    let tables = seed_study::seed_tables();
    let mut verdicts = Vec::new();
    for spec in &TABLES {
        for (id, banner) in [(Some(spec.by_segment), "segment"), (spec.by_region, "macro_region")] {
            let Some(id) = id else { continue };
            let entry = tables["tables"]
                .as_array()
                .expect("tables")
                .iter()
                .find(|it| it["id"] == id)
                .expect("the table");
            let computed = crosstab(
                &synthetic.codebook,
                &synthetic.respondents,
                spec.question,
                banner,
                None,
                TableOptions::default(),
            )
            .expect("a table");
            for check in claims::check_claims(entry, &computed) {
                verdicts.push((id, check.kind, check.verdict));
            }
        }
    }
    let refuted: Vec<&str> = verdicts
        .iter()
        .filter(|(_, kind, verdict)| kind == "nosig" && *verdict == ClaimVerdict::NotSupported)
        .map(|it| it.0)
        .collect();
    // The research note: T2, T4, T6, T12 and T14 fail any pairwise test.
    for id in ["T2", "T4", "T6", "T12", "T14"] {
        assert!(refuted.contains(&id), "{id}: {verdicts:?}");
    }
    let supported =
        verdicts.iter().filter(|it| it.1 == "sig" && it.2 == ClaimVerdict::Supported).count();
    assert!(supported >= 10, "{verdicts:?}");
}

#[test]
fn the_synthetic_file_reads_back_identically() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    let csv = synthetic.respondents.to_csv(&synthetic.codebook, None);
    let read = saylau_survey::respondents::Respondents::from_csv(
        &synthetic.codebook,
        "synthetic.csv",
        &csv,
    )
    .expect("a valid header");
    assert!(read.diagnostics.0.is_empty(), "{}", read.diagnostics);
    assert_eq!(read.rejected, 0);
    assert_eq!(read.respondents, synthetic.respondents);
    // The same seed gives the same bytes.
    let again = synthetic_respondents(2021)
        .expect("the synthetic file")
        .respondents
        .to_csv(&synthetic.codebook, None);
    assert_eq!(csv, again);
}
