//! Trying a reform on the store's current national results (the portal's reform form,
//! `/{lang}/reform` and `/api/v1/reform`).
//!
//! The national totals of the current protocols take the place of the votes of the bundled
//! 2021 Mazhilis file; its own rules give the "law" column and the parameters asked for
//! (threshold, method, house size) become `--set` overrides of the same file, allocated by
//! the same path as `saylau compare` and `saylau allocate --set`
//! ([`crate::compare`]'s [`Variant`]). Every parameter is checked here before it reaches
//! the file reader (length, characters, range), and the house size is bounded by
//! [`MAX_REFORM_SEATS`], so a hostile query can neither inject a field nor make the trace
//! (one award per seat under a divisor method) grow with its number.

use saylau_core::count::protocol::{ProtocolTotals, TotalsContestError};
use saylau_core::systems::system::System;
use saylau_formats::Diagnostics;
use saylau_store::tabulation::CurrentProtocols;
use serde::Serialize;

use crate::allocate::{AllocateError, allocate_election, parse_file, parse_overrides};
use crate::compare::{ComparisonJson, Variant, json};
use crate::demo::MAZHILIS_2021;

/// The largest house the portal allocates: ten times the Mazhilis. The file format allows
/// more ([`saylau_formats::limit::MAX_SEATS`]), but a public form's answer (its trace has
/// a row per seat under a divisor method) must not scale with a stranger's number.
pub const MAX_REFORM_SEATS: u32 = 1_000;

/// The methods the form offers: every name `rules.method` takes.
pub fn methods() -> Vec<&'static str> {
    saylau_formats::method_names().collect()
}

/// The longest parameter text read at all.
const MAX_PARAM_LEN: usize = 32;

/// The parameters of a reform, as typed into the form (each empty or absent to keep the
/// law's value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReformParams {
    /// The threshold in percent of the valid votes, such as `5` or `2.5`.
    pub threshold: Option<String>,
    /// The method's name as in election files: `dhondt`, `sainte-lague`, ...
    pub method: Option<String>,
    /// The house size: seats to fill.
    pub seats: Option<String>,
    /// A district plan of the seed's ([`plans`]): `17-districts`, `7-regions` or
    /// `mixed-50-50`; absent for the law's single nationwide district.
    pub plan: Option<String>,
}

/// A district plan the form offers: one of the seed's plans bundled with `saylau demo`.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Its name in the form and the query.
    pub name: &'static str,
    /// Its column label.
    pub label: &'static str,
    /// The election file's source and text.
    file: (&'static str, &'static str),
    /// The single-member seats of a mixed plan, which its file models as all won by the
    /// national leader (every district votes like the country).
    single_member: Option<u32>,
}

/// The district plans the form offers, in its order: the seed's 17 districts (the regions
/// and the cities of republican significance) and 7 macro-regions, seats by population,
/// and the 50/50 parallel plan. Their district votes are modelled as their files model
/// them: each list's national votes split by population.
pub fn plans() -> [Plan; 3] {
    let [districts_17, regions_7, _, mixed] = crate::demo::REFORM_FILES;
    let plan = |name, (source, text, label), single_member| Plan {
        name,
        label,
        file: (source, text),
        single_member,
    };
    [
        plan("17-districts", districts_17, None),
        plan("7-regions", regions_7, None),
        plan("mixed-50-50", mixed, Some(49)),
    ]
}

/// A parameter that cannot be tried.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{param}: {message}")]
pub struct ParamError {
    /// The parameter: `threshold`, `method`, `seats` or `plan`, or `variant` when the parameters
    /// are each valid but their rules cannot allocate the seats (no list admitted).
    pub param: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// A reform that cannot be computed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReformError {
    /// A parameter is malformed or out of bounds.
    #[error(transparent)]
    Param(ParamError),
    /// The store has no protocol yet.
    #[error("no station has a protocol yet")]
    Empty,
    /// The imported lists are not the 2021 file's lists.
    #[error("the imported lists are not the lists of {0}")]
    ListsDiffer(&'static str),
    /// The totals do not make a contest (an overflow, a protocol of another ballot).
    #[error("the national totals: {0}")]
    Totals(String),
    /// The allocation failed.
    #[error(transparent)]
    Allocate(#[from] AllocateError),
}

/// The law and the variant on the current results.
#[derive(Debug, Clone)]
pub struct Reform {
    /// The parameters as checked (absent where the law's value stays).
    pub params: ReformParams,
    /// The overrides applied, as `saylau compare --set` would take them.
    pub sets: Vec<String>,
    /// The law (first) and the variant (second; absent when no parameter was given).
    pub variants: Vec<Variant>,
}

/// The JSON of [`Reform`].
#[derive(Debug, Serialize)]
pub struct ReformJson<'a> {
    /// The parameters as checked.
    pub params: &'a ReformParams,
    /// The overrides applied.
    pub sets: &'a [String],
    /// The comparison, as `saylau compare --json` prints it.
    pub comparison: ComparisonJson<'a>,
}

impl Reform {
    /// The serialisable view.
    pub fn json(&self) -> ReformJson<'_> {
        ReformJson { params: &self.params, sets: &self.sets, comparison: json(&self.variants) }
    }
}

fn bad(param: &'static str, message: impl Into<String>) -> ReformError {
    ReformError::Param(ParamError { param, message: message.into() })
}

/// The given, non-blank value of a parameter, bounded in length.
fn given<'a>(
    param: &'static str,
    value: Option<&'a String>,
) -> Result<Option<&'a str>, ReformError> {
    let Some(value) = value.map(|it| it.trim()).filter(|it| !it.is_empty()) else {
        return Ok(None);
    };
    if value.len() > MAX_PARAM_LEN {
        return Err(bad(param, format!("longer than {MAX_PARAM_LEN} characters")));
    }
    Ok(Some(value))
}

/// Checks `params` and turns them into `--set` overrides of the election file.
pub fn overrides(params: &ReformParams) -> Result<(ReformParams, Vec<String>), ReformError> {
    let mut checked = ReformParams::default();
    let mut sets = Vec::new();
    if let Some(text) = given("threshold", params.threshold.as_ref())? {
        let text = text.trim_end_matches('%').trim();
        let (whole, frac) = text.split_once(['.', ',']).unwrap_or((text, ""));
        let digits = |part: &str| part.bytes().all(|it| it.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
            return Err(bad(
                "threshold",
                "expected a percentage such as 5 or 2.5 (two decimals at most)",
            ));
        }
        let value = if frac.is_empty() { whole.to_owned() } else { format!("{whole}.{frac}") };
        let whole_value: u32 = whole.parse().map_err(|_| bad("threshold", "not a number"))?;
        if whole_value > 100 || (whole_value == 100 && frac.bytes().any(|it| it != b'0')) {
            return Err(bad("threshold", "must be between 0 and 100"));
        }
        sets.push(format!("rules.threshold={value}%"));
        checked.threshold = Some(value);
    }
    if let Some(text) = given("method", params.method.as_ref())? {
        if !text.bytes().all(|it| it.is_ascii_lowercase() || it == b'-') {
            return Err(bad("method", "expected a method's name, such as dhondt or sainte-lague"));
        }
        sets.push(format!("rules.method=\"{text}\""));
        if text == "modified-sainte-lague" {
            // The form asks for no first divisor: the usual 1.4 (Norway, Sweden until 2018).
            sets.push("rules.first_divisor=1.4".to_owned());
        }
        checked.method = Some(text.to_owned());
    }
    if let Some(text) = given("seats", params.seats.as_ref())? {
        let seats: u32 =
            text.parse().ok().filter(|it| (1..=MAX_REFORM_SEATS).contains(it)).ok_or_else(
                || {
                    bad(
                        "seats",
                        format!("expected a whole number of seats from 1 to {MAX_REFORM_SEATS}"),
                    )
                },
            )?;
        sets.push(format!("election.seats={seats}"));
        checked.seats = Some(seats.to_string());
    }
    if let Some(text) = given("plan", params.plan.as_ref())? {
        let names: Vec<&str> = plans().iter().map(|it| it.name).collect();
        if !names.contains(&text) {
            return Err(bad("plan", format!("expected one of {}", names.join(", "))));
        }
        checked.plan = Some(text.to_owned());
    }
    Ok((checked, sets))
}

/// The law of the bundled 2021 Mazhilis file and the variant of `params`, both on the
/// national totals of `current`.
pub fn reform(current: &CurrentProtocols, params: &ReformParams) -> Result<Reform, ReformError> {
    let (checked, sets) = overrides(params)?;
    if current.protocols.is_empty() {
        return Err(ReformError::Empty);
    }
    let protocols = current.protocols.iter().map(|it| &it.protocol);
    let totals = ProtocolTotals::of(protocols, current.ballot.len())
        .map_err(|err| ReformError::Totals(err.to_string()))?;
    let (source, text) = MAZHILIS_2021;
    let mut variants = vec![on_totals(source, text, &[], &totals, current, "law")?];
    let mut label: Vec<&str> = sets.iter().map(|set| set.trim_start_matches("rules.")).collect();
    let plan =
        checked.plan.as_deref().and_then(|name| plans().into_iter().find(|it| it.name == name));
    if let Some(plan) = plan {
        label.insert(0, plan.label);
        variants.push(on_plan(&plan, &sets, &totals, current, &label.join("; "))?);
    } else if !sets.is_empty() {
        variants.push(on_totals(source, text, &sets, &totals, current, &label.join("; "))?);
    }
    Ok(Reform { params: checked, sets, variants })
}

/// `plan`'s file with `sets` applied, on the national totals: each list's votes (which
/// the file's model splits among its districts by population) and, for a mixed plan, the
/// ballots and the single-member seats won by the list with the most votes, as the file
/// models them.
fn on_plan(
    plan: &Plan,
    sets: &[String],
    totals: &ProtocolTotals,
    current: &CurrentProtocols,
    label: &str,
) -> Result<Variant, ReformError> {
    let (source, text) = plan.file;
    let votes = &totals.lines().list_votes;
    let lists = current.ballot.lists();
    let own = parse_file(source, text, &[])?.system.lists();
    let differ = own.len() != lists.len()
        || own.iter().zip(lists).any(|(file, store)| file.id.as_str() != store.id.as_str());
    if differ {
        return Err(ReformError::ListsDiffer(source));
    }
    let leader = (0..lists.len()).max_by_key(|idx| (votes[*idx], std::cmp::Reverse(*idx)));
    let mut all = Vec::with_capacity(2 * lists.len() + 2 + sets.len());
    for (idx, list) in lists.iter().enumerate() {
        all.push(format!("lists.{}.votes={}", list.id.as_str(), votes[idx].0));
        if let Some(seats) = plan.single_member {
            let won = if Some(idx) == leader { seats } else { 0 };
            all.push(format!("lists.{}.electorates={won}", list.id.as_str()));
        }
    }
    if plan.single_member.is_some() {
        let ballots = totals.ballots();
        all.push(format!("ballots.participants={}", ballots.participants.unwrap_or_default().0));
        all.push(format!("ballots.against_all={}", ballots.against_all.0));
    }
    all.extend(sets.iter().cloned());
    let overrides =
        parse_overrides(&all).map_err(|err| param_of(AllocateError::Rejected(err), true))?;
    let file = parse_file(source, text, &overrides).map_err(|err| param_of(err, true))?;
    let allocated = allocate_election(file, true).map_err(|err| bad("variant", err.to_string()))?;
    Ok(Variant { label: label.to_owned(), sets: all, allocated })
}

/// The file `text` with `sets` applied and its votes replaced by `totals`, allocated.
fn on_totals(
    source: &str,
    text: &str,
    sets: &[String],
    totals: &ProtocolTotals,
    current: &CurrentProtocols,
    label: &str,
) -> Result<Variant, ReformError> {
    let overrides = parse_overrides(sets)
        .map_err(|err| param_of(AllocateError::Rejected(err), !sets.is_empty()))?;
    let mut file =
        parse_file(source, text, &overrides).map_err(|err| param_of(err, !sets.is_empty()))?;
    let System::List { contest, .. } = &mut file.system else {
        return Err(ReformError::ListsDiffer(MAZHILIS_2021.0));
    };
    *contest = match totals.contest_for(contest, &current.ballot) {
        Ok(it) => it,
        Err(TotalsContestError::ListsDiffer) => {
            return Err(ReformError::ListsDiffer(MAZHILIS_2021.0));
        }
        Err(err) => return Err(ReformError::Totals(err.to_string())),
    };
    // The store's votes are not the file's: its official seats stand only for the law.
    let allocated = allocate_election(file, !sets.is_empty()).map_err(|source| {
        if sets.is_empty() {
            ReformError::Allocate(AllocateError::System { context: "the law".to_owned(), source })
        } else {
            // A variant the rules cannot allocate (no list admitted, ...) is the answer to
            // the question asked, not a failure of the portal.
            bad("variant", source.to_string())
        }
    })?;
    Ok(Variant { label: label.to_owned(), sets: sets.to_vec(), allocated })
}

/// A file rejected with overrides names the form's parameter the problem is about; a
/// problem of the whole combination (`modified-sainte-lague` needs a first divisor the
/// form does not ask for) is the `variant`'s. Without overrides it is the law's file that
/// is broken: an error of the portal, not of the query.
fn param_of(err: AllocateError, with_sets: bool) -> ReformError {
    let AllocateError::Rejected(Diagnostics(problems)) = &err else { return err.into() };
    if !with_sets {
        return err.into();
    }
    let param = |field: &str| match field {
        field if field.starts_with("rules.threshold") => "threshold",
        field
            if field.starts_with("rules.method")
                || field.starts_with("rules.quota")
                || field.starts_with("rules.first_divisor") =>
        {
            "method"
        }
        field if field.starts_with("election.seats") => "seats",
        _ => "variant",
    };
    match problems.first() {
        Some(problem) => {
            bad(param(&problem.field), format!("{}: {}", problem.field, problem.message))
        }
        None => err.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(threshold: &str, method: &str, seats: &str) -> ReformParams {
        let given = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        ReformParams {
            threshold: given(threshold),
            method: given(method),
            seats: given(seats),
            plan: None,
        }
    }

    #[test]
    fn parameters_become_the_overrides_of_saylau_compare() {
        let (checked, sets) = overrides(&params("2,5 %", "dhondt", "107")).expect("valid");
        assert_eq!(sets, ["rules.threshold=2.5%", "rules.method=\"dhondt\"", "election.seats=107"]);
        assert_eq!(checked.threshold.as_deref(), Some("2.5"));
        assert_eq!(overrides(&params("", " ", "")).expect("valid").1, Vec::<String>::new());
    }

    #[test]
    fn a_plan_is_one_of_the_seeds() {
        let names: Vec<&str> = plans().iter().map(|it| it.name).collect();
        assert_eq!(names, ["17-districts", "7-regions", "mixed-50-50"]);
        for name in names {
            let asked = ReformParams { plan: Some(format!(" {name} ")), ..params("", "", "") };
            let (checked, sets) = overrides(&asked).expect("a plan");
            assert_eq!((checked.plan.as_deref(), sets.len()), (Some(name), 0));
        }
        for name in ["17", "districts", "../mazhilis-2021", "7-REGIONS"] {
            let asked = ReformParams { plan: Some(name.to_owned()), ..params("", "", "") };
            match overrides(&asked) {
                Err(ReformError::Param(err)) => assert_eq!(err.param, "plan", "{name}"),
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_parameters_name_themselves() {
        for (threshold, method, seats, param) in [
            ("-1", "", "", "threshold"),
            ("1e3", "", "", "threshold"),
            ("100.01", "", "", "threshold"),
            ("", "D'Hondt", "", "method"),
            ("", "dhondt\"\nx=1", "", "method"),
            ("", "", "1001", "seats"),
            ("", "", "-5", "seats"),
            ("", "", &"9".repeat(40), "seats"),
        ] {
            match overrides(&params(threshold, method, seats)) {
                Err(ReformError::Param(err)) => {
                    assert_eq!(err.param, param, "{threshold} {method} {seats}")
                }
                other => panic!("{threshold} {method} {seats}: {other:?}"),
            }
        }
    }
}
