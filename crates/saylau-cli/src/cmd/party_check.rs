//! `saylau party-check FILE`: which registration regimes a party's membership satisfies
//! (Law «On Political Parties», arts. 6 and 10, by period, and the seed's proposals),
//! with every failed condition and its numbers.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::party_check::{self, PartyCheck};
use saylau_app::law::party_check::{MembershipFile, RegimesFile};
use saylau_app::law::party_check::{RegimeCheck, RegimeStatus, RegistrationOutcome};

use crate::output;
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

/// Runs `saylau party-check`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let checked =
        party_check::party_check(&args.file, args.regimes.as_deref()).map_err(output::app_error)?;
    if args.json {
        output::print_json(&checked.json())?;
    } else {
        let PartyCheck { regimes, file, members, checks } = &checked;
        output::print_text(&render(regimes, file, *members, checks))?;
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
