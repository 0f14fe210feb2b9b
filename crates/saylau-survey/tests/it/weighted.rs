//! A weighted cross-table's column-proportions test equals a direct computation of the
//! research note's formula with Kish's effective bases: z, the adjusted p-value and the
//! letters, pair by pair.

use saylau_survey::crosstab::{TableOptions, crosstab};
use saylau_survey::respondents::Answers;
use saylau_survey::seed_study::synthetic_respondents;
use statrs::distribution::{ContinuousCDF, Normal};

#[test]
fn weighted_letters_follow_the_formula_with_effective_bases() {
    let synthetic = synthetic_respondents(2021).expect("the synthetic file");
    let (codebook, respondents) = (&synthetic.codebook, &synthetic.respondents);
    // Weights that differ by macro-region and by row, as after raking an opt-in sample.
    let macro_idx = codebook.question_index("macro_region").expect("macro_region");
    let Answers::Single(macro_region) = respondents.answers(macro_idx) else { panic!("single") };
    let weights: Vec<f64> = macro_region
        .iter()
        .enumerate()
        .map(|(row, it)| 0.4 + 0.3 * f64::from(it.unwrap_or(0)) + 0.05 * (row % 5) as f64)
        .collect();
    let table = crosstab(
        codebook,
        respondents,
        "vote_parliament",
        "segment",
        Some(&weights),
        TableOptions::default(),
    )
    .expect("a table");
    let question = codebook.question_index("vote_parliament").expect("question");
    let segment_idx = codebook.question_index("segment").expect("segment");
    let Answers::Single(segment) = respondents.answers(segment_idx) else { panic!("single") };
    let Answers::Single(vote) = respondents.answers(question) else { panic!("single") };
    let normal = Normal::standard();
    let mut significant = 0;
    for (code, row) in table.rows.iter().enumerate() {
        let column = |s: u16| {
            let members: Vec<usize> = (0..weights.len())
                .filter(|it| segment[*it] == Some(s) && vote[*it].is_some())
                .collect();
            let sum: f64 = members.iter().map(|it| weights[*it]).sum();
            let squares: f64 = members.iter().map(|it| weights[*it].powi(2)).sum();
            let yes: f64 = members
                .iter()
                .filter(|it| vote[**it] == u16::try_from(code).ok())
                .map(|it| weights[*it])
                .sum();
            (yes / sum, sum * sum / squares)
        };
        for pair in &row.test.pairs {
            let ((p1, n1), (p2, n2)) = (
                column(u16::try_from(pair.a).expect("small")),
                column(u16::try_from(pair.b).expect("small")),
            );
            let pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
            let z = (p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
            let p_adjusted = (2.0 * normal.sf(z.abs()) * 3.0).min(1.0);
            assert!(
                (pair.z - z).abs() < 1e-9 && (pair.p_adjusted - p_adjusted).abs() < 1e-12,
                "{pair:?} vs z {z} p {p_adjusted}"
            );
            assert_eq!(pair.significant, p_adjusted < 0.05);
            significant += usize::from(pair.significant);
        }
    }
    assert!(significant >= 4, "{significant}");
    assert!(table.weighted && table.columns[1].effective_base < table.columns[1].base as f64);
}
