//! The self-contained HTML report of a forensics run: every test's numbers, definition,
//! kept and dropped stations and artifacts, with the charts inlined as SVG; each chart is
//! also written beside it as SVG and PNG. Labels are trilingual (kk / ru / en).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use saylau_charts::forensics::{ForensicChart, Line, forensic_svg, write_forensic_chart};
use saylau_stats::forensics::distribution::Distributions;
use saylau_stats::forensics::explain::{Explanation, Selection};
use saylau_stats::forensics::shpilkin::Shpilkin;

use super::report::ForensicsReport;

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// A file could not be written.
    #[error("writing {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] saylau_charts::ChartError),
}

/// The charts of a report, by file stem.
pub fn charts(report: &ForensicsReport) -> Vec<(&'static str, ForensicChart)> {
    let mut res = Vec::new();
    if let Some(dist) = &report.distributions {
        res.extend(distribution_charts(dist, &report.leader));
    }
    if let Some(shpilkin) = &report.shpilkin {
        res.push(("shpilkin", shpilkin_chart(shpilkin, &report.leader)));
    }
    res
}

fn distribution_charts(dist: &Distributions, leader: &str) -> Vec<(&'static str, ForensicChart)> {
    let mut res = Vec::new();
    {
        let as_f64 = |values: &[u64]| values.iter().map(|&it| it as f64).collect::<Vec<_>>();
        let voters_total: u64 = dist.turnout.voters.iter().sum::<u64>().max(1);
        let stations_total: u64 = dist.turnout.stations.iter().sum::<u64>().max(1);
        let share = |values: &[u64], total: u64| {
            values.iter().map(|&it| 100.0 * it as f64 / total as f64).collect::<Vec<_>>()
        };
        res.push((
            "turnout",
            ForensicChart::Lines {
                title: "Қатысу / Явка / Turnout".to_owned(),
                x_label: "turnout, % (ballots issued / voters)".to_owned(),
                y_label: "% of stations / of voters".to_owned(),
                bin_width: dist.turnout.bin_width,
                lines: vec![
                    Line {
                        label: "stations (unweighted)".to_owned(),
                        values: share(&dist.turnout.stations, stations_total),
                    },
                    Line {
                        label: "voters (weighted)".to_owned(),
                        values: share(&dist.turnout.voters, voters_total),
                    },
                ],
            },
        ));
        res.push((
            "leader-share",
            ForensicChart::Lines {
                title: format!("Көшбасшы үлесі / Доля лидера / Leader share: {leader}"),
                x_label: "leader share, % of ballots cast".to_owned(),
                y_label: "stations".to_owned(),
                bin_width: dist.leader_share.bin_width,
                lines: vec![Line {
                    label: "stations".to_owned(),
                    values: as_f64(&dist.leader_share.stations),
                }],
            },
        ));
        res.push((
            "fingerprint",
            ForensicChart::Heatmap {
                title: "Саусақ ізі / Отпечаток / Fingerprint".to_owned(),
                x_label: "turnout, %".to_owned(),
                y_label: "leader share, %".to_owned(),
                cells: dist.fingerprint.clone(),
            },
        ));
    }
    res
}

fn shpilkin_chart(shpilkin: &Shpilkin, leader: &str) -> ForensicChart {
    let default = &shpilkin.variants[0];
    let leader_votes: Vec<f64> = shpilkin.bins.iter().map(|bin| bin.leader as f64).collect();
    let others: Vec<f64> =
        shpilkin.bins.iter().map(|bin| (bin.valid - bin.leader) as f64).collect();
    let scaled: Vec<f64> = others.iter().map(|it| it * default.clean_ratio).collect();
    ForensicChart::Lines {
        title: "Votes by turnout (Shpilkin)".to_owned(),
        x_label: "turnout, % (1 % bins)".to_owned(),
        y_label: "votes".to_owned(),
        bin_width: 1.0,
        lines: vec![
            Line { label: leader.to_owned(), values: leader_votes },
            Line { label: "other lists".to_owned(), values: others },
            Line {
                label: format!("others × clean ratio {:.3}", default.clean_ratio),
                values: scaled,
            },
        ],
    }
}

/// Writes `index.html` and the charts (`<name>.svg`, `<name>.png`) into `dir`; returns the
/// path of the HTML file.
pub fn write_report(dir: &Path, report: &ForensicsReport) -> Result<PathBuf, HtmlError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| HtmlError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut figures = String::new();
    for (name, chart) in charts(report) {
        write_forensic_chart(&dir.join(format!("{name}.svg")), &chart)?;
        write_forensic_chart(&dir.join(format!("{name}.png")), &chart)?;
        let _ = writeln!(figures, "<figure>{}</figure>", forensic_svg(&chart)?);
    }
    let path = dir.join("index.html");
    std::fs::write(&path, html(report, &figures)).map_err(io(&path))?;
    Ok(path)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html(report: &ForensicsReport, figures: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Forensics: {source}</title>\
         <style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:right}}figure svg{{max-width:100%;height:auto}}\
         .caveat{{background:#fff3cd;padding:.5em}}</style></head><body>\n\
         <h1>Сайлау талдауы / Электоральная экспертиза / Election forensics</h1>\n\
         <p class=\"caveat\">{caveat}.</p>\n<p>{source}: {stations} stations read, {rejected} rejected. Leader: {leader}. \
         Turnout {turnout:.2} %, leader {share:.2} % of ballots cast ({votes} votes).</p>\n",
        source = escape(&report.input.source),
        caveat = escape(report.caveat),
        stations = report.input.stations,
        rejected = report.input.rejected,
        leader = escape(&report.leader),
        turnout = report.official.turnout,
        share = report.official.leader_share,
        votes = report.official.leader_votes,
    );
    if !report.input.diagnostics.is_empty() {
        let _ = write!(out, "<details><summary>Rejected rows</summary><ul>");
        for line in &report.input.diagnostics {
            let _ = write!(out, "<li>{}</li>", escape(line));
        }
        let _ = writeln!(out, "</ul></details>");
    }
    let _ = writeln!(out, "<h2>What stands out</h2><ul>");
    if report.flags.is_empty() {
        let _ = writeln!(out, "<li>Nothing stands out.</li>");
    }
    for flag in &report.flags {
        let _ = writeln!(out, "<li>{}</li>", escape(flag));
    }
    let _ = writeln!(out, "</ul>\n{figures}");
    integer_and_shpilkin(&mut out, report);
    other_tests(&mut out, report);
    out.push_str("</body></html>\n");
    out
}

fn integer_and_shpilkin(out: &mut String, report: &ForensicsReport) {
    if let Some(integer) = &report.integer {
        let rows = [
            (
                "either",
                integer.observed.either,
                integer.expected.either,
                integer.excess.either,
                integer.monte_carlo.either.p999,
            ),
            (
                "leader",
                integer.observed.leader,
                integer.expected.leader,
                integer.excess.leader,
                integer.monte_carlo.leader.p999,
            ),
            (
                "turnout",
                integer.observed.turnout,
                integer.expected.turnout,
                integer.excess.turnout,
                integer.monte_carlo.turnout.p999,
            ),
        ];
        let mut table = String::from(
            "<table><tr><th></th><th>observed</th><th>expected</th><th>excess</th><th>MC 99.9 %</th></tr>",
        );
        for (name, obs, exp, exc, p999) in rows {
            let _ = write!(
                table,
                "<tr><th>{name}</th><td>{obs}</td><td>{exp:.1}</td><td>{exc:.1}</td><td>{p999:.1}</td></tr>"
            );
        }
        table.push_str("</table>");
        section(out, "Integer percentages", &table, &integer.explanation, &integer.selection);
    }
    shpilkin_section(out, report);
}

fn shpilkin_section(out: &mut String, report: &ForensicsReport) {
    if let Some(shpilkin) = &report.shpilkin {
        let mut table = String::from(
            "<table><tr><th>variant</th><th>peak</th><th>excess votes</th><th>turnout %</th><th>leader % of valid</th></tr>",
        );
        for it in &shpilkin.variants {
            let _ = write!(
                table,
                "<tr><th>{:?} / {:?}</th><td>{} %</td><td>{:.0}</td><td>{:.2}</td><td>{:.2}</td></tr>",
                it.variant.peak_by,
                it.variant.clean_ratio,
                it.peak_bin,
                it.excess_votes,
                it.turnout,
                it.leader_share
            );
        }
        let _ = write!(
            table,
            "</table><p>{}.</p><p>Within commissions: {:.0} excess votes, 95 % interval {:.0} to {:.0} ({} groups).</p>",
            escape(&shpilkin.peak_choice),
            shpilkin.within_commissions.excess_votes,
            shpilkin.within_commissions.interval95[0],
            shpilkin.within_commissions.interval95[1],
            shpilkin.within_commissions.groups
        );
        section(out, "Shpilkin's excess votes", &table, &shpilkin.explanation, &shpilkin.selection);
    }
}

fn other_tests(out: &mut String, report: &ForensicsReport) {
    if let Some(klimek) = &report.klimek {
        let body = format!(
            "<p>τ = {:.3}, ν = {:.3}, σ_τ = {:.5}, σ_ν = {:.5}, θ = {:.4}</p>",
            klimek.tau, klimek.nu, klimek.sigma_tau, klimek.sigma_nu, klimek.theta
        );
        section(out, "Klimek first stage", &body, &klimek.explanation, &klimek.selection);
    }
    if let Some(dist) = &report.distributions {
        section(
            out,
            "Distributions and fingerprint",
            "<p>See the charts above.</p>",
            &dist.explanation,
            &dist.selection,
        );
    }
    if let Some(digits) = &report.digits {
        let body = format!(
            "<p>Last digit χ² = {:.1} (p = {:.2e}); second-digit mean {:.3} (Benford {:.3}), χ² = {:.1} (p = {:.2e}).</p>",
            digits.last_digit_chi2,
            digits.last_digit_p,
            digits.second_digit_mean,
            digits.second_digit_benford_mean,
            digits.second_digit_chi2,
            digits.second_digit_p
        );
        section(out, "Digit tests", &body, &digits.explanation, &digits.selection);
    }
    if let Some(identical) = &report.identical {
        let body = format!(
            "<p>{} groups, {} stations.</p>",
            identical.groups.len(),
            identical.stations_in_groups
        );
        section(out, "Identical protocols", &body, &identical.explanation, &identical.selection);
    }
    outliers_and_versions(out, report);
}

fn outliers_and_versions(out: &mut String, report: &ForensicsReport) {
    if let Some(outliers) = &report.outliers {
        let mut body = String::from(
            "<table><tr><th>station</th><th>group</th><th>turnout %</th><th>leader %</th><th>score</th></tr>",
        );
        for it in &outliers.top {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td></tr>",
                escape(&it.station),
                escape(&it.group),
                it.turnout,
                it.leader_share,
                it.score
            );
        }
        body.push_str("</table>");
        if let Some(auc) = outliers.auc {
            let _ = write!(body, "<p>AUC against the ground truth: {auc:.3}.</p>");
        }
        section(out, "Outliers", &body, &outliers.summary.explanation, &outliers.summary.selection);
    }
    if let Some(versions) = &report.versions {
        let mut body = format!(
            "<p>{} corrected stations; the leader's votes changed by {:+} in all.</p><table><tr><th>station</th><th>versions</th><th>turnout first %</th><th>now %</th><th>leader first</th><th>now</th></tr>",
            versions.corrected, versions.leader_change_total
        );
        for it in &versions.by_turnout {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>",
                escape(&it.station),
                it.versions,
                it.turnout_first,
                it.turnout_current,
                it.leader_first,
                it.leader_current
            );
        }
        body.push_str("</table>");
        section(out, "Corrected protocols", &body, &versions.explanation, &versions.selection);
    }
}

fn section(
    out: &mut String,
    title: &str,
    body: &str,
    explanation: &Explanation,
    selection: &Selection,
) {
    let _ = write!(
        out,
        "<h2>{}</h2>\n{body}\n<p><b>Definition.</b> {}.</p>\n<p><b>Stations.</b> {} kept",
        escape(title),
        escape(&explanation.definition),
        selection.kept
    );
    for dropped in &selection.dropped {
        let _ = write!(out, "; {} dropped: {}", dropped.stations, escape(&dropped.reason));
    }
    out.push_str(".</p>\n<ul>");
    for assumption in &explanation.assumptions {
        let _ = write!(out, "<li>Assumes: {}.</li>", escape(assumption));
    }
    for artifact in &explanation.artifacts {
        let _ = write!(out, "<li>Artifact: {}.</li>", escape(artifact));
    }
    out.push_str("</ul>\n");
}
