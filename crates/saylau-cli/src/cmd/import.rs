//! `saylau import FILE...`: protocol files into the protocol store's log.
//!
//! Reads CSV and JSON protocol files (`docs/protocol.md`), registers the election, its
//! lists and the commission hierarchy the stations name (where missing), and appends
//! every good protocol as a version of its station, signed in batches by `--key`. A bad
//! protocol is rejected whole with its diagnostics; a protocol that differs from its
//! station's current version is a correction, which needs `--reason` and a base version
//! (a `base_version` column, or `--base-current`). Running the same import again adds
//! nothing. The exit code is 1 when any protocol was rejected or conflicted.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use saylau_app::import::files::{
    DEFAULT_LATE_MINUTES, DEFAULT_MAX_DIAGNOSTICS, open_files_flagging,
};
use saylau_app::import::register::register_files;
use saylau_app::import::{Imported, Request, import_files, read_key};
pub(crate) use saylau_app::store::DEFAULT_ELECTION;
use saylau_app::store::ElectionId;

use crate::cmd::db;
use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau import`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Protocol files, CSV or JSON (`.json`), format v1.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The private key (PKCS#8 PEM) that signs the protocols: the key of their stations'
    /// PEC or of a commission above them, such as the CEC.
    #[arg(long, env = "SAYLAU_KEY", hide_env_values = true, value_name = "PATH")]
    key: PathBuf,
    /// Who submits the protocols; recorded in every entry.
    #[arg(long, value_name = "NAME", default_value = "saylau import")]
    author: String,
    /// Why protocols that differ from their station's current version correct it.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// A correction without a `base_version` corrects the version that is current when
    /// the import begins; one changed by someone else meanwhile is a conflict.
    #[arg(long)]
    base_current: bool,
    /// The election the protocols belong to; registered on first use.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Protocols per signed batch, each written in one transaction.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    batch_size: usize,
    /// The most diagnostics of rejected rows kept per file; the rows rejected after them
    /// are counted (`omitted`).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DIAGNOSTICS)]
    max_diagnostics: usize,
    /// Minutes after the polls closed past which a count's start is flagged (rule P-14 of
    /// protocol format v2; a setting, not the law's number).
    #[arg(long, value_name = "MINUTES", default_value_t = DEFAULT_LATE_MINUTES)]
    late_count_minutes: u32,
    /// Register the election, its lists and every station the files name (where missing),
    /// signed by `--key`, and append none of their protocols: the stations are expected,
    /// and their protocols are entered later (the portal's entry forms or write API).
    #[arg(long, conflicts_with_all = ["reason", "base_current"])]
    register_only: bool,
    /// Print the summary as JSON, without a progress bar.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau import`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    // Only the files' headers are read here: the rows are read a chunk at a time while
    // they are imported.
    let files = open_files_flagging(&args.files, args.max_diagnostics, args.late_count_minutes)
        .map_err(output::app_error)?;
    let key = read_key(&args.key)?;
    let request = Request {
        election: &args.election,
        files: args.files.iter().map(|path| path.display().to_string()).collect(),
        author: &args.author,
        reason: args.reason.as_deref(),
        base_current: args.base_current,
        batch_size: args.batch_size,
    };
    let progress = progress_bar(!args.json && std::io::stderr().is_terminal(), files.size());
    let imported = db::block_on(async {
        let store = db::open(db).await?;
        let mut tick = |done: saylau_app::import::ImportProgress| {
            progress.set_position(done.bytes);
            progress.set_message(format!(
                "{} protocols",
                grouped(u64::try_from(done.protocols).unwrap_or(u64::MAX))
            ));
        };
        let res = if args.register_only {
            register_files(&store, files, &key, &request, &mut tick).await
        } else {
            import_files(&store, files, &key, &request, &mut tick).await
        };
        store.close().await;
        res.map_err(output::app_error)
    })??;
    progress.finish_and_clear();
    if args.json {
        output::print_json(&imported)?;
    } else if args.register_only {
        output::print_text(&render_registered(&imported, db, args.max_diagnostics))?;
    } else {
        output::print_text(&render(&imported, db, args.max_diagnostics))?;
    }
    Ok(if imported.clean() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A bar of the files' bytes read on stderr, with the protocols imported, or a hidden one.
fn progress_bar(visible: bool, bytes: u64) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    let style = ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The flags of kept protocols (`P-9`, `P-14`): a count per rule and the first ten.
fn render_flags(imported: &Imported, out: &mut String) {
    const SHOWN: usize = 10;
    if imported.flags.is_empty() && imported.flags_omitted == 0 {
        return;
    }
    let mut by_rule: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for flag in &imported.flags {
        *by_rule.entry(flag.rule).or_default() += 1;
    }
    let counts: Vec<String> = by_rule.iter().map(|(rule, n)| format!("{rule} {n}")).collect();
    out.push_str(&format!(
        "\nflagged and kept (protocol format v2): {} ({})\n",
        imported.flags.len(),
        counts.join(", ")
    ));
    for flag in imported.flags.iter().take(SHOWN) {
        out.push_str(&format!("flagged {}\n", flag.message));
    }
    if imported.flags.len() > SHOWN {
        out.push_str(&format!(
            "... and {} more (--json lists them)\n",
            imported.flags.len() - SHOWN
        ));
    }
    if imported.flags_omitted > 0 {
        out.push_str(&format!(
            "... and {} more past --max-diagnostics, counted only\n",
            imported.flags_omitted
        ));
    }
}

/// The summary of an import as text.
fn render(imported: &Imported, db: &str, max_diagnostics: usize) -> String {
    let batches = match imported.batches {
        1 => "1 signed batch".to_owned(),
        n => format!("{n} signed batches"),
    };
    let mut out = format!(
        "Imported {} into {db} (election {}): {batches}\n\n",
        imported.files.join(", "),
        imported.election,
    );
    let mut table = new_table(&["protocols", "count"]);
    let counts = &imported.counts;
    let rows = [
        ("accepted (new)", counts.accepted),
        ("corrections (new versions)", counts.corrections),
        ("unchanged", counts.unchanged),
        ("rejected", counts.rejected),
        ("conflicts", counts.conflicts),
    ];
    for (label, count) in rows {
        let count = grouped(u64::try_from(count).unwrap_or(u64::MAX));
        table.add_row(vec![comfy_table::Cell::new(label), number(count)]);
    }
    out.push_str(&format!("{table}\n"));
    render_rejected(imported, max_diagnostics, &mut out);
    for conflict in &imported.conflicts {
        out.push_str(&format!("{}\n", conflict.message));
    }
    render_flags(imported, &mut out);
    out.push_str(&format!("\nLog checkpoint: {}\n", imported.checkpoint));
    out
}

/// The summary of `--register-only` as text.
fn render_registered(imported: &Imported, db: &str, max_diagnostics: usize) -> String {
    let mut out = format!(
        "Registered the stations of {} in {db} (election {}); no protocol appended\n\n",
        imported.files.join(", "),
        imported.election,
    );
    let mut table = new_table(&["registered", "count"]);
    let registered = &imported.registered;
    let rows = [
        ("party lists", registered.lists),
        ("commissions (CEC, regions, districts, PECs)", registered.commissions),
        ("polling stations", registered.stations),
        ("rows rejected", imported.counts.rejected),
    ];
    for (label, count) in rows {
        let count = grouped(u64::try_from(count).unwrap_or(u64::MAX));
        table.add_row(vec![comfy_table::Cell::new(label), number(count)]);
    }
    out.push_str(&format!("{table}\n"));
    render_rejected(imported, max_diagnostics, &mut out);
    out.push_str(&format!("\nLog checkpoint: {}\n", imported.checkpoint));
    out
}

/// The rejected rows with every reason, and the count of those not shown.
fn render_rejected(imported: &Imported, max_diagnostics: usize, out: &mut String) {
    for rejected in &imported.rejected {
        let place = match (&rejected.file, rejected.line) {
            (Some(file), Some(line)) => format!(" ({file}:{line})"),
            (Some(file), None) => format!(" ({file})"),
            _ => String::new(),
        };
        let station = rejected.station.as_deref().unwrap_or("row");
        for reason in &rejected.reasons {
            out.push_str(&format!(
                "rejected {station}{place}: {} (rule {})\n",
                reason.message, reason.rule
            ));
        }
    }
    if imported.omitted.rows > 0 {
        out.push_str(&format!(
            "... and {} more rejected rows ({} diagnostics) not shown (--max-diagnostics {max_diagnostics})\n",
            grouped(imported.omitted.rows),
            grouped(imported.omitted.diagnostics),
        ));
    }
}
