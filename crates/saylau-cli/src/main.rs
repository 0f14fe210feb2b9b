//! `saylau`: the command-line face of the saylau election system.
//!
//! Parses arguments with clap, runs one subcommand and maps the outcome to an exit code:
//! 0 when all went well, 1 when the input was rejected (the diagnostics say why), 2 for
//! any other error. A closed pipe (`saylau ... | head`) is not an error.

mod cmd;
mod output;
mod table;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exact seat allocation, comparisons and election reports for Kazakhstan's electoral
/// framework and its proposed reforms.
#[derive(Debug, Parser)]
#[command(name = "saylau", version, about, max_term_width = 100)]
struct Cli {
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Allocate(args) => cmd::allocate::run(&args),
        Command::Compare(args) => cmd::compare::run(&args),
        Command::Demo(args) => cmd::demo::run(&args),
    };
    match res {
        Ok(code) => code,
        Err(err) => exit_for(&err),
    }
}

/// Prints `err` and chooses the exit code.
fn exit_for(err: &anyhow::Error) -> ExitCode {
    let broken_pipe = err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    if let Some(rejected) = err.downcast_ref::<output::Rejected>() {
        eprintln!("{rejected}");
        return ExitCode::from(1);
    }
    eprintln!("error: {err:#}");
    ExitCode::from(2)
}
