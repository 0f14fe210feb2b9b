//! `saylau users add|list|disable`: the users of the portal's working interface, each with
//! a role scoped to a territory (`docs/portal.md`). Adding and disabling are authorised by
//! the CEC's private key; the password is read from standard input, never an argument.

use std::path::PathBuf;
use std::process::ExitCode;

use saylau_app::users::{self, Role, UserView};

use crate::cmd::db;
use crate::output;

/// Arguments of `saylau users`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: UsersCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UsersCommand {
    /// Add a user; its password is the first line of standard input.
    Add(AddArgs),
    /// List the users (never their password hashes).
    List(JsonArg),
    /// Disable a user and end its sessions.
    Disable(DisableArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    CecAdmin,
    TecOperator,
    PecOperator,
    ObserverCoordinator,
    Observer,
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The login name.
    #[arg(long)]
    name: String,
    /// The role.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// `CEC`, a region or district (`RR`, `RR-DD`), a station (`RR-DD-SSSS`), or
    /// `observer:ORG` for an observer group's roles.
    #[arg(long, value_name = "ID")]
    territory: String,
    /// The CEC's private key (PEM) that authorises the change.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct DisableArgs {
    /// The login name.
    #[arg(long)]
    name: String,
    /// The CEC's private key (PEM) that authorises the change.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct JsonArg {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

fn role(arg: RoleArg) -> Role {
    match arg {
        RoleArg::CecAdmin => Role::CecAdmin,
        RoleArg::TecOperator => Role::TecOperator,
        RoleArg::PecOperator => Role::PecOperator,
        RoleArg::ObserverCoordinator => Role::ObserverCoordinator,
        RoleArg::Observer => Role::Observer,
    }
}

/// Runs `saylau users`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let (done, json) = match &args.command {
        UsersCommand::Add(add) => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let done = db::block_on(async {
                let store = db::open(db).await?;
                let res = users::add(
                    &store,
                    &add.key,
                    &add.name,
                    &password,
                    role(add.role),
                    &add.territory,
                )
                .await
                .map(|user| vec![user]);
                store.close().await;
                anyhow::Ok(res)
            })??;
            (done, add.json)
        }
        UsersCommand::List(list) => {
            let done = db::block_on(async {
                let store = db::open(db).await?;
                let res = users::list(&store).await;
                store.close().await;
                anyhow::Ok(res)
            })??;
            (done, list.json)
        }
        UsersCommand::Disable(disable) => {
            let done = db::block_on(async {
                let store = db::open(db).await?;
                let res =
                    users::disable(&store, &disable.key, &disable.name).await.map(|u| vec![u]);
                store.close().await;
                anyhow::Ok(res)
            })??;
            (done, disable.json)
        }
    };
    let shown = match done {
        Ok(shown) => shown,
        Err(err) if err.refused() => {
            eprintln!("error: {err}");
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err.into()),
    };
    if json {
        return output::print_json(&shown).map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&text(&shown))?;
    Ok(ExitCode::SUCCESS)
}

fn text(users: &[UserView]) -> String {
    let mut out = String::new();
    for user in users {
        let state = if user.disabled { "disabled" } else { "active" };
        out.push_str(&format!(
            "{:<24} {:<21} {:<16} {state}\n",
            user.name,
            user.role.as_str(),
            user.territory
        ));
    }
    if users.is_empty() {
        out.push_str("no users\n");
    }
    out
}
