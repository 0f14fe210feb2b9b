//! `legitimacy`: whether a round of plurality races or a list contest stands under each of
//! several repeat-election rule sets (the law, a proposal), with every repeat election,
//! its calendar, the winners' votes as a share of the registered voters and the votes
//! that elect nobody.
//!
//! A plurality file (`[plurality]`, `docs/plurality-format.md`) is decided once per rule
//! set, with that set's "against all" rule, and each race judged by
//! `saylau_core::law::legitimacy::race_legitimacy`; an election file with one list
//! contest (`[election]`) is allocated and judged by `contest_legitimacy`, with the voters
//! on the roll given by the caller (election files do not hold them). With a calendar
//! file and a rule set that dates its repeat, the repeat's schedule is computed for the
//! day the rule gives.

use std::path::Path;

use saylau_core::law::calendar::{Schedule, schedule};
use saylau_core::law::date::Date;
pub use saylau_core::law::legitimacy::{Legitimacy, Outcome};
use saylau_core::law::legitimacy::{contest_legitimacy, race_legitimacy};
use saylau_core::law::plurality::{PluralityRules, round_result};
pub use saylau_core::seats::votes::Votes;
use saylau_core::systems::system::{System, system_allocation};
use saylau_formats::{
    CalendarFile, Diagnostics, RepeatRules, read_calendar, read_election, read_plurality,
    read_repeat_rules,
};
use serde::Serialize;

use crate::Rejection;

/// Why no report was made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LegitimacyError {
    /// A file was rejected, with every problem found.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The file is neither a plurality file nor an election file with one list contest.
    #[error("{0}: not a plurality file nor an election file with one list contest")]
    Kind(String),
    /// The election could not be allocated.
    #[error("{file}: {message}")]
    Allocation {
        /// The file.
        file: String,
        /// The reason.
        message: String,
    },
    /// The repeat's day falls outside the calendar.
    #[error("{0}")]
    Calendar(String),
}

impl Rejection for LegitimacyError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            LegitimacyError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// What the caller gives beside the files.
#[derive(Debug, Clone, Copy)]
pub struct LegitimacyOptions<'a> {
    /// The plurality or election file.
    pub file: &'a Path,
    /// Repeat-rule files (`data/kz/repeat/`), one column each.
    pub rules: &'a [&'a Path],
    /// A calendar file for the repeat's schedule.
    pub calendar: Option<&'a Path>,
    /// Voters on the roll of a list contest.
    pub voters: Option<Votes>,
}

/// The totals of one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Races or contests judged.
    pub judged: u32,
    /// Standing.
    pub elected: u32,
    /// Needing a runoff.
    pub runoffs: u32,
    /// Failed for turnout, to be repeated.
    pub repeat_quorum: u32,
    /// Vacated by "against all", to be repeated.
    pub repeat_against_all: u32,
    /// Undetermined (a quorum without turnout figures).
    pub undetermined: u32,
    /// Valid votes.
    pub valid_votes: Votes,
    /// Valid votes that elect nobody.
    pub wasted_votes: Votes,
}

/// The repeat election's schedule.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatCalendar {
    /// Days after the first election day.
    pub after_days: u32,
    /// Where that comes from.
    pub source: String,
    /// The calendar file's name.
    pub calendar: String,
    /// The schedule for the repeat's day.
    pub schedule: Schedule,
}

/// One rule set's judgement.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSetView {
    /// The rule file as given.
    pub file: String,
    /// The rules.
    pub rules: RepeatRules,
    /// Each race or the contest.
    pub judged: Vec<Legitimacy>,
    /// The totals.
    pub totals: Totals,
    /// The repeat's calendar, when a repeat is needed and the rules date it.
    pub repeat: Option<RepeatCalendar>,
}

/// The report of `saylau legitimacy`.
#[derive(Debug, Clone, Serialize)]
pub struct LegitimacyReport {
    /// The file judged.
    pub file: String,
    /// Its name.
    pub name: String,
    /// `plurality` or `list`.
    pub kind: &'static str,
    /// Its election day, when the calendar file gives one.
    pub election_day: Option<Date>,
    /// One entry per rule file, in order.
    pub rule_sets: Vec<RuleSetView>,
}

/// Judges `options.file` under each rule file.
pub fn legitimacy_report(
    options: LegitimacyOptions<'_>,
) -> Result<LegitimacyReport, LegitimacyError> {
    let mut rejected = Vec::new();
    let mut rule_sets = Vec::new();
    for path in options.rules {
        match read_repeat_rules(path) {
            Ok(rules) => rule_sets.push((path.display().to_string(), rules)),
            Err(diagnostics) => rejected.extend(diagnostics.0),
        }
    }
    let calendar = match options.calendar.map(read_calendar) {
        Some(Ok(file)) => Some(file),
        Some(Err(diagnostics)) => {
            rejected.extend(diagnostics.0);
            None
        }
        None => None,
    };
    let name = options.file.display().to_string();
    let text = std::fs::read_to_string(options.file).unwrap_or_default();
    let is_plurality = options.file.extension().is_some_and(|ext| ext == "csv")
        || text.lines().any(|line| line.trim() == "[plurality]");
    let judged = if is_plurality {
        judge_plurality(options.file, &rule_sets)
    } else {
        judge_list(options.file, &rule_sets, options.voters)
    };
    let (title, kind, judged) = match judged {
        Ok(judged) => judged,
        Err(LegitimacyError::Rejected(diagnostics)) => {
            rejected.extend(diagnostics.0);
            return Err(LegitimacyError::Rejected(Diagnostics(rejected)));
        }
        Err(err) => return Err(err),
    };
    if !rejected.is_empty() {
        return Err(LegitimacyError::Rejected(Diagnostics(rejected)));
    }
    let mut views = Vec::with_capacity(rule_sets.len());
    for ((file, rules), judged) in rule_sets.into_iter().zip(judged) {
        let totals = totals(&judged);
        let repeat = repeat_calendar(&rules, &totals, calendar.as_ref())?;
        views.push(RuleSetView { file, rules, judged, totals, repeat });
    }
    let election_day = calendar.as_ref().map(|file| file.election_day);
    Ok(LegitimacyReport { file: name, name: title, kind, election_day, rule_sets: views })
}

type Judged = (String, &'static str, Vec<Vec<Legitimacy>>);

fn judge_plurality(
    path: &Path,
    rule_sets: &[(String, RepeatRules)],
) -> Result<Judged, LegitimacyError> {
    let file = read_plurality(path, &[]).map_err(LegitimacyError::Rejected)?;
    let judged = rule_sets
        .iter()
        .map(|(_, rules)| {
            let plurality = PluralityRules { against_all: rules.against_all, ..file.rules.clone() };
            let result = round_result(&plurality, &file.round);
            file.round
                .races()
                .iter()
                .zip(&result.races)
                .map(|(race, decided)| race_legitimacy(race, decided, rules.quorum.as_ref()))
                .collect()
        })
        .collect();
    Ok((file.meta.name.clone(), "plurality", judged))
}

fn judge_list(
    path: &Path,
    rule_sets: &[(String, RepeatRules)],
    voters: Option<Votes>,
) -> Result<Judged, LegitimacyError> {
    let file = read_election(path, &[]).map_err(LegitimacyError::Rejected)?;
    let System::List { contest, .. } = &file.system else {
        return Err(LegitimacyError::Kind(path.display().to_string()));
    };
    let allocation = system_allocation(&file.system).map_err(|err| {
        LegitimacyError::Allocation { file: path.display().to_string(), message: err.to_string() }
    })?;
    let judged = rule_sets
        .iter()
        .map(|(_, rules)| {
            vec![contest_legitimacy(contest, &allocation.seats, voters, rules.quorum.as_ref())]
        })
        .collect();
    Ok((file.meta.name.clone(), "list", judged))
}

fn totals(judged: &[Legitimacy]) -> Totals {
    let count = |outcome: Outcome| {
        u32::try_from(judged.iter().filter(|it| it.outcome == outcome).count())
            .expect("fewer than 2^32 races")
    };
    Totals {
        judged: u32::try_from(judged.len()).expect("fewer than 2^32 races"),
        elected: count(Outcome::Elected),
        runoffs: count(Outcome::Runoff),
        repeat_quorum: count(Outcome::RepeatQuorum),
        repeat_against_all: count(Outcome::RepeatAgainstAll),
        undetermined: count(Outcome::Undetermined),
        valid_votes: Votes(judged.iter().map(|it| it.valid_votes.0).sum()),
        wasted_votes: Votes(judged.iter().map(|it| it.wasted_votes.0).sum()),
    }
}

fn repeat_calendar(
    rules: &RepeatRules,
    totals: &Totals,
    calendar: Option<&CalendarFile>,
) -> Result<Option<RepeatCalendar>, LegitimacyError> {
    let (Some((after_days, source)), Some(calendar)) = (&rules.repeat_after, calendar) else {
        return Ok(None);
    };
    if totals.repeat_quorum + totals.repeat_against_all == 0 {
        return Ok(None);
    }
    let day = calendar
        .election_day
        .plus_days(i64::from(*after_days))
        .ok_or_else(|| LegitimacyError::Calendar("the repeat's day is past 9999".to_owned()))?;
    let schedule = schedule(&calendar.calendar, day)
        .map_err(|err| LegitimacyError::Calendar(err.to_string()))?;
    Ok(Some(RepeatCalendar {
        after_days: *after_days,
        source: source.clone(),
        calendar: calendar.meta.name.clone(),
        schedule,
    }))
}
