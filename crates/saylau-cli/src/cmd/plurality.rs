//! `saylau plurality FILE`: a round of plurality races (rural akims, single-member
//! districts) decided race by race, with winners per party, runoffs, vacancies and turnout.
//!
//! The terminal view shows the per-party summary and, for a long round, only the races
//! that need attention (a runoff, a vacancy, a lot); `--races` lists every race. `--json`
//! prints every race and the summary.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::allocate::ListId;
use saylau_app::law::plurality::{
    AgainstAllRule, CandidateResult, RaceResult, RaceStatus, RaceTie, RoundResult,
};
use saylau_app::law::plurality::{PluralityFile, PluralityMeta};

use saylau_app::law::plurality;

use crate::output;
use crate::table::{grouped, new_table, number};

/// Rounds with at most this many races list every race without `--races`.
const SHORT_ROUND: usize = 20;

/// Arguments of `saylau plurality`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The round: TOML, or CSV with one candidate per row (see docs/plurality-format.md).
    file: PathBuf,
    /// Override a field, e.g. `--set rules.against_all=vacates-uncontested` (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    sets: Vec<String>,
    /// List every race, not only those with a runoff, a vacancy or a lot.
    #[arg(long)]
    races: bool,
    /// Print every race and the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau plurality`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let decided = plurality::plurality(&args.file, &args.sets).map_err(output::app_error)?;
    if args.json {
        output::print_json(&decided.json())?;
    } else {
        output::print_text(&render(&decided.file, &decided.result, args.races))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal view.
fn render(file: &PluralityFile, result: &RoundResult, every_race: bool) -> String {
    let summary = &result.summary;
    let mut out = String::new();
    let ties = match file.rules.ties {
        RaceTie::Runoff => "a second round between the tied",
        RaceTie::Lot => "a lot (saylau-lot-v1)",
    };
    let against_all = match file.rules.against_all {
        AgainstAllRule::NoEffect => "counted, no effect (the law)",
        AgainstAllRule::VacatesUncontested => {
            "leaves an uncontested seat vacant when it beats the candidate (the seed's proposal)"
        }
        AgainstAllRule::VacatesWhenBeaten => "leaves a seat vacant when it beats every candidate",
    };
    let _ = writeln!(out, "{}: {} races, {} seats", file.meta.name, summary.races, summary.seats);
    if let Some(scenario) = &file.meta.scenario {
        let kind =
            if scenario.modelled { "MODELLED SCENARIO, not official figures" } else { "Scenario" };
        let _ = writeln!(out, "{kind}: {}", scenario.note);
    }
    let _ = writeln!(out, "Most votes wins; ties: {ties}; \"against all\": {against_all}.\n");
    out.push_str(&parties_table(file, result).to_string());
    out.push('\n');
    let _ = writeln!(
        out,
        "\nElected {} of {} seats · runoffs {} · vacant {} · decided by lot {} · uncontested races {}",
        grouped(u64::from(summary.elected)),
        grouped(u64::from(summary.seats.0)),
        summary.runoffs,
        summary.vacant_seats,
        summary.lots,
        summary.uncontested,
    );
    if let Some(turnout) = &summary.turnout {
        let _ = writeln!(
            out,
            "Turnout {}% ({} of {} voters; races that publish it: {})",
            turnout.percent.decimal,
            grouped(turnout.participants.0),
            grouped(turnout.voters.0),
            turnout.races,
        );
    }
    if summary.regions.len() > 1 {
        out.push('\n');
        out.push_str(&regions_table(result).to_string());
        out.push('\n');
    }
    out.push_str(&races_section(file, result, every_race));
    let seed_kind = if file.meta.lot_seed_given { "the file's" } else { "SHA-256 of the races" };
    let _ = writeln!(
        out,
        "\nLot seed ({seed_kind}): {}; race R draws with {{seed}}/race-R",
        result.lot_seed
    );
    out
}

/// A party's display name: from `[parties]`, else its id; self-nominated for none.
fn party_name(meta: &PluralityMeta, party: Option<&ListId>) -> String {
    match party {
        None => "self-nominated".to_owned(),
        Some(id) => meta
            .parties
            .iter()
            .find(|known| &known.id == id)
            .map_or_else(|| id.to_string(), |known| known.name.clone()),
    }
}

fn parties_table(file: &PluralityFile, result: &RoundResult) -> comfy_table::Table {
    let summary = &result.summary;
    let mut table =
        new_table(&["party", "candidates", "winners", "% of seats", "in runoff", "votes"]);
    for party in &summary.parties {
        let percent = if summary.seats.0 == 0 {
            String::new()
        } else {
            saylau_app::allocate::Rational::from_ratio(
                u128::from(party.winners) * 100,
                u128::from(summary.seats.0),
            )
            .to_decimal(1)
        };
        table.add_row(vec![
            Cell::new(party_name(&file.meta, party.party.as_ref())),
            number(grouped(u64::from(party.candidates))),
            number(grouped(u64::from(party.winners))),
            number(percent),
            number(if party.in_runoff > 0 { party.in_runoff.to_string() } else { String::new() }),
            number(grouped(party.votes.0)),
        ]);
    }
    table
}

fn regions_table(result: &RoundResult) -> comfy_table::Table {
    let mut table =
        new_table(&["region", "races", "seats", "candidates", "elected", "runoffs", "vacant"]);
    for region in &result.summary.regions {
        table.add_row(vec![
            Cell::new(region.region.as_deref().unwrap_or("(none)")),
            number(region.races.to_string()),
            number(region.seats.to_string()),
            number(region.candidates.to_string()),
            number(region.elected.to_string()),
            number(region.runoffs.to_string()),
            number(region.vacant_seats.to_string()),
        ]);
    }
    table
}

/// Every race, or only the notable ones of a long round.
fn races_section(file: &PluralityFile, result: &RoundResult, every_race: bool) -> String {
    let all = every_race || result.races.len() <= SHORT_ROUND;
    let notable = |race: &&RaceResult| race.status != RaceStatus::Elected || race.lot.is_some();
    let shown: Vec<&RaceResult> = result.races.iter().filter(|race| all || notable(race)).collect();
    let mut out = String::from("\n");
    if shown.is_empty() {
        let _ = writeln!(
            out,
            "Every race elected its winner; `--races` lists all {} races.",
            result.races.len()
        );
        return out;
    }
    let mut table = new_table(&["race", "region", "elected", "votes", "against all", "outcome"]);
    for race in &shown {
        let names = |list: &[CandidateResult]| {
            list.iter()
                .map(|it| format!("{} ({})", it.name, party_name(&file.meta, it.party.as_ref())))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let votes: Vec<String> = race.winners.iter().map(|it| grouped(it.votes.0)).collect();
        let outcome = match (&race.runoff, &race.lot, race.status) {
            (Some(runoff), _, _) => {
                format!("runoff for {} seat(s): {}", runoff.seats, names(&runoff.candidates))
            }
            (_, Some(lot), _) => {
                format!("tie decided by lot (seed {}): {}", lot.seed, lot.order.join(", "))
            }
            (_, _, RaceStatus::Vacant) => format!("{} seat(s) vacant", race.vacant_seats),
            _ => "elected".to_owned(),
        };
        table.add_row(vec![
            Cell::new(race.id.as_str()),
            Cell::new(race.region.as_deref().unwrap_or("")),
            Cell::new(names(&race.winners)),
            number(votes.join(", ")),
            number(grouped(race.against_all.0)),
            Cell::new(outcome),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    if !all {
        let _ = writeln!(
            out,
            "{} races that elected their winner are not shown; `--races` lists all {} races.",
            result.races.len() - shown.len(),
            result.races.len()
        );
    }
    out
}
