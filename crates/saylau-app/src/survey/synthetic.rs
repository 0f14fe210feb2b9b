//! The synthetic respondents of the seed's study, written as a codebook, a CSV file and
//! an SPSS file (`saylau survey synthetic`): realistic data to try every survey command on,
//! marked synthetic in the codebook.

use std::path::Path;

use saylau_survey::seed_study::{CODEBOOK_TOML, synthetic_respondents};

use super::to_sav;

/// Synthetic respondents that could not be made or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyntheticError {
    /// The respondents or the SPSS file could not be made.
    #[error("{0}")]
    Make(String),
    /// A file could not be written.
    #[error("{context}")]
    Io {
        /// What was being written.
        context: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes the synthetic respondents of `seed` into `dir` (created if missing); returns how
/// many respondents were written.
pub fn write_synthetic(seed: u64, dir: &Path) -> Result<usize, SyntheticError> {
    let io = |context: String| move |source| SyntheticError::Io { context, source };
    let synthetic =
        synthetic_respondents(seed).map_err(|err| SyntheticError::Make(err.to_string()))?;
    std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    let codebook =
        CODEBOOK_TOML.replace("key = \"seed-2021\"\n", "key = \"seed-2021\"\nsynthetic = true\n");
    std::fs::write(dir.join("codebook.toml"), codebook)
        .map_err(io("writing the codebook".to_owned()))?;
    let csv = synthetic.respondents.to_csv(&synthetic.codebook, None);
    std::fs::write(dir.join("synthetic-respondents.csv"), csv)
        .map_err(io("writing the respondents".to_owned()))?;
    let sav = to_sav(&synthetic.codebook, &synthetic.respondents, None, "ru")
        .map_err(|err| SyntheticError::Make(err.to_string()))?;
    std::fs::write(dir.join("synthetic-respondents.sav"), sav)
        .map_err(io("writing the SPSS file".to_owned()))?;
    Ok(synthetic.respondents.len())
}
