//! `saylau akim council FILE`: a maslikhat's vote on an oblast akim decided under each
//! council rule file side by side, beside the law of 2021, under which there is no such
//! vote (`docs/council.md`).

use std::path::{Path, PathBuf};

use saylau_core::law::council::decide;
pub use saylau_core::law::council::{
    CouncilLot, CouncilOutcome, CouncilResult, NotCounted, RoundDecision, RoundReport,
};
use saylau_core::seats::lot::LotSeed;
use saylau_formats::{CouncilRuleFile, parse_council_rules, read_council_rules, read_council_vote};
use serde::Serialize;

use super::LawError;

/// The bundled rule files: the two scenarios of recommendation 12 (name, text).
const BUNDLED_RULES: [(&str, &str); 2] = [
    (
        "data/kz/council/proposal-rec12-members-runoff.toml",
        include_str!("../../../../data/kz/council/proposal-rec12-members-runoff.toml"),
    ),
    (
        "data/kz/council/proposal-rec12-present-eliminate.toml",
        include_str!("../../../../data/kz/council/proposal-rec12-present-eliminate.toml"),
    ),
];

/// Who chooses the akim under the law and under the seed's proposal.
#[derive(Debug, Clone, Serialize)]
pub struct WhoChooses {
    /// The akim's level.
    pub akim_of: &'static str,
    /// Under the law of 2021.
    pub law_2021: &'static str,
    /// Under the seed's recommendation 12.
    pub proposal: &'static str,
    /// The source of both.
    pub source: &'static str,
}

/// The law and the proposal for oblast akims and akims of cities of republican
/// significance.
pub const WHO_CHOOSES: [WhoChooses; 2] = [
    WhoChooses {
        akim_of: "an oblast",
        law_2021: "appointed by the President",
        proposal: "elected by the oblast maslikhat (this command)",
        source: "the seed: «акимы областей и городов республиканского значения назначаются Президентом»; recommendation 12: «избрания акимов областей маслихатами»",
    },
    WhoChooses {
        akim_of: "a city of republican significance",
        law_2021: "appointed by the President",
        proposal: "elected directly by the citizens (a plurality race: saylau plurality)",
        source: "recommendation 12: «акимов городов республиканского значения – гражданами напрямую»",
    },
];

/// One rule file's decision of the vote.
#[derive(Debug, Clone, Serialize)]
pub struct RuleColumn {
    /// The rule file.
    pub file: String,
    /// Its name.
    pub name: String,
    /// Its rules, with their sources.
    pub majority: String,
    /// What follows a round without a majority.
    pub after_failed_round: String,
    /// The most rounds.
    pub max_rounds: u32,
    /// The sources of the three choices.
    pub sources: [String; 3],
    /// True for a proposal's scenario.
    pub scenario: bool,
    /// Every round explained and the outcome.
    pub result: CouncilResult,
}

/// The report: the JSON of `saylau akim council --json`.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilReport {
    /// The vote file.
    pub file: String,
    /// Its name.
    pub name: String,
    /// The council's members.
    pub members: u64,
    /// True when the vote is not a real council's.
    pub synthetic: bool,
    /// The lot seed used, from the file or `--seed`, or else the SHA-256 of the file.
    pub lot_seed: String,
    /// Law and proposal: who chooses.
    pub who_chooses: [WhoChooses; 2],
    /// One column per rule file.
    pub columns: Vec<RuleColumn>,
}

/// Decides the vote of `file` under each of `rules` (the bundled scenarios when empty),
/// with `seed` or the file's seed for any lot.
pub fn council_report(
    file: &Path,
    rules: &[PathBuf],
    seed: Option<&str>,
) -> Result<CouncilReport, LawError> {
    let vote = read_council_vote(file).map_err(LawError::Rejected)?;
    let lot_seed = match seed.or(vote.lot_seed.as_deref()) {
        Some(seed) => LotSeed::new(seed),
        None => {
            let bytes = std::fs::read(file).map_err(|err| LawError::Failed {
                context: format!("reading {}", file.display()),
                source: Box::new(err),
            })?;
            LotSeed::from_content(&bytes)
        }
    };
    let rule_files: Vec<(String, CouncilRuleFile)> = if rules.is_empty() {
        let bundled = BUNDLED_RULES
            .iter()
            .map(|(name, text)| parse_council_rules(name, text).map(|it| ((*name).to_owned(), it)));
        bundled.collect::<Result<_, _>>().map_err(LawError::Rejected)?
    } else {
        let read = rules
            .iter()
            .map(|path| read_council_rules(path).map(|it| (path.display().to_string(), it)));
        read.collect::<Result<_, _>>().map_err(LawError::Rejected)?
    };
    let mut columns = Vec::with_capacity(rule_files.len());
    for (name, rule_file) in rule_files {
        let result =
            decide(&vote.vote, &rule_file.rules, &lot_seed).map_err(|err| LawError::Failed {
                context: format!("deciding {}", file.display()),
                source: Box::new(err),
            })?;
        columns.push(RuleColumn {
            file: name,
            name: rule_file.name,
            majority: kebab(&rule_file.rules.majority),
            after_failed_round: kebab(&rule_file.rules.after_failed),
            max_rounds: rule_file.rules.max_rounds,
            sources: rule_file.sources,
            scenario: rule_file.scenario.is_some(),
            result,
        });
    }
    Ok(CouncilReport {
        file: file.display().to_string(),
        name: vote.name,
        members: vote.vote.members,
        synthetic: vote.scenario.is_some(),
        lot_seed: lot_seed.to_string(),
        who_chooses: WHO_CHOOSES,
        columns,
    })
}

/// The kebab-case name a rule choice has in files (`of-members`).
fn kebab(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|it| it.as_str().map(str::to_owned))
        .unwrap_or_default()
}
