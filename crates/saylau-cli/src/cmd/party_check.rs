//! `saylau party-check FILE`: which registration regimes a party's membership satisfies
//! (Law «On Political Parties», arts. 6 and 10, by period, and the seed's proposals),
//! with every failed condition and its numbers.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_core::law::party_registration::{
    RegimeCheck, RegimeStatus, RegistrationOutcome, registration_check,
};
use saylau_formats::{MembershipFile, RegimesFile, parse_regimes, read_membership, read_regimes};
use serde::Serialize;

use crate::output::{self, Rejected};
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau party-check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The membership file (TOML; see docs/party-registration-format.md).
    file: PathBuf,
    /// The regimes file; by default the bundled data/kz/party-registration.toml.
    #[arg(long, value_name = "REGIMES_FILE")]
    regimes: Option<PathBuf>,
    /// Print the full report as JSON.
    #[arg(long)]
    json: bool,
}

const BUNDLED: (&str, &str) = (
    "data/kz/party-registration.toml",
    include_str!("../../../../data/kz/party-registration.toml"),
);

#[derive(Serialize)]
struct PartyCheckJson<'a> {
    party: &'a str,
    synthetic: bool,
    region_set: &'a str,
    members: u64,
    regimes: &'a [RegimeCheck],
}

/// Runs `saylau party-check`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let regimes = match &args.regimes {
        Some(path) => read_regimes(path),
        None => parse_regimes(BUNDLED.0, BUNDLED.1),
    }
    .map_err(Rejected)?;
    let file = read_membership(&args.file, &regimes.region_sets).map_err(Rejected)?;
    let checks: Vec<RegimeCheck> =
        regimes.regimes.iter().map(|regime| registration_check(regime, &file.membership)).collect();
    let members = file.membership.members.iter().map(|people| people.0).sum();
    if args.json {
        output::print_json(&PartyCheckJson {
            party: &file.membership.party,
            synthetic: file.synthetic,
            region_set: &file.membership.region_set.id,
            members,
            regimes: &checks,
        })?;
    } else {
        output::print_text(&render(&regimes, &file, members, &checks))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render(
    regimes: &RegimesFile,
    file: &MembershipFile,
    members: u64,
    checks: &[RegimeCheck],
) -> String {
    let mut out = String::new();
    let membership = &file.membership;
    let _ = writeln!(
        out,
        "{}: {} members in {} regions ({})",
        membership.party,
        grouped(members),
        membership.region_set.regions.len(),
        membership.region_set.name
    );
    if file.synthetic {
        let _ = writeln!(out, "SYNTHETIC party, not real figures.");
    }
    let _ = writeln!(out, "Regimes: {}\n", regimes.name);
    let mut table = new_table(&["regime", "status", "period", "outcome", "failed or undocumented"]);
    for check in checks {
        let status = match check.status {
            RegimeStatus::Law => "law",
            RegimeStatus::FormerLaw => "former law",
            RegimeStatus::Proposal => "proposal",
        };
        let outcome = match check.outcome {
            RegistrationOutcome::Satisfied => "satisfied",
            RegistrationOutcome::NotSatisfied => "✗ not satisfied",
            RegistrationOutcome::Undetermined => "? undetermined",
        };
        let open: Vec<&str> = check
            .conditions
            .iter()
            .filter(|it| it.met != Some(true))
            .map(|it| it.condition)
            .collect();
        table.add_row(vec![
            Cell::new(&check.name),
            Cell::new(status),
            Cell::new(&check.period),
            Cell::new(outcome),
            Cell::new(open.join(", ")),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out.push_str(&failures_section(checks));
    out
}

/// Every regime not satisfied, with its failed or undocumented conditions and the regions
/// short of members.
fn failures_section(checks: &[RegimeCheck]) -> String {
    let mut out = String::new();
    for check in checks.iter().filter(|check| check.outcome != RegistrationOutcome::Satisfied) {
        let _ = writeln!(out, "\n{} ({}):", check.regime, check.article);
        for condition in check.conditions.iter().filter(|it| it.met != Some(true)) {
            let _ = writeln!(
                out,
                "  {}: required {}, found {}",
                condition.condition, condition.required, condition.found
            );
            if !condition.short_regions.is_empty() {
                let mut regions = new_table(&["region", "members", "missing"]);
                for region in &condition.short_regions {
                    regions.add_row(vec![
                        Cell::new(&region.name),
                        number(grouped(region.members.0)),
                        number(grouped(region.missing)),
                    ]);
                }
                out.push_str(&regions.to_string());
                out.push('\n');
            }
        }
    }
    out
}
