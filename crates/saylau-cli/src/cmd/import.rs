//! `saylau import FILE...`: protocol files into the protocol store's log.
//!
//! Reads CSV and JSON protocol files (`docs/protocol.md`), registers the election, its
//! lists and the commission hierarchy the stations name (where missing), and appends
//! every good protocol as a version of its station, signed in batches by `--key`. A bad
//! protocol is rejected whole with its diagnostics; a protocol that differs from its
//! station's current version is a correction, which needs `--reason` and a base version
//! (a `base_version` column, or `--base-current`). Running the same import again adds
//! nothing. The exit code is 1 when any protocol was rejected or conflicted.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use saylau_core::count::commission::{Hierarchy, StationId};
use saylau_core::count::protocol::{BallotLists, Protocol};
use saylau_formats::rule::ProtocolFileRule;
use saylau_formats::{Diagnostic, ProtocolFile, read_protocols};
use saylau_store::id::ElectionId;
use saylau_store::import::{ImportInput, ImportOptions, ImportReport, import_protocols};
use saylau_store::key::CommissionKey;
use saylau_store::registry::Election;
use serde::Serialize;

use crate::cmd::{db, trust};
use crate::output;
use crate::table::{grouped, new_table, number};

/// The election of `import`, `results` and `export` when `--election` is not given.
pub(crate) const DEFAULT_ELECTION: &str = "mazhilis-2021";

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
    /// Print the summary as JSON, without a progress bar.
    #[arg(long)]
    json: bool,
    /// The file of the last known checkpoint: the log must contain it before the import,
    /// which then records the new head there (default: `<store>.checkpoint` beside a
    /// SQLite store; none for PostgreSQL).
    #[arg(long, value_name = "FILE", env = "SAYLAU_KNOWN_CHECKPOINT")]
    known_checkpoint: Option<PathBuf>,
}

/// A rejected protocol (or file) and every reason.
#[derive(Debug, Serialize)]
pub(crate) struct RejectedJson {
    station: Option<String>,
    file: Option<String>,
    line: Option<u32>,
    current: Option<u64>,
    base: Option<u64>,
    reasons: Vec<ReasonJson>,
}

/// One reason: a rule code of `docs/protocol.md` or of the store, and the message.
#[derive(Debug, Serialize)]
struct ReasonJson {
    rule: &'static str,
    field: Option<String>,
    message: String,
}

#[derive(Serialize)]
struct ImportJson<'a> {
    election: &'a str,
    files: Vec<String>,
    registered: RegisteredJson,
    counts: CountsJson,
    corrections: Vec<CorrectionJson>,
    rejected: &'a [RejectedJson],
    conflicts: Vec<ConflictJson>,
    batches: usize,
    checkpoint: String,
}

#[derive(Serialize)]
struct RegisteredJson {
    lists: usize,
    commissions: usize,
    stations: usize,
}

#[derive(Serialize)]
struct CountsJson {
    accepted: usize,
    corrections: usize,
    unchanged: usize,
    rejected: usize,
    conflicts: usize,
}

#[derive(Serialize)]
struct CorrectionJson {
    station: String,
    version: u64,
}

#[derive(Serialize)]
struct ConflictJson {
    station: String,
    base: Option<u64>,
    current: Option<u64>,
    message: String,
}

/// Protocol files read and merged: what the store imports and what was rejected.
pub(crate) struct ReadFiles {
    pub(crate) ballot: BallotLists,
    pub(crate) hierarchy: Hierarchy,
    pub(crate) protocols: Vec<Protocol>,
    pub(crate) base_versions: BTreeMap<StationId, u64>,
    pub(crate) rejected: Vec<RejectedJson>,
}

/// Runs `saylau import`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let files = read_files(&args.files)?;
    let key = CommissionKey::read_pem(&args.key).context("reading the signing key")?;
    let election = Election { id: args.election.clone(), name: args.election.to_string() };
    let input = ImportInput {
        election: &election,
        ballot: &files.ballot,
        hierarchy: &files.hierarchy,
        protocols: &files.protocols,
        base_versions: &files.base_versions,
    };
    let options = ImportOptions {
        author: &args.author,
        reason: args.reason.as_deref(),
        base_current: args.base_current,
        batch_size: args.batch_size,
    };
    let progress = progress_bar(!args.json && std::io::stderr().is_terminal(), &files);
    let known = trust::known_file(args.known_checkpoint.as_deref(), db);
    let (report, checkpoint) = db::block_on(async {
        let store = db::open(db).await?;
        let mut tick = |done: usize| progress.set_position(u64::try_from(done).unwrap_or(0));
        let import = async {
            let res = import_protocols(&store, &input, &options, &key, &mut tick).await;
            res.context("importing protocols")
        };
        let res = trust::guarded_write(&store, known.as_ref(), import).await;
        store.close().await;
        res
    })??;
    progress.finish_and_clear();
    let mut rejected = files.rejected;
    rejected.extend(report.refused.iter().map(|refusal| RejectedJson {
        station: Some(refusal.station.clone()),
        file: None,
        line: None,
        current: refusal.current,
        base: refusal.base,
        reasons: vec![ReasonJson {
            rule: refusal.code,
            field: None,
            message: refusal.message.clone(),
        }],
    }));
    let code = if rejected.is_empty() && report.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    let summary = Summary { args, report: &report, rejected: &rejected, checkpoint };
    if args.json {
        output::print_json(&summary.json())?;
    } else {
        output::print_text(&summary.render(db))?;
    }
    Ok(code)
}

/// Reads every file and merges them: the same lists in the same order in every file, and
/// each station once (a station of an earlier file is rejected in a later one, `F-8`).
pub(crate) fn read_files(paths: &[PathBuf]) -> anyhow::Result<ReadFiles> {
    let mut merged: Option<ReadFiles> = None;
    let mut seen: HashMap<StationId, String> = HashMap::new();
    let mut file_problems = Vec::new();
    for path in paths {
        let file = match read_protocols(path) {
            Ok(file) => file,
            Err(diagnostics) => {
                file_problems.extend(diagnostics.0);
                continue;
            }
        };
        let source = path.display().to_string();
        let files = merged.get_or_insert_with(|| ReadFiles {
            ballot: file.ballot.clone(),
            hierarchy: Hierarchy::new(),
            protocols: Vec::new(),
            base_versions: BTreeMap::new(),
            rejected: Vec::new(),
        });
        if let Some(problem) = ballot_problem(&files.ballot, &file, &source) {
            file_problems.push(problem);
            continue;
        }
        merge(files, file, &source, &mut seen);
    }
    if !file_problems.is_empty() {
        return Err(output::Rejected(saylau_formats::Diagnostics(file_problems)).into());
    }
    merged.context("no protocol file")
}

/// A file whose lists are not those of the first file.
fn ballot_problem(first: &BallotLists, file: &ProtocolFile, source: &str) -> Option<Diagnostic> {
    let ids = |ballot: &BallotLists| -> Vec<String> {
        ballot.lists().iter().map(|list| list.id.to_string()).collect()
    };
    (ids(first) != ids(&file.ballot)).then(|| Diagnostic {
        source: source.to_owned(),
        line: None,
        field: String::new(),
        rule: ProtocolFileRule::Header.into(),
        message: format!(
            "the lists {} are not those of the first file, {}",
            ids(&file.ballot).join(", "),
            ids(first).join(", ")
        ),
        severity: saylau_formats::Severity::Error,
    })
}

/// Adds one file's good protocols and rejected rows to `files`.
fn merge(
    files: &mut ReadFiles,
    file: ProtocolFile,
    source: &str,
    seen: &mut HashMap<StationId, String>,
) {
    for row in &file.rejected {
        files.rejected.push(RejectedJson {
            station: row.station.map(|it| it.to_string()),
            file: Some(source.to_owned()),
            line: Some(row.line),
            current: None,
            base: None,
            reasons: row.diagnostics.iter().map(reason).collect(),
        });
    }
    for (region, name) in file.hierarchy.regions() {
        let id = saylau_core::count::commission::CommissionId::Region(region);
        // The first file's name is kept: the registry keeps a commission's first name.
        let _ = files.hierarchy.name_commission(id, name);
    }
    for (district, name) in file.hierarchy.districts() {
        let id = saylau_core::count::commission::CommissionId::District(district);
        let _ = files.hierarchy.name_commission(id, name);
    }
    for protocol in file.protocols {
        let station = protocol.station();
        if let Some(earlier) = seen.get(&station) {
            files.rejected.push(RejectedJson {
                station: Some(station.to_string()),
                file: Some(source.to_owned()),
                line: None,
                current: None,
                base: None,
                reasons: vec![ReasonJson {
                    rule: ProtocolFileRule::DuplicateStation.into(),
                    field: Some("station".to_owned()),
                    message: format!("station {station} is in {earlier} too"),
                }],
            });
            continue;
        }
        seen.insert(station, source.to_owned());
        if let Some(base) = file.base_versions.get(&station) {
            files.base_versions.insert(station, *base);
        }
        files.protocols.push(protocol);
    }
}

fn reason(diagnostic: &Diagnostic) -> ReasonJson {
    ReasonJson {
        rule: diagnostic.rule.code(),
        field: Some(diagnostic.field.clone()).filter(|field| !field.is_empty()),
        message: diagnostic.message.clone(),
    }
}

/// A bar of protocols done on stderr, or a hidden one.
fn progress_bar(visible: bool, files: &ReadFiles) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::try_from(files.protocols.len()).unwrap_or(0));
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} protocols {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// What `import` prints.
struct Summary<'a> {
    args: &'a Args,
    report: &'a ImportReport,
    rejected: &'a [RejectedJson],
    checkpoint: saylau_store::entry::Checkpoint,
}

impl Summary<'_> {
    fn json(&self) -> ImportJson<'_> {
        let report = self.report;
        ImportJson {
            election: self.args.election.as_str(),
            files: self.args.files.iter().map(|path| path.display().to_string()).collect(),
            registered: RegisteredJson {
                lists: report.registered.lists,
                commissions: report.registered.commissions,
                stations: report.registered.stations,
            },
            counts: CountsJson {
                accepted: report.accepted,
                corrections: report.corrections.len(),
                unchanged: report.unchanged,
                rejected: self.rejected.len(),
                conflicts: report.conflicts.len(),
            },
            corrections: report
                .corrections
                .iter()
                .map(|it| CorrectionJson { station: it.station.clone(), version: it.version })
                .collect(),
            rejected: self.rejected,
            conflicts: report
                .conflicts
                .iter()
                .map(|it| ConflictJson {
                    station: it.station.clone(),
                    base: it.base,
                    current: it.current,
                    message: it.message.clone(),
                })
                .collect(),
            batches: report.batches,
            checkpoint: self.checkpoint.to_string(),
        }
    }

    fn render(&self, db: &str) -> String {
        let report = self.report;
        let files: Vec<String> = self.args.files.iter().map(|it| display(it)).collect();
        let batches = match report.batches {
            1 => "1 signed batch".to_owned(),
            n => format!("{n} signed batches"),
        };
        let mut out = format!(
            "Imported {} into {db} (election {}): {batches}\n\n",
            files.join(", "),
            self.args.election,
        );
        let mut table = new_table(&["protocols", "count"]);
        let rows = [
            ("accepted (new)", report.accepted),
            ("corrections (new versions)", report.corrections.len()),
            ("unchanged", report.unchanged),
            ("rejected", self.rejected.len()),
            ("conflicts", report.conflicts.len()),
        ];
        for (label, count) in rows {
            let count = grouped(u64::try_from(count).unwrap_or(u64::MAX));
            table.add_row(vec![comfy_table::Cell::new(label), number(count)]);
        }
        out.push_str(&format!("{table}\n"));
        for rejected in self.rejected {
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
        for conflict in &report.conflicts {
            out.push_str(&format!("{}\n", conflict.message));
        }
        out.push_str(&format!("\nLog checkpoint: {}\n", self.checkpoint));
        out
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
