//! `saylau commissions draw LOT`: the stratified lot of `saylau lot commission` read against
//! the register: every commission of the lot file must be registered in the election
//! (`C-3`), and the drawn members are written as a register file for `saylau commissions
//! load`, nominated by `lot:STRATUM` (`docs/commissions.md`, "Drawn by lot").

use std::path::Path;

use saylau_core::law::composition::{Member, Nominator, Role};
use saylau_core::law::date::Date;
use saylau_formats::rule::CommissionRule;
use saylau_formats::{Diagnostic, Diagnostics, write_register};
use saylau_store::id::ElectionId;
use saylau_store::store::Store;
use serde::Serialize;

use super::{CommissionsError, read};
use crate::lot::{CommissionDraw, commission};

/// A draw for registered commissions: the JSON of `saylau commissions draw --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Drawn {
    /// The election whose register the commissions are in.
    pub election: String,
    /// The draw, as `saylau lot commission` gives it.
    pub draw: CommissionDraw,
    /// The members drawn, as register rows.
    pub members: Vec<Member>,
    /// The register file written, if any.
    pub written: Option<String>,
}

/// Draws the commission members of the lot file at `lot` for the registered commissions of
/// `election`, for the term `from` to `to`, and writes them as a register file to `out`.
pub async fn draw(
    store: &Store,
    election: &ElectionId,
    lot: &Path,
    (from, to): (Date, Date),
    out: Option<&Path>,
) -> Result<Drawn, CommissionsError> {
    let drawn = commission(lot)?;
    let register = read(store, election).await?;
    let source = lot.display().to_string();
    let mut problems = Vec::new();
    for (idx, it) in drawn.draw.commissions.iter().enumerate() {
        if !register.commissions.contains_key(&it.id) {
            let message = format!(
                "commission {} is not registered in election {election}: a lot draws members \
                 for the register's commissions",
                it.id
            );
            let field = format!("commission.commissions[{idx}]");
            let rule = CommissionRule::UnknownCommission;
            problems.push(Diagnostic::error(&source, None, &field, rule, message));
        }
    }
    if to < from {
        let message = format!("the term ends ({to}) before it begins ({from})");
        problems.push(Diagnostic::error("--to", None, "", CommissionRule::TermOrder, message));
    }
    if !problems.is_empty() {
        return Err(CommissionsError::Rejected(Diagnostics(problems)));
    }
    let members = drawn_members(&drawn, &source, (from, to))?;
    let written = match out {
        Some(path) => {
            let notes = vec![
                format!("drawn by lot: {} (seed {:?})", drawn.name, drawn.draw.seed.as_str()),
                "roles are elected at each commission's first meeting (art. 10 p. 3)".to_owned(),
            ];
            let text = write_register(&members, &notes);
            std::fs::write(path, text).map_err(|source| CommissionsError::Write {
                file: path.display().to_string(),
                source,
            })?;
            Some(path.display().to_string())
        }
        None => None,
    };
    Ok(Drawn { election: election.to_string(), draw: drawn, members, written })
}

/// The members of `drawn`, as register rows for the term `from` to `to`.
fn drawn_members(
    drawn: &CommissionDraw,
    source: &str,
    (from, to): (Date, Date),
) -> Result<Vec<Member>, CommissionsError> {
    let mut members = Vec::new();
    for it in &drawn.draw.commissions {
        for seated in &it.members {
            let Some(nominator) = Nominator::parse(&format!("lot:{}", seated.stratum)) else {
                let message = format!("stratum {:?} cannot name a nominator", seated.stratum);
                let problem =
                    Diagnostic::error(source, None, "strata", CommissionRule::Field, message);
                return Err(CommissionsError::Rejected(Diagnostics(vec![problem])));
            };
            // The open list names people; as a register id, a name's spaces and slashes
            // become hyphens.
            let person: String = seated
                .name
                .chars()
                .map(|it| if it.is_whitespace() || it == '/' { '-' } else { it })
                .collect();
            members.push(Member {
                commission: it.id.clone(),
                person,
                name: seated.name.clone(),
                role: Role::Member,
                nominator,
                party_member: None,
                from,
                to,
            });
        }
    }
    Ok(members)
}
