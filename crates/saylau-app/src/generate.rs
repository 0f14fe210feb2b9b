//! A synthetic Kazakhstan of polling-station protocols whose national totals are the
//! official 2021 ones, written as files (`saylau generate`, `docs/synthetic.md`).
//!
//! Writes `protocols.csv` (the published protocols), `observer-copies.csv` (the true
//! figures of the sampled stations, same format), `ground-truth.csv` (which stations were
//! manipulated, and by how much), `stations.csv` (the frame of a quick count: each
//! station's roll and settlement, `docs/pvt.md`), `observer-incidents.csv` (incident
//! reports at the observed stations, [`crate::incidents::synthetic`]) and `commissions.csv`
//! (the commissions register, [`crate::commissions::synthetic`]). The same seed and
//! options write the same bytes. Every file says in its first lines that the data is synthetic.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use saylau_formats::{ProtocolSet, write_protocols_csv};
use saylau_stats::synthetic::{Seed, SyntheticCountry, SyntheticError, synthetic_country};
use serde::Serialize;

use crate::pvt::frame_file::frame_csv;

pub use saylau_stats::synthetic::{ListVotes, Summary, SyntheticOptions};

/// The names of the files written, in the output directory.
pub const FILES: [&str; 6] = [
    "protocols.csv",
    "observer-copies.csv",
    "ground-truth.csv",
    "stations.csv",
    crate::incidents::synthetic::INCIDENTS_FILE,
    crate::commissions::synthetic::COMMISSIONS_FILE,
];

/// A country that could not be generated or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The options are out of range.
    #[error(transparent)]
    Options(#[from] SyntheticError),
    /// A file or the directory could not be created or written.
    #[error("{context}")]
    Io {
        /// `creating PATH` or `writing PATH`.
        context: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What was generated: the JSON of `saylau generate --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    /// The country's summary.
    #[serde(flatten)]
    pub summary: Summary,
    /// The files written.
    pub files: Vec<String>,
    /// Milliseconds the model took (not in JSON, so that the same seed prints the same).
    #[serde(skip)]
    pub millis: u128,
}

/// Models the country of `seed` and `options` and writes its files into `dir` (created
/// if missing); `step` hears the name of each step as it begins (seven in all).
pub fn generate(
    seed: u64,
    options: &SyntheticOptions,
    dir: &Path,
    step: &mut dyn FnMut(&str),
) -> Result<Generated, GenerateError> {
    step("modelling stations");
    let started = Instant::now();
    let country = synthetic_country(Seed(seed), options)?;
    let millis = started.elapsed().as_millis();
    std::fs::create_dir_all(dir).map_err(|source| GenerateError::Io {
        context: format!("creating {}", dir.display()),
        source,
    })?;
    let paths: Vec<PathBuf> = FILES.iter().map(|name| dir.join(name)).collect();
    let published = ProtocolSet {
        ballot: &country.ballot,
        hierarchy: &country.hierarchy,
        protocols: &country.protocols,
        base_versions: None,
        notes: &country.notes,
    };
    step(FILES[0]);
    write_file(&paths[0], |out| write_protocols_csv(out, &published))?;
    let notes = observer_notes(&country);
    let observed = ProtocolSet { protocols: &country.observer_copies, notes: &notes, ..published };
    step(FILES[1]);
    write_file(&paths[1], |out| write_protocols_csv(out, &observed))?;
    step(FILES[2]);
    write_file(&paths[2], |out| out.write_all(country.ground_truth_csv().as_bytes()))?;
    step(FILES[3]);
    let frame = frame_csv(&country.frame(), &country.notes);
    write_file(&paths[3], |out| out.write_all(frame.as_bytes()))?;
    step(FILES[4]);
    let incidents = crate::incidents::synthetic::incidents_csv(seed, &country);
    write_file(&paths[4], |out| out.write_all(incidents.as_bytes()))?;
    step(FILES[5]);
    let register = crate::commissions::synthetic::register_csv(seed, &country);
    write_file(&paths[5], |out| out.write_all(register.as_bytes()))?;
    let files = paths.iter().map(|path| path.display().to_string()).collect();
    Ok(Generated { summary: country.summary(), files, millis })
}

/// The notes of the observer copies' file.
fn observer_notes(country: &SyntheticCountry) -> Vec<String> {
    let mut notes = country.notes.clone();
    notes.push(format!(
        "observer copies: the true figures of {} randomly sampled stations",
        country.observer_copies.len()
    ));
    notes
}

/// Creates `path` and writes it with `write`.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), GenerateError> {
    let io = |verb: &str| {
        let context = format!("{verb} {}", path.display());
        move |source| GenerateError::Io { context, source }
    };
    let file = File::create(path).map_err(io("creating"))?;
    let mut out = BufWriter::new(file);
    write(&mut out).map_err(io("writing"))?;
    out.flush().map_err(io("writing"))
}
