//! Campaign and party finance beyond the subsidy (`saylau finance check`,
//! `docs/finance-format.md`): a ledger under the law of 2021 and the seed's proposals side
//! by side, every finding with the entry's line, the rule's code and the article or
//! recommendation it rests on, and the scenario behind any value the seed does not give.

use std::path::{Path, PathBuf};

use saylau_core::law::finance::{FinanceRules, Ledger, check};
use saylau_formats::{
    Diagnostics, FinanceRulesFile, parse_finance_rules, read_finance_rules, read_ledger,
};
use serde::Serialize;

use super::LawError;

pub use saylau_core::law::finance::{
    FinanceReport, Finding, Limit, RuleOutcome, RulesStatus, Scope, Source, SourceTotal, Totals,
    Verdict,
};

/// The bundled rule sets: (id, file, text).
const BUNDLED: [(&str, &str, &str); 4] = [
    (
        "law-2021-akim",
        "data/kz/finance/law-2021-akim.toml",
        include_str!("../../../../data/kz/finance/law-2021-akim.toml"),
    ),
    (
        "proposal-akim-rec19",
        "data/kz/finance/proposal-akim-rec19.toml",
        include_str!("../../../../data/kz/finance/proposal-akim-rec19.toml"),
    ),
    (
        "law-2021-party",
        "data/kz/finance/law-2021-party.toml",
        include_str!("../../../../data/kz/finance/law-2021-party.toml"),
    ),
    (
        "proposal-party-rec16-23",
        "data/kz/finance/proposal-party-rec16-23.toml",
        include_str!("../../../../data/kz/finance/proposal-party-rec16-23.toml"),
    ),
];

/// The ids of the bundled rule sets, for `--rules`.
pub fn bundled_ids() -> Vec<&'static str> {
    BUNDLED.iter().map(|(id, _, _)| *id).collect()
}

/// A rule set's report with its file's description.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSetCheck {
    /// The ledger under the rule set.
    #[serde(flatten)]
    pub report: FinanceReport,
    /// Where the rules come from: a bundled file's path in the repository, or the path given.
    pub file: String,
    /// What the rule set says of itself.
    pub description: Option<String>,
}

/// One kind of rule across the rule sets: the side-by-side row.
#[derive(Debug, Clone, Serialize)]
pub struct SideBySide {
    /// The rule's code (`CF-1` ...).
    pub code: &'static str,
    /// Its kind.
    pub kind: &'static str,
    /// Per rule set, in `--rules` order: `None` when the set has no such rule.
    pub outcomes: Vec<Option<Cell>>,
}

/// One rule of one set in the side-by-side table.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// What it requires.
    pub required: String,
    /// Holds or breached.
    pub verdict: Verdict,
    /// How many findings.
    pub findings: u32,
    /// True when the value is a scenario parameter, not the seed's.
    pub scenario: bool,
}

/// A ledger under every rule set: the JSON of `saylau finance check --json`.
#[derive(Debug, Clone, Serialize)]
pub struct FinanceCheck {
    /// The ledger file.
    pub ledger: String,
    /// Its entries.
    pub entries: u32,
    /// Every rule set's report, in `--rules` order.
    pub rule_sets: Vec<RuleSetCheck>,
    /// Every kind of rule that any set has, by code.
    pub side_by_side: Vec<SideBySide>,
}

/// Checks the ledger at `path` under the rule sets named in `rules` (a bundled id, `law-2021`
/// or `proposal` for the bundled set of that kind and `scope`, or a rule-set file); with no
/// `rules`, under the law of 2021 and the proposal for `scope`.
pub fn check_ledger(path: &Path, rules: &[String], scope: Scope) -> Result<FinanceCheck, LawError> {
    let sets = rule_sets(rules, scope)?;
    let ledger = read_ledger(path).map_err(LawError::Rejected)?;
    Ok(finance_check(&path.display().to_string(), &ledger, sets))
}

/// The ledger under every rule set, side by side.
fn finance_check(
    source: &str,
    ledger: &Ledger,
    sets: Vec<(String, FinanceRulesFile)>,
) -> FinanceCheck {
    let rule_sets: Vec<RuleSetCheck> = sets
        .into_iter()
        .map(|(file, read)| RuleSetCheck {
            report: check(&read.rules, ledger),
            file,
            description: read.description,
        })
        .collect();
    let mut codes: Vec<(&'static str, &'static str)> = rule_sets
        .iter()
        .flat_map(|set| set.report.outcomes.iter().map(|it| (it.code, it.rule.limit.kind())))
        .collect();
    codes.sort_by_key(|(code, _)| code[3..].parse::<u32>().unwrap_or(u32::MAX));
    codes.dedup();
    let side_by_side = codes
        .into_iter()
        .map(|(code, kind)| SideBySide {
            code,
            kind,
            outcomes: rule_sets
                .iter()
                .map(|set| {
                    set.report.outcomes.iter().find(|it| it.code == code).map(|it| Cell {
                        required: it.required.clone(),
                        verdict: it.verdict,
                        findings: u32::try_from(it.findings.len()).unwrap_or(u32::MAX),
                        scenario: it.rule.scenario.is_some(),
                    })
                })
                .collect(),
        })
        .collect();
    FinanceCheck {
        ledger: source.to_owned(),
        entries: u32::try_from(ledger.entries().len()).unwrap_or(u32::MAX),
        rule_sets,
        side_by_side,
    }
}

/// The bundled id that `name` stands for under `scope`, if any.
fn bundled_id(name: &str, scope: Scope) -> Option<&'static str> {
    let suffix = match scope {
        Scope::AkimCampaign => "akim",
        Scope::Party => "party",
    };
    match name {
        "law-2021" => Some(if suffix == "akim" { "law-2021-akim" } else { "law-2021-party" }),
        "proposal" => {
            Some(if suffix == "akim" { "proposal-akim-rec19" } else { "proposal-party-rec16-23" })
        }
        _ => BUNDLED.iter().map(|(id, _, _)| *id).find(|id| *id == name),
    }
}

/// The rule sets named in `names`, or the law and the proposal for `scope`; every bad file
/// is rejected.
fn rule_sets(names: &[String], scope: Scope) -> Result<Vec<(String, FinanceRulesFile)>, LawError> {
    let defaults = ["law-2021".to_owned(), "proposal".to_owned()];
    let names = if names.is_empty() { &defaults[..] } else { names };
    let mut problems = Vec::new();
    let mut res = Vec::new();
    for name in names {
        let read: Result<(String, FinanceRulesFile), Diagnostics> = match bundled_id(name, scope) {
            Some(id) => {
                let (_, file, text) =
                    BUNDLED.iter().find(|(it, _, _)| *it == id).expect("a bundled id");
                parse_finance_rules(file, text).map(|read| ((*file).to_owned(), read))
            }
            None => {
                let path = PathBuf::from(name);
                read_finance_rules(&path).map(|read| (path.display().to_string(), read))
            }
        };
        match read {
            Ok(it) => res.push(it),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
    }
    if !problems.is_empty() {
        return Err(LawError::Rejected(Diagnostics(problems)));
    }
    Ok(res)
}

/// The bundled rule sets, parsed (for tests and docs).
pub fn bundled() -> Result<Vec<FinanceRules>, LawError> {
    let names: Vec<String> = bundled_ids().into_iter().map(str::to_owned).collect();
    Ok(rule_sets(&names, Scope::AkimCampaign)?.into_iter().map(|(_, read)| read.rules).collect())
}
