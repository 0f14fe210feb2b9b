//! `saylau`: the command-line face of the saylau election system.
//!
//! Parses arguments with clap, runs one subcommand and maps the outcome to an exit code:
//! 0 when all went well, 1 when the input was rejected (the diagnostics say why), 2 for
//! any other error. A closed pipe (`saylau ... | head`) is not an error.

mod cmd;
mod output;
mod survey_view;
mod table;
mod view;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exact seat allocation, comparisons and election reports for Kazakhstan's electoral
/// framework and its proposed reforms.
#[derive(Debug, Parser)]
#[command(name = "saylau", version, about, max_term_width = 100)]
struct Cli {
    /// The protocol store used by `db`, `keys`, `log`, `import`, `results`, `export` and `serve`:
    /// a SQLite file or a `postgres://` URL.
    #[arg(
        long,
        global = true,
        env = "SAYLAU_DB",
        hide_env_values = true,
        default_value = "saylau.sqlite",
        value_name = "PATH|URL"
    )]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Allocate the seats of an election file and explain every step.
    Allocate(cmd::allocate::Args),
    /// Compare the seats and proportionality of the law with what-if variants.
    Compare(cmd::compare::Args),
    /// Show the 2021 Mazhilis under the law and the seed's reforms (bundled data).
    Demo(cmd::demo::Args),
    /// Write a synthetic Kazakhstan of polling-station protocols (official 2021 totals).
    Generate(cmd::generate::Args),
    /// Check candidates for rural akim against the law of 2021 and the proposal.
    Eligibility(cmd::eligibility::Args),
    /// Check party lists against the list quotas and assign their seats.
    Lists(cmd::lists::Args),
    /// Check a party's membership against every registration regime.
    PartyCheck(cmd::party_check::Args),
    /// Decide a round of plurality races (rural akims, single-member districts).
    Plurality(cmd::plurality::Args),
    /// State funding of parties per vote and campaign money, in whole tenge.
    Funding(cmd::funding::Args),
    /// Campaign and party finance: a ledger under the law and the proposals side by side.
    Finance(cmd::finance::Args),
    /// Check that a published table's parts add up to its totals.
    CheckTable(cmd::check_table::Args),
    /// An election's schedule from its day and the law's deadlines; law and proposal side by side.
    Calendar(cmd::calendar::Args),
    /// Turnout quorum and repeat elections: does a round or contest stand, law and proposal side by side.
    Legitimacy(cmd::legitimacy::Args),
    /// Akims elected indirectly: a maslikhat's vote in rounds, law and proposal side by side.
    Akim(cmd::akim::Args),
    /// Verifiable lots: draw, verify a published draw, draw commission members.
    Lot(cmd::lot::Args),
    /// Quick count: plan a stratified sample, draw it by lot, estimate with verdicts.
    Pvt(cmd::pvt::Args),
    /// Create or migrate the protocol store (`--db`).
    Db(cmd::db::Args),
    /// Commission signing keys: generate a key pair and register its public key.
    Keys(cmd::keys::Args),
    /// Users of the portal's working interface: add, list, disable (a CEC key authorises).
    Users(cmd::users::Args),
    /// The protocol log: verify its chain and signatures, print its checkpoint.
    Log(cmd::log::Args),
    /// Import protocol files into the store's log as signed versions per station.
    Import(cmd::import::Args),
    /// Results up the commission hierarchy from the current protocols, with seats.
    Results(cmd::results::Args),
    /// Write the current protocols as a protocol file (CSV or JSON).
    Export(cmd::export::Args),
    /// Serve the public results portal and JSON API of the store (`--db`).
    Serve(cmd::serve::Args),
    /// Forensic tests on station-level results (they suggest, they do not prove).
    Forensics(Box<cmd::forensics::Args>),
    /// Opinion surveys: margins of error, cross-tables with letters, weights, segments.
    Survey(cmd::survey::Args),
    /// Observer organisations: register one, revoke one of its keys.
    Observers(cmd::observe::ObserversArgs),
    /// Observers' copies of protocols and station statuses into the log.
    Observe(cmd::observe::ObserveArgs),
    /// Observers' copies against the official protocols, station by station.
    Reconcile(cmd::observe::ReconcileArgs),
    /// Observers' incident reports: import, follow-up, summary, export.
    Incidents(cmd::incidents::Args),
    /// The commissions register: load members, report the balance of nominators, draw by lot.
    Commissions(cmd::commissions::Args),
    /// A station's protocol: upload an image of the paper protocol.
    Protocol(cmd::protocol::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Allocate(args) => cmd::allocate::run(&args),
        Command::Compare(args) => cmd::compare::run(&args),
        Command::Demo(args) => cmd::demo::run(&args),
        Command::Generate(args) => cmd::generate::run(&args),
        Command::Eligibility(args) => cmd::eligibility::run(&args),
        Command::Lists(args) => cmd::lists::run(&args),
        Command::PartyCheck(args) => cmd::party_check::run(&args),
        Command::Plurality(args) => cmd::plurality::run(&args),
        Command::Funding(args) => cmd::funding::run(&args),
        Command::Finance(args) => cmd::finance::run(&args),
        Command::CheckTable(args) => cmd::check_table::run(&args),
        Command::Calendar(args) => cmd::calendar::run(&args),
        Command::Legitimacy(args) => cmd::legitimacy::run(&args),
        Command::Akim(args) => cmd::akim::run(&args),
        Command::Lot(args) => cmd::lot::run(&args),
        Command::Pvt(args) => cmd::pvt::run(&args),
        Command::Db(args) => cmd::db::run(&args, &cli.db),
        Command::Keys(args) => cmd::keys::run(&args, &cli.db),
        Command::Users(args) => cmd::users::run(&args, &cli.db),
        Command::Log(args) => cmd::log::run(&args, &cli.db),
        Command::Import(args) => cmd::import::run(&args, &cli.db),
        Command::Results(args) => cmd::results::run(&args, &cli.db),
        Command::Export(args) => cmd::export::run(&args, &cli.db),
        Command::Serve(args) => cmd::serve::run(&args, &cli.db),
        Command::Forensics(args) => cmd::forensics::run(&args, &cli.db),
        Command::Survey(args) => cmd::survey::run(&args),
        Command::Observers(args) => cmd::observe::run_observers(&args, &cli.db),
        Command::Observe(args) => cmd::observe::run_observe(&args, &cli.db),
        Command::Reconcile(args) => cmd::observe::run_reconcile(&args, &cli.db),
        Command::Incidents(args) => cmd::incidents::run(&args, &cli.db),
        Command::Commissions(args) => cmd::commissions::run(&args, &cli.db),
        Command::Protocol(args) => cmd::protocol::run(&args, &cli.db),
    };
    match res {
        Ok(code) => code,
        Err(err) => exit_for(&err),
    }
}

/// Prints `err` and chooses the exit code.
fn exit_for(err: &anyhow::Error) -> ExitCode {
    // serde_json wraps the io::Error it met and does not give it as its source.
    let broken_pipe = err.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        let json =
            cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    // A store that fails its checks is refused like bad input: exit 1, saying what is wrong.
    if err.chain().any(|cause| cause.downcast_ref::<saylau_app::store::CheckedError>().is_some()) {
        eprintln!("error: {err}");
        return ExitCode::from(1);
    }
    if let Some(rejected) = err.downcast_ref::<output::Rejected>() {
        eprintln!("{rejected}");
        return ExitCode::from(1);
    }
    eprintln!("error: {err:#}");
    ExitCode::from(2)
}
