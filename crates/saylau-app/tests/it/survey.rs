//! Survey use cases: SPSS `.sav` round trips of the seed's synthetic file, and the seed's
//! report (every table reproduced, the refuted claims, the turnout verdict, the HTML).

use saylau_app::survey;
use saylau_survey::poll::Verdict;
use saylau_survey::seed_study::synthetic_respondents;

#[test]
fn the_synthetic_file_round_trips_through_spss() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    let weights: Vec<f64> =
        (0..synthetic.respondents.len()).map(|it| 0.5 + (it % 7) as f64 / 4.0).collect();
    let bytes = survey::to_sav(&synthetic.codebook, &synthetic.respondents, Some(&weights), "ru")
        .expect("written");
    assert_eq!(&bytes[..4], b"$FL2", "an SPSS system file");
    let (_, metadata) =
        ambers::read_sav_from_reader(std::io::Cursor::new(&bytes)).expect("ambers reads it");
    let actions = &metadata.mr_sets["actions"];
    assert_eq!(actions.variables.len(), 7);
    assert_eq!(metadata.variable_value_labels["segment"].len(), 3);
    let read = survey::from_sav(&synthetic.codebook, "synthetic.sav", &bytes).expect("read back");
    assert!(read.diagnostics.0.is_empty(), "{}", read.diagnostics);
    assert_eq!(read.respondents.ids(), synthetic.respondents.ids());
    for idx in 0..synthetic.codebook.questions().len() {
        assert_eq!(
            read.respondents.answers(idx),
            synthetic.respondents.answers(idx),
            "{}",
            synthetic.codebook.questions()[idx].key
        );
    }
    assert_eq!(read.respondents.weights(), Some(&weights[..]));
}

#[test]
fn a_code_outside_the_codebook_in_a_sav_file_is_named() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    let bytes =
        survey::to_sav(&synthetic.codebook, &synthetic.respondents, None, "en").expect("written");
    let mut codebook_text = saylau_survey::seed_study::CODEBOOK_TOML.to_owned();
    // Drop the segment's third code: every Inactive respondent is now outside the codebook.
    codebook_text = codebook_text.replace("  { code = 3, label = { kk = \"Белсенді емес\", ru = \"Неактивные\", en = \"Inactive\" } },\n", "");
    let codebook = saylau_survey::codebook::Codebook::from_toml("codebook.toml", &codebook_text)
        .expect("still valid");
    let read = survey::from_sav(&codebook, "synthetic.sav", &bytes).expect("read");
    assert_eq!(read.rejected, 623);
    assert_eq!(read.respondents.len(), 1200 - 623);
    let first = &read.diagnostics.0[0];
    assert_eq!((first.field.as_str(), first.rule), ("segment", "R-2"));
}

#[test]
fn the_seed_report() {
    let report = survey::seed_report(2021, 7).expect("the report");
    assert!(report.synthetic && report.notice.starts_with("SYNTHETIC"));
    assert_eq!(report.tables.len(), 27);
    assert!(report.tables.iter().all(|it| it.reproduced));
    assert!((report.margins[0].moe - 3.72).abs() < 0.005);
    assert_eq!(report.turnout.verdict, Verdict::Inconsistent);
    let html = survey::report_html(&report, "ru");
    assert!(html.contains("SYNTHETIC") && html.contains("<svg") && html.contains("NOT SUPPORTED"));
    assert_eq!(html.matches("<svg").count(), 27);
}
