//! `saylau commissions load|report|draw`: the commissions register (`docs/commissions.md`),
//! clap arguments and terminal tables over `saylau_app::commissions`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::commissions::draw::{Drawn, draw};
use saylau_app::commissions::load::load;
use saylau_app::commissions::report::{Report, Summary, report};
use saylau_app::commissions::{CommissionKey, CommissionsError, Date, Flag, Level, level_name};
use saylau_app::store::{ElectionId, Store};

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau commissions`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Check a register file and sign it into the store, whole or not at all.
    Load(LoadArgs),
    /// The balance of the register: members by nominator and party, majorities flagged.
    Report(ReportArgs),
    /// Draw members by lot for registered commissions and write them as a register file.
    Draw(DrawArgs),
}

#[derive(Debug, clap::Args)]
struct LoadArgs {
    /// The register file (`# saylau-commissions v1` CSV, docs/commissions.md).
    file: PathBuf,
    /// The private key (PKCS#8 PEM) of the CEC or of a commission above every member's.
    #[arg(long, value_name = "PATH")]
    key: PathBuf,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// A level as the command line names it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LevelArg {
    Cec,
    Region,
    District,
    Pec,
}

impl LevelArg {
    fn level(self) -> Level {
        match self {
            LevelArg::Cec => Level::Central,
            LevelArg::Region => Level::Region,
            LevelArg::District => Level::District,
            LevelArg::Pec => Level::Precinct,
        }
    }
}

fn date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|err| err.to_string())
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// List only the commissions of this level (the summaries cover every level).
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    /// The day of the composition (YYYY-MM-DD); by default the latest first day of a term.
    #[arg(long, value_name = "DATE", value_parser = date)]
    on: Option<Date>,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// List at most this many commissions in the table (all in JSON).
    #[arg(long, value_name = "N", default_value_t = 40)]
    limit: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct DrawArgs {
    /// The lot file (`saylau lot commission`'s TOML, docs/lot.md) naming register ids.
    file: PathBuf,
    /// The first day of the drawn members' term (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date)]
    from: Date,
    /// The last day of their term (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date)]
    to: Date,
    /// Write the drawn members here as a register file for `saylau commissions load`.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// The election whose register the commissions are in.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the draw as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `op` on the store at `db`, opened and closed around it.
fn on_store<T>(
    db: &str,
    op: impl AsyncFnOnce(&Store) -> Result<T, CommissionsError>,
) -> anyhow::Result<T> {
    db::block_on(async {
        let store = db::open(db).await?;
        let res = op(&store).await;
        store.close().await;
        res.map_err(output::app_error)
    })?
}

/// Runs `saylau commissions`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Load(load_args) => {
            let key = CommissionKey::read_pem(&load_args.key).context("reading the key")?;
            let loaded = on_store(db, async |store| {
                load(store, &load_args.election, &load_args.file, &key).await
            })?;
            if load_args.json {
                output::print_json(&loaded)?;
            } else {
                output::print_text(&format!(
                    "{}: {} members of {} commissions registered in election {}, signed by {}\n\
                     (checked under {})\n",
                    loaded.file,
                    grouped(loaded.members as u64),
                    grouped(loaded.commissions as u64),
                    loaded.election,
                    loaded.signed_by,
                    loaded.law
                ))?;
            }
        }
        Command::Report(report_args) => {
            let level = report_args.level.map(LevelArg::level);
            let view = on_store(db, async |store| {
                report(store, &report_args.election, level, report_args.on).await
            })?;
            if report_args.json {
                output::print_json(&view)?;
            } else {
                output::print_text(&render(&view, report_args.limit))?;
            }
        }
        Command::Draw(draw_args) => {
            let drawn = on_store(db, async |store| {
                let term = (draw_args.from, draw_args.to);
                let out = draw_args.out.as_deref();
                draw(store, &draw_args.election, &draw_args.file, term, out).await
            })?;
            if draw_args.json {
                output::print_json(&drawn)?;
            } else {
                output::print_text(&render_draw(&drawn))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn flag_text(flag: &Flag) -> String {
    match flag {
        Flag::PartyMajority { party } => format!("{party} nominees"),
        Flag::LocalAuthorityMajority => "akimat/maslikhat nominees".to_owned(),
        Flag::MembershipMajority { party } => format!("{party} members"),
    }
}

/// The first `limit` shares, with their percentages when `percent`.
fn shares_text(shares: &[saylau_app::commissions::Share], limit: usize, percent: bool) -> String {
    let mut parts: Vec<String> = shares
        .iter()
        .take(limit)
        .map(|it| {
            let members = grouped(u64::from(it.members));
            if percent {
                format!("{} {members} ({}%)", it.name, it.percent)
            } else {
                format!("{} {members}", it.name)
            }
        })
        .collect();
    if shares.len() > limit {
        parts.push(format!("+{} more", shares.len() - limit));
    }
    parts.join(", ")
}

fn summary_row(summary: &Summary) -> Vec<String> {
    let name = summary.level.map_or("country", level_name);
    vec![
        name.to_owned(),
        format!("{}/{}", grouped(summary.with_members as u64), grouped(summary.registered as u64)),
        grouped(u64::from(summary.members)),
        shares_text(&summary.by_nominator, 4, true),
        shares_text(&summary.by_party_member, 2, true),
        grouped(summary.party_majority as u64),
        grouped(summary.local_authority_majority as u64),
        grouped(summary.membership_majority as u64),
    ]
}

/// The report as terminal tables: the summaries, then the commissions (at most `limit`).
fn render(view: &Report, limit: usize) -> String {
    let Some(on) = view.on else {
        return format!("No members are registered in election {}.\n", view.election);
    };
    let how = if view.on_given { "" } else { " (the latest first day of a term)" };
    let mut out = format!(
        "Commissions of election {} on {on}{how}, under {}\n\
         A majority is more than half of the members sitting on the day.\n\n",
        view.election, view.law
    );
    let mut table = new_table(&[
        "level",
        "with members",
        "members",
        "by nominator",
        "by party membership",
        "party majority",
        "akimat majority",
        "membership majority",
    ]);
    for summary in view.levels.iter().chain(std::iter::once(&view.national)) {
        let row = summary_row(summary);
        let mut cells: Vec<comfy_table::Cell> = Vec::with_capacity(row.len());
        for (idx, text) in row.into_iter().enumerate() {
            cells.push(if idx == 0 || idx == 3 || idx == 4 {
                comfy_table::Cell::new(text)
            } else {
                number(text)
            });
        }
        table.add_row(cells);
    }
    out.push_str(&format!("{table}\n\n"));
    let mut table = new_table(&["commission", "level", "members", "by nominator", "flags"]);
    for it in view.commissions.iter().take(limit) {
        let flags: Vec<String> = it.flags.iter().map(flag_text).collect();
        table.add_row(vec![
            comfy_table::Cell::new(&it.commission),
            comfy_table::Cell::new(level_name(it.level)),
            number(it.members.to_string()),
            comfy_table::Cell::new(shares_text(&it.by_nominator, 7, false)),
            comfy_table::Cell::new(flags.join("; ")),
        ]);
    }
    out.push_str(&format!("{table}\n"));
    if view.commissions.len() > limit {
        out.push_str(&format!(
            "{} commissions in all; --limit N shows more, --json all of them\n",
            grouped(view.commissions.len() as u64)
        ));
    }
    out
}

fn render_draw(drawn: &Drawn) -> String {
    let mut out = format!(
        "{}: seed {:?}, {} members drawn for {} registered commissions of election {}\n",
        drawn.draw.name,
        drawn.draw.draw.seed.as_str(),
        drawn.members.len(),
        drawn.draw.draw.commissions.len(),
        drawn.election
    );
    let mut table = new_table(&["commission", "person", "nominated by"]);
    for member in &drawn.members {
        table.add_row(vec![
            member.commission.clone(),
            member.person.clone(),
            member.nominator.to_string(),
        ]);
    }
    out.push_str(&format!("{table}\n"));
    if let Some(file) = &drawn.written {
        out.push_str(&format!("Written to {file}: load it with `saylau commissions load`.\n"));
    }
    out
}
