//! Printing results as text or JSON, and errors of the use cases: rejected input (exit
//! code 1) is told from any other failure (exit code 2) the same way for every command.

use std::fmt;
use std::io::Write as _;

use anyhow::Context as _;
use saylau_app::Diagnostics;
use serde::Serialize;

/// Input that saylau refused, with every reason; the CLI exits with code 1.
#[derive(Debug)]
pub(crate) struct Rejected(pub(crate) Diagnostics);

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for Rejected {}

/// An error of a use case as the CLI reports it: rejected input exits with code 1, the
/// rest with code 2.
pub(crate) fn app_error<E>(err: E) -> anyhow::Error
where
    E: saylau_app::Rejection + std::error::Error + Send + Sync + 'static,
{
    match err.into_rejected() {
        Ok(diagnostics) => Rejected(diagnostics).into(),
        Err(other) => other.into(),
    }
}

/// Prints pretty JSON and a newline to stdout.
pub(crate) fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value).context("writing JSON")?;
    writeln!(stdout).context("writing JSON")?;
    Ok(())
}

/// Prints text to stdout.
pub(crate) fn print_text(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).context("writing to stdout")?;
    stdout.flush().context("writing to stdout")?;
    Ok(())
}

/// The indices as text lines.
pub(crate) fn indices_text(indices: &saylau_app::allocate::Indices) -> String {
    let show = |value: Option<String>| value.unwrap_or_else(|| "undefined".to_owned());
    let decimal = |measure: &Option<saylau_app::allocate::Measure>| {
        show(measure.as_ref().map(|it| it.decimal.clone()))
    };
    format!(
        "\nProportionality: Gallagher {} · Loosemore-Hanby {} · Sainte-Laguë index {} · D'Hondt index {}\n\
         Effective number of parties: {} by votes, {} by seats · wasted votes {} ({}%)\n",
        show(indices.gallagher.as_ref().map(|it| it.decimal.clone())),
        decimal(&indices.loosemore_hanby),
        decimal(&indices.sainte_lague),
        decimal(&indices.dhondt),
        decimal(&indices.effective_parties_votes),
        decimal(&indices.effective_parties_seats),
        crate::table::grouped(indices.wasted_votes.0),
        decimal(&indices.wasted_percent),
    )
}
