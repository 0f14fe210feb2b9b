//! The terminal view of a forensics report: one table per test, each followed by its
//! definition, its stations kept and dropped, and its known artifacts.

use std::fmt::Write as _;

use saylau_app::forensics::Digits;
use saylau_app::forensics::Distributions;
use saylau_app::forensics::Identical;
use saylau_app::forensics::IntegerTest;
use saylau_app::forensics::Klimek;
use saylau_app::forensics::Versions;
use saylau_app::forensics::report::{ForensicsReport, OutlierView};
use saylau_app::forensics::{CleanRatio, PeakBy, Shpilkin};
use saylau_app::forensics::{Explanation, Selection};

use crate::table::{grouped, new_table, number};

/// The whole report as text.
pub(super) fn report_text(report: &ForensicsReport) -> String {
    let mut out = String::new();
    let official = &report.official;
    let _ = writeln!(out, "Forensics of {} (leader: {})", report.input.source, report.leader);
    let _ = writeln!(
        out,
        "{} stations read, {} rejected; turnout {:.2} %, {} {:.2} % of ballots cast ({} votes)",
        grouped(report.input.stations as u64),
        grouped(report.input.rejected as u64),
        official.turnout,
        report.leader,
        official.leader_share,
        grouped(official.leader_votes)
    );
    for line in &report.input.diagnostics {
        let _ = writeln!(out, "  rejected: {line}");
    }
    let _ = writeln!(out, "Note: {}.\n", report.caveat);
    if let Some(integer) = &report.integer {
        integer_text(&mut out, integer);
    }
    if let Some(shpilkin) = &report.shpilkin {
        shpilkin_text(&mut out, shpilkin);
    }
    if let Some(klimek) = &report.klimek {
        klimek_text(&mut out, klimek);
    }
    if let Some(dist) = &report.distributions {
        distributions_text(&mut out, dist);
    }
    if let Some(digits) = &report.digits {
        digits_text(&mut out, digits);
    }
    if let Some(identical) = &report.identical {
        identical_text(&mut out, identical);
    }
    if let Some(outliers) = &report.outliers {
        outliers_text(&mut out, outliers);
    }
    if let Some(versions) = &report.versions {
        versions_text(&mut out, versions);
    }
    if report.flags.is_empty() {
        let _ = writeln!(out, "Nothing stands out.");
    } else {
        let _ = writeln!(out, "What stands out (a suggestion, not a proof):");
        for flag in &report.flags {
            let _ = writeln!(out, "  - {flag}");
        }
    }
    out
}

fn integer_text(out: &mut String, integer: &IntegerTest) {
    let mut table = new_table(&[
        "integer stations",
        "observed",
        "expected",
        "excess",
        "MC mean",
        "MC sd",
        "MC 99.9 %",
        "p",
    ]);
    for (name, obs, exp, exc, mc) in [
        (
            "either",
            integer.observed.either,
            integer.expected.either,
            integer.excess.either,
            integer.monte_carlo.either,
        ),
        (
            "leader",
            integer.observed.leader,
            integer.expected.leader,
            integer.excess.leader,
            integer.monte_carlo.leader,
        ),
        (
            "turnout",
            integer.observed.turnout,
            integer.expected.turnout,
            integer.excess.turnout,
            integer.monte_carlo.turnout,
        ),
    ] {
        table.add_row(vec![
            name.into(),
            number(grouped(obs)),
            number(format!("{exp:.1}")),
            number(format!("{exc:.1}")),
            number(format!("{:.1}", mc.mean)),
            number(format!("{:.1}", mc.sd)),
            number(format!("{:.1}", mc.p999)),
            number(format!("{:.4}", mc.p_value)),
        ]);
    }
    section(
        out,
        "Integer percentages (Kobak, Shpilkin, Pshenichnikov 2016)",
        &table.to_string(),
        &integer.explanation,
        &integer.selection,
    );
    let _ = writeln!(
        out,
        "Monte Carlo: {} draws, seed {}; exact vs float boundary rule differs on {} station(s).\n",
        integer.draws, integer.seed, integer.float_rule_disagreements
    );
}

fn shpilkin_text(out: &mut String, shpilkin: &Shpilkin) {
    let mut table = new_table(&[
        "variant",
        "peak bin",
        "clean ratio",
        "excess votes",
        "turnout %",
        "leader % of valid",
    ]);
    for (idx, it) in shpilkin.variants.iter().enumerate() {
        let peak = match it.variant.peak_by {
            PeakBy::Ballots => "ballots peak",
            PeakBy::Voters => "voters peak",
        };
        let ratio = match it.variant.clean_ratio {
            CleanRatio::PeakBin => "ratio in the peak bin",
            CleanRatio::UpToPeak => "ratio up to the peak",
        };
        let label = format!("{peak}, {ratio}{}", if idx == 0 { " (default)" } else { "" });
        table.add_row(vec![
            label.into(),
            number(format!("{}–{} %", it.peak_bin, it.peak_bin + 1)),
            number(format!("{:.4}", it.clean_ratio)),
            number(grouped(it.excess_votes.max(0.0).round() as u64)),
            number(format!("{:.2}", it.turnout)),
            number(format!("{:.2}", it.leader_share)),
        ]);
    }
    section(
        out,
        "Shpilkin's excess votes",
        &table.to_string(),
        &shpilkin.explanation,
        &shpilkin.selection,
    );
    let within = &shpilkin.within_commissions;
    let _ = writeln!(
        out,
        "Official: turnout {:.2} %, leader {:.2} % of valid ({:.2} % and {:.2} % over the kept stations). {}.\nWithin commissions ({} groups, {} stations compared within their region): {:.0} excess votes, 95 % interval {:.0} to {:.0} (standard error {:.0}, from the spread over commissions).\n",
        shpilkin.official_turnout,
        shpilkin.official_leader_share_of_valid,
        shpilkin.kept_turnout,
        shpilkin.kept_leader_share_of_valid,
        shpilkin.peak_choice,
        within.groups,
        within.pooled_in_region,
        within.excess_votes,
        within.interval95[0],
        within.interval95[1],
        within.standard_error,
    );
}

fn klimek_text(out: &mut String, klimek: &Klimek) {
    let mut table = new_table(&["τ", "ν", "σ_τ", "σ_ν", "θ"]);
    table.add_row(vec![
        number(format!("{:.3}", klimek.tau)),
        number(format!("{:.3}", klimek.nu)),
        number(format!("{:.5}", klimek.sigma_tau)),
        number(format!("{:.5}", klimek.sigma_nu)),
        number(format!("{:.4}", klimek.theta)),
    ]);
    section(
        out,
        "Klimek et al. first-stage parameters",
        &table.to_string(),
        &klimek.explanation,
        &klimek.selection,
    );
}

fn distributions_text(out: &mut String, dist: &Distributions) {
    let mode = |counts: &[u64]| {
        counts
            .iter()
            .enumerate()
            .max_by_key(|&(_, count)| *count)
            .map_or(0.0, |(idx, _)| idx as f64 * dist.turnout.bin_width)
    };
    let text = format!(
        "turnout mode {:.2} % (stations), {:.2} % (voters); leader-share mode {:.2} % (stations); bin width {} points{}",
        mode(&dist.turnout.stations),
        mode(&dist.turnout.voters),
        mode(&dist.leader_share.stations),
        dist.turnout.bin_width,
        dist.noise_seed.map_or(String::new(), |seed| format!(", numerator noise seed {seed}"))
    );
    section(
        out,
        "Distributions and fingerprint (charts with --out)",
        &text,
        &dist.explanation,
        &dist.selection,
    );
}

fn digits_text(out: &mut String, digits: &Digits) {
    let mut table = new_table(&["test", "χ² (9 df)", "p", "mean"]);
    table.add_row(vec![
        "last digit (≥ 100)".into(),
        number(format!("{:.1}", digits.last_digit_chi2)),
        number(format!("{:.2e}", digits.last_digit_p)),
        number(""),
    ]);
    table.add_row(vec![
        "second digit (≥ 10)".into(),
        number(format!("{:.1}", digits.second_digit_chi2)),
        number(format!("{:.2e}", digits.second_digit_p)),
        number(format!(
            "{:.3} (Benford {:.3})",
            digits.second_digit_mean, digits.second_digit_benford_mean
        )),
    ]);
    section(
        out,
        "Digit tests (descriptive)",
        &table.to_string(),
        &digits.explanation,
        &digits.selection,
    );
}

fn identical_text(out: &mut String, identical: &Identical) {
    let mut table = new_table(&["region", "commission", "voters", "stations"]);
    for group in identical.groups.iter().take(10) {
        table.add_row(vec![
            group.region.clone().into(),
            group.commission.clone().into(),
            number(grouped(group.voters)),
            group.stations.join(" ").into(),
        ]);
    }
    let text = format!(
        "{} groups, {} stations\n{table}",
        identical.groups.len(),
        identical.stations_in_groups
    );
    section(
        out,
        "Identical protocols within a commission",
        &text,
        &identical.explanation,
        &identical.selection,
    );
}

fn outliers_text(out: &mut String, outliers: &OutlierView) {
    let mut table =
        new_table(&["station", "group", "turnout %", "leader %", "z turnout", "z share", "score"]);
    for it in outliers.top.iter().take(10) {
        table.add_row(vec![
            it.station.clone().into(),
            it.group.clone().into(),
            number(format!("{:.1}", it.turnout)),
            number(format!("{:.1}", it.leader_share)),
            number(format!("{:.1}", it.z_turnout)),
            number(format!("{:.1}", it.z_share)),
            number(format!("{:.1}", it.score)),
        ]);
    }
    let mut text = format!("{} stations score above 7\n{table}", outliers.summary.flagged);
    if let (Some(auc), Some(count), Some(top)) =
        (outliers.auc, outliers.truth_count, outliers.truth_in_top)
    {
        let _ = write!(
            text,
            "\nagainst the ground truth: AUC {auc:.3}; {top} of the {count} manipulated stations are among the top {count} scores"
        );
    }
    section(
        out,
        "Outliers by robust z within the commission",
        &text,
        &outliers.summary.explanation,
        &outliers.summary.selection,
    );
}

fn section(
    out: &mut String,
    title: &str,
    body: &str,
    explanation: &Explanation,
    selection: &Selection,
) {
    let _ = writeln!(out, "{title}\n{body}");
    let _ = writeln!(out, "Definition: {}.", explanation.definition);
    let dropped: Vec<String> = selection
        .dropped
        .iter()
        .map(|it| format!("{} {}", grouped(it.stations as u64), it.reason))
        .collect();
    let _ = writeln!(
        out,
        "Stations: {} kept{}.",
        grouped(selection.kept as u64),
        if dropped.is_empty() {
            String::new()
        } else {
            format!("; dropped: {}", dropped.join(", "))
        }
    );
    for assumption in &explanation.assumptions {
        let _ = writeln!(out, "Assumes: {assumption}.");
    }
    for artifact in &explanation.artifacts {
        let _ = writeln!(out, "Artifact: {artifact}.");
    }
    out.push('\n');
}

fn versions_text(out: &mut String, versions: &Versions) {
    let mut table = new_table(&[
        "station",
        "versions",
        "turnout first %",
        "now %",
        "change",
        "leader first",
        "now",
        "change",
    ]);
    for it in versions.by_turnout.iter().take(10) {
        table.add_row(vec![
            it.station.clone().into(),
            number(it.versions.to_string()),
            number(format!("{:.1}", it.turnout_first)),
            number(format!("{:.1}", it.turnout_current)),
            number(format!("{:+.1}", it.turnout_change)),
            number(grouped(it.leader_first)),
            number(grouped(it.leader_current)),
            number(format!("{:+}", it.leader_change)),
        ]);
    }
    let text = format!(
        "{} corrected stations; the leader's votes changed by {:+} in all\n{table}",
        versions.corrected, versions.leader_change_total
    );
    section(
        out,
        "Corrected protocols (largest turnout moves)",
        &text,
        &versions.explanation,
        &versions.selection,
    );
}
