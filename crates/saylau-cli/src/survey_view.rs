//! Terminal views of the survey commands: cross-tables with bases, letters and margins
//! of error, raking and segment summaries, and the seed's study report.

use std::fmt::Write as _;

use saylau_app::survey::{Adjust, ClaimVerdict, Crosstab, PollComparison, TestedTable};
use saylau_app::survey::{MoeView, RakeView, SeedReport, SegmentView};

use crate::table::{new_table, number};

pub(crate) fn moe(view: &MoeView) -> String {
    format!(
        "margin of error ±{:.2} % at {:.0} % confidence (n = {}, p = {}, deff = {}, z = {:.4}): {}\n",
        view.moe,
        view.confidence * 100.0,
        view.n,
        view.p,
        view.deff,
        view.z,
        view.note
    )
}

pub(crate) fn sigtest(tested: &TestedTable) -> String {
    let keys: Vec<&String> = tested.column_letters.iter().map(|it| &it.key).collect();
    let mut header = vec!["row".to_owned()];
    header.extend(tested.column_letters.iter().map(|it| format!("{} ({})", it.key, it.letter)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header);
    for row in &tested.rows {
        let mut cells = vec![comfy_table::Cell::new(&row.label_ru)];
        for key in &keys {
            let not_used = if row.not_used.contains(key) { " †" } else { "" };
            cells.push(number(format!("{}{not_used}", row.letters[*key])));
        }
        table.add_row(cells);
    }
    let adjust = match tested.options.adjust {
        Adjust::Bonferroni => "Bonferroni within each row",
        Adjust::None => "no adjustment",
    };
    format!(
        "{table}\ncolumn proportions, pooled z, alpha {}, {adjust}; † 0 % or 100 %: not used\n",
        tested.options.alpha
    )
}

pub(crate) fn crosstab(table: &Crosstab, lang: &str, synthetic: bool) -> String {
    let mut out = String::from(if synthetic { "SYNTHETIC DATA\n" } else { "" });
    let _ = writeln!(
        out,
        "{} ({}) by {}{}",
        table.text.get(lang),
        table.question,
        table.banner,
        if table.weighted { ", weighted" } else { "" }
    );
    if let Some(filter) = &table.filter {
        let _ = writeln!(out, "asked of: {filter}");
    }
    let mut header = vec![String::new()];
    header.extend(table.columns.iter().map(|it| {
        format!(
            "{}{}",
            it.label.get(lang),
            it.letter.as_deref().map(|l| format!(" ({l})")).unwrap_or_default()
        )
    }));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut view = new_table(&header);
    column_rows(&mut view, table);
    for row in &table.rows {
        let label = if row.net {
            format!("Net: {}", row.label.get(lang))
        } else {
            row.label.get(lang).to_owned()
        };
        let mut cells = vec![comfy_table::Cell::new(label)];
        for (idx, cell) in row.cells.iter().enumerate() {
            let not_used =
                if idx > 0 && row.test.not_used.contains(&(idx - 1)) { " †" } else { "" };
            cells.push(number(format!("{:.0} %{not_used} {}", cell.percent, cell.letters)));
        }
        view.add_row(cells);
    }
    let _ = writeln!(out, "{view}");
    let _ = writeln!(
        out,
        "letters: column proportions test (pooled z, alpha {}, Bonferroni within a row); † 0 %/100 %: not used; * base below {}",
        table.options.test.alpha, table.options.small_base
    );
    for warning in &table.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    out
}

/// The base, weighted and effective base, and margin-of-error rows.
fn column_rows(view: &mut comfy_table::Table, table: &Crosstab) {
    let mut bases = vec![comfy_table::Cell::new("N")];
    bases.extend(
        table
            .columns
            .iter()
            .map(|it| number(format!("{}{}", it.base, if it.small_base { "*" } else { "" }))),
    );
    view.add_row(bases);
    if table.weighted {
        let mut effective = vec![comfy_table::Cell::new("weighted N / effective N")];
        effective.extend(
            table
                .columns
                .iter()
                .map(|it| number(format!("{:.1} / {:.1}", it.weighted_base, it.effective_base))),
        );
        view.add_row(effective);
    }
    let mut margins = vec![comfy_table::Cell::new("MoE 95/99 %")];
    margins
        .extend(table.columns.iter().map(|it| number(format!("±{:.1}/{:.1}", it.moe95, it.moe99))));
    view.add_row(margins);
}

pub(crate) fn rake(view: &RakeView) -> String {
    let mut out = format!(
        "raking: {} after {} iterations (last change {:.3e}, largest margin gap {:.3e})\n",
        if view.converged { "converged" } else { "NOT converged" },
        view.iterations,
        view.delta,
        view.max_margin_gap
    );
    let mut table = new_table(&["weights", "n", "sum", "effective n", "deff", "min", "max"]);
    for (name, kish) in [("before", &view.before), ("after", &view.after)] {
        table.add_row(vec![
            comfy_table::Cell::new(name),
            number(kish.n.to_string()),
            number(format!("{:.1}", kish.weighted_n)),
            number(format!("{:.1}", kish.effective_n)),
            number(format!("{:.3}", kish.deff)),
            number(format!("{:.3}", kish.min)),
            number(format!("{:.3}", kish.max)),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if let Some((lower, upper)) = view.trim {
        let _ =
            writeln!(out, "trimmed to [{lower}, {upper}] (excess spread over the other weights)");
    }
    out
}

pub(crate) fn segments(view: &SegmentView) -> String {
    let mut out = format!(
        "k-means: k = {}, {} k-means++ restarts, seed {}; between/total sum of squares {:.3}\nstability: mean adjusted Rand index {:.3} (min {:.3}) over {} bootstrap resamples\n",
        view.options.k,
        view.options.restarts,
        view.options.seed,
        view.between_over_total,
        view.stability.mean_ari,
        view.stability.min_ari,
        view.stability.resamples
    );
    if let Some((question, ari)) = &view.agreement {
        let _ = writeln!(out, "agreement with {question}: adjusted Rand index {ari:.3}");
    }
    let mut header = vec!["indicator".to_owned()];
    header.extend(
        view.sizes
            .iter()
            .enumerate()
            .map(|(idx, size)| format!("segment {} (n = {size})", idx + 1)),
    );
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header);
    for (idx, indicator) in view.indicators.iter().enumerate() {
        let mut cells = vec![comfy_table::Cell::new(indicator)];
        cells.extend(
            view.profiles.iter().map(|profile| number(format!("{:.0} %", profile[idx] * 100.0))),
        );
        table.add_row(cells);
    }
    let _ = writeln!(out, "{table}");
    out
}

pub(crate) fn poll(view: &PollComparison) -> String {
    format!(
        "poll {:.1} % ± {:.1} ({:.0} %, n = {}, deff {}) -> [{:.1}, {:.1}]; official {:.1} %: {:?} ({:+.1} standard errors)\n{}\n",
        view.estimate * 100.0,
        view.moe * 100.0,
        view.confidence * 100.0,
        view.n,
        view.deff,
        view.lower * 100.0,
        view.upper * 100.0,
        view.official * 100.0,
        view.verdict,
        view.z,
        view.method
    )
}

pub(crate) fn report(report: &SeedReport, lang: &str) -> String {
    let mut out = format!("{}\n\n", report.notice);
    for margin in &report.margins {
        out.push_str(&moe(margin));
    }
    out.push_str(&poll(&report.turnout));
    out.push('\n');
    for item in &report.tables {
        let _ = writeln!(
            out,
            "{} {} [{}]",
            item.id,
            if lang == "en" { &item.title_en } else { &item.title_ru },
            if item.reproduced {
                "reproduces the published table"
            } else {
                "DIFFERS from the published table"
            }
        );
        out.push_str(&crosstab(&item.table, lang, false));
        for claim in &item.claims {
            let verdict = match claim.verdict {
                ClaimVerdict::Supported => "supported",
                ClaimVerdict::NotSupported => "NOT SUPPORTED",
                ClaimVerdict::Unchecked => "not checked",
            };
            let _ = writeln!(out, "claim «{}»: {verdict}: {}", claim.claim_ru, claim.reason);
        }
        out.push('\n');
    }
    out.push_str(&segments(&report.segments));
    out
}
