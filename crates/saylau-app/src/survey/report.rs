//! The seed's study regenerated from the synthetic respondent file: every published
//! table with bases, letters and margins of error, the prose claims checked, the margins
//! of error the seed printed, its self-reported turnout against the official one, and
//! k-means segments; as a view model and as an HTML page with SVG charts.

use std::fmt::Write as _;

use saylau_survey::claims::{ClaimCheck, ClaimVerdict, check_claims};
use saylau_survey::crosstab::{Crosstab, TableOptions, crosstab};
use saylau_survey::kmeans::KMeansOptions;
use saylau_survey::poll::{PollComparison, compare};
use saylau_survey::seed_study::{self, TABLES};
use serde::Serialize;

use super::{MoeView, SegmentView, Study, SurveyError, column_moe, moe, segment};

/// The official turnout of the 2021 Mazhilis election (CEC), which the seed compares
/// with its respondents' 37 %.
pub const OFFICIAL_TURNOUT_2021: f64 = 0.633;

/// One regenerated table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportTable {
    /// The seed's table id.
    pub id: String,
    /// Its title in Russian.
    pub title_ru: String,
    /// In English.
    pub title_en: String,
    /// Whether every published cell and base is reproduced.
    pub reproduced: bool,
    /// The table from the synthetic file.
    pub table: Crosstab,
    /// The prose claims next to it, checked.
    pub claims: Vec<ClaimCheck>,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedReport {
    /// Always true: the respondents are synthetic.
    pub synthetic: bool,
    /// Said at the top of every output.
    pub notice: String,
    /// The generator's seed.
    pub seed: u64,
    /// The seed's margin of error (3.72 % at 99 %) and at 95 %.
    pub margins: Vec<MoeView>,
    /// Worst-case margins per banner column: (label, n, 95 %, 99 %).
    pub column_margins: Vec<(String, usize, f64, f64)>,
    /// The tables.
    pub tables: Vec<ReportTable>,
    /// Self-reported turnout (T9 "Yes") against the official one.
    pub turnout: PollComparison,
    /// k-means segments of the synthetic respondents.
    pub segments: SegmentView,
}

/// Regenerates the seed's study from the synthetic file made with `seed`.
///
/// # Errors
/// If the synthetic file cannot be made or a table fails (not for the bundled data).
pub fn seed_report(seed: u64, segment_seed: u64) -> Result<SeedReport, SurveyError> {
    let synthetic = seed_study::synthetic_respondents(seed)
        .map_err(|err| SurveyError::Invalid(err.to_string()))?;
    let tables = report_tables(&synthetic)?;
    let column_margins = tables
        .iter()
        .filter(|it| it.id == "T1" || it.id == "T2" || it.id == "T19")
        .flat_map(|it| {
            it.table.columns.iter().skip(1).map(|c| {
                (
                    format!("{} {}", it.id, c.label.en),
                    c.base,
                    column_moe(c.base as f64, 0.95),
                    column_moe(c.base as f64, 0.99),
                )
            })
        })
        .collect();
    let parliament = tables
        .iter()
        .find(|it| it.id == "T9")
        .map(|it| it.table.rows[0].cells[0].clone())
        .ok_or_else(|| SurveyError::Invalid("no T9".to_owned()))?;
    let n = seed_study::SAMPLE_SIZE as f64;
    let turnout = compare(parliament.count as f64 / n, n, OFFICIAL_TURNOUT_2021, 0.99, 1.0);
    let study = Study {
        codebook: synthetic.codebook,
        respondents: synthetic.respondents,
        diagnostics: Default::default(),
        rejected: 0,
    };
    let indicators: Vec<String> =
        ["activity", "actions", "party", "vote_president", "vote_parliament", "aware"]
            .iter()
            .map(|it| (*it).to_owned())
            .collect();
    let options = KMeansOptions { k: 3, restarts: 20, max_iterations: 100, seed: segment_seed };
    let segments = segment(&study, &indicators, options, 10, Some("segment"))?;
    Ok(SeedReport {
        synthetic: true,
        notice: format!(
            "SYNTHETIC respondents (generator seed {seed}): made to reproduce the seed's published tables; not real survey data"
        ),
        seed,
        margins: vec![moe(n, 0.99, 0.5, 1.0), moe(n, 0.95, 0.5, 1.0)],
        column_margins,
        tables,
        turnout,
        segments,
    })
}

/// Every published table from the synthetic file, with its claims checked, by number.
fn report_tables(synthetic: &seed_study::Synthetic) -> Result<Vec<ReportTable>, SurveyError> {
    let published = seed_study::seed_tables();
    let mut tables = Vec::new();
    for spec in &TABLES {
        for (id, banner) in [(Some(spec.by_segment), "segment"), (spec.by_region, "macro_region")] {
            let Some(id) = id else { continue };
            let entry = published["tables"]
                .as_array()
                .and_then(|all| all.iter().find(|it| it["id"] == id))
                .ok_or_else(|| SurveyError::Invalid(format!("no table {id}")))?;
            let table = crosstab(
                &synthetic.codebook,
                &synthetic.respondents,
                spec.question,
                banner,
                None,
                TableOptions::default(),
            )?;
            let reproduced =
                seed_study::mismatches(&seed_study::published_table(&published, id), &table)
                    .is_empty();
            tables.push(ReportTable {
                id: id.to_owned(),
                title_ru: entry["title_ru"].as_str().unwrap_or_default().to_owned(),
                title_en: entry["title_en"].as_str().unwrap_or_default().to_owned(),
                reproduced,
                claims: check_claims(entry, &table),
                table,
            });
        }
    }
    tables.sort_by_key(|it| it.id[1..].parse::<u32>().unwrap_or(0));
    Ok(tables)
}

const STYLE: &str = "body{font-family:'DejaVu Sans',sans-serif;max-width:960px;margin:auto}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child{text-align:left}.net{font-style:italic}.synthetic{background:#fde2e2;padding:8px;font-weight:bold}.not-supported{color:#b00020}.supported{color:#0a7a2f}";

/// One table of any study as an HTML page with its chart (labels in `lang`).
#[must_use]
pub fn table_html(table: &Crosstab, lang: &str, synthetic: bool) -> String {
    let mut out = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&table.question)
    );
    if synthetic {
        out.push_str("<p class=\"synthetic\">SYNTHETIC DATA</p>");
    }
    let _ = write!(
        out,
        "<h1>{} ({} by {})</h1>",
        escape(table.text.get(lang)),
        escape(&table.question),
        escape(&table.banner)
    );
    html_table(&mut out, table, lang);
    out.push_str(&bars(table, lang));
    let _ = write!(
        out,
        "<p>Letters: column proportions (pooled z, α = {}, Bonferroni within a row); † 0 %/100 %: not used; * base below {}; ± margins of error at 95 / 99 %{}.</p>",
        table.options.test.alpha,
        table.options.small_base,
        if table.weighted { " from the effective bases" } else { "" }
    );
    for warning in &table.warnings {
        let _ = write!(out, "<p>warning: {}</p>", escape(warning));
    }
    out.push_str("</body></html>\n");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Horizontal bars of the Total column, as inline SVG.
fn bars(table: &Crosstab, lang: &str) -> String {
    let (width, row_height, label_width) = (640.0, 22.0, 300.0);
    let height = row_height * table.rows.len() as f64 + 8.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" font-family="DejaVu Sans, sans-serif" font-size="12">"#
    );
    for (idx, row) in table.rows.iter().enumerate() {
        let y = idx as f64 * row_height + 4.0;
        let percent = row.cells[0].percent;
        let bar = (width - label_width - 50.0) * percent / 100.0;
        let label: String = row.label.get(lang).chars().take(45).collect();
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end">{}</text><rect x="{label_width}" y="{y}" width="{bar:.1}" height="{}" fill="#3b6ea5"/><text x="{:.1}" y="{}">{percent:.0} %</text>"##,
            label_width - 6.0,
            y + 14.0,
            escape(&label),
            row_height - 6.0,
            label_width + bar + 4.0,
            y + 14.0
        );
    }
    svg.push_str("</svg>");
    svg
}

fn html_table(out: &mut String, table: &Crosstab, lang: &str) {
    out.push_str("<table><tr><th></th>");
    for column in &table.columns {
        let letter = column.letter.as_deref().map(|it| format!(" ({it})")).unwrap_or_default();
        let _ = write!(out, "<th>{}{letter}</th>", escape(column.label.get(lang)));
    }
    out.push_str("</tr><tr><td>N</td>");
    for column in &table.columns {
        let flag = if column.small_base { "*" } else { "" };
        let _ = write!(
            out,
            "<td>{}{flag}<br><small>±{:.1} / ±{:.1}</small></td>",
            column.base, column.moe95, column.moe99
        );
    }
    out.push_str("</tr>");
    for row in &table.rows {
        let class = if row.net { " class=\"net\"" } else { "" };
        let _ = write!(out, "<tr{class}><td>{}</td>", escape(row.label.get(lang)));
        for (idx, cell) in row.cells.iter().enumerate() {
            let excluded = idx > 0 && row.test.not_used.contains(&(idx - 1));
            let mark = if excluded { "<sup>†</sup>" } else { "" };
            let _ = write!(out, "<td>{:.0}{mark} <b>{}</b></td>", cell.percent, cell.letters);
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

fn html_margins(out: &mut String, report: &SeedReport) {
    out.push_str("<h2>Margins of error</h2><ul>");
    for margin in &report.margins {
        let _ = write!(
            out,
            "<li>n = {}, {:.0} %: ±{:.2} % ({})</li>",
            margin.n,
            margin.confidence * 100.0,
            margin.moe,
            escape(&margin.note)
        );
    }
    out.push_str("</ul><p>The seed printed 3,72 % at 99 %. The sample was recruited online (opt-in): these are margins for a simple random sample of the same size.</p><table><tr><th>column</th><th>n</th><th>95 %</th><th>99 %</th></tr>");
    for (label, n, moe95, moe99) in &report.column_margins {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{n}</td><td>{moe95:.2}</td><td>{moe99:.2}</td></tr>",
            escape(label)
        );
    }
    let turnout = &report.turnout;
    let _ = write!(
        out,
        "</table><h2>Self-reported turnout against the official one</h2><p>Respondents who voted in the 2021 Mazhilis election (T9): {:.1} % ± {:.1} (99 %), official {:.1} %: <b>{:?}</b> ({:.1} standard errors).</p>",
        turnout.estimate * 100.0,
        turnout.moe * 100.0,
        turnout.official * 100.0,
        turnout.verdict,
        turnout.z
    );
}

/// The report as one HTML page (labels in `lang`: kk, ru or en).
#[must_use]
pub fn report_html(report: &SeedReport, lang: &str) -> String {
    let mut out = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>saylau: the seed's survey (synthetic)</title><style>{STYLE}</style></head><body>",
    );
    let _ = write!(
        out,
        "<p class=\"synthetic\">{}</p><h1>Отношение к реформам выборного законодательства / Attitudes to electoral reforms</h1>",
        escape(&report.notice)
    );
    html_margins(&mut out, report);
    out.push_str("<p>Letters: the column-proportions test of SPSS Custom Tables (pooled z, α = 0.05, Bonferroni within a row); a letter marks the columns a cell is significantly above. † column left out: proportion 0 % or 100 %. * small base (n &lt; 30).</p>");
    for item in &report.tables {
        let title = if lang == "en" { &item.title_en } else { &item.title_ru };
        let _ = write!(out, "<h2>{}: {}</h2>", item.id, escape(title));
        html_table(&mut out, &item.table, lang);
        out.push_str(&bars(&item.table, lang));
        for claim in &item.claims {
            let (class, word) = match claim.verdict {
                ClaimVerdict::Supported => ("supported", "supported"),
                ClaimVerdict::NotSupported => ("not-supported", "NOT SUPPORTED by the test"),
                ClaimVerdict::Unchecked => ("", "not checked"),
            };
            let _ = write!(
                out,
                "<p class=\"{class}\">«{}» — {word}: {}</p>",
                escape(&claim.claim_ru),
                escape(&claim.reason)
            );
        }
    }
    let segments = &report.segments;
    let _ = write!(
        out,
        "<h2>k-means segments (synthetic file)</h2><p>k = {}, {} restarts, seed {}; sizes {:?}; between/total {:.2}; bootstrap adjusted Rand index mean {:.2} (min {:.2}, {} resamples)",
        segments.options.k,
        segments.options.restarts,
        segments.options.seed,
        segments.sizes,
        segments.between_over_total,
        segments.stability.mean_ari,
        segments.stability.min_ari,
        segments.stability.resamples
    );
    if let Some((question, ari)) = &segments.agreement {
        let _ = write!(out, "; against the published {question}: {ari:.2}");
    }
    out.push_str("</p></body></html>\n");
    out
}
