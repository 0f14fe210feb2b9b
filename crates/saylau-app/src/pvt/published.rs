//! `saylau pvt published`: what the observers' published aggregate of 2021 implies for
//! seats, at 7 % and 5 %, beside the official result (`data/reference/observers/`).
//!
//! The 505 copies are not a probability sample (copies were refused at 64 of 181 stations
//! one organisation observed), so no interval is attached: the view shows what their
//! shares would give under the law, exactly, and says what they are.

use saylau_formats::Diagnostics;
use serde::{Deserialize, Serialize};

use super::seats::seat_rules;
use super::{rejected, rule};

/// The bundled aggregate.
pub const OBSERVERS_2021: (&str, &str) = (
    "data/reference/observers/kz-mazhilis-2021-observer-aggregate.toml",
    include_str!("../../../../data/reference/observers/kz-mazhilis-2021-observer-aggregate.toml"),
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AggregateFile {
    aggregate: Aggregate,
    lists: Vec<AggregateList>,
    source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Aggregate {
    format: u32,
    name: String,
    kind: String,
    election: String,
    stations: u64,
    organisations: u64,
    turnout: String,
    official_turnout: String,
    copies_refused: u64,
    stations_observed_by_league: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AggregateList {
    id: String,
    name: String,
    share: String,
}

/// Where the aggregate comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Who published it.
    pub citation: String,
    /// Where in the seed document.
    pub document: String,
    /// Links.
    pub urls: Vec<String>,
}

/// The JSON of `saylau pvt published --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedView {
    /// The aggregate's name.
    pub name: String,
    /// What it is: a published aggregate, not a sample.
    pub kind: String,
    /// Stations whose copies it sums.
    pub stations: u64,
    /// Organisations.
    pub organisations: u64,
    /// Turnout in the copies, percent.
    pub turnout: String,
    /// The official turnout, percent.
    pub official_turnout: String,
    /// Each list.
    pub lists: Vec<PublishedList>,
    /// The rules of the projections.
    pub rules: Vec<String>,
    /// Where the figures come from.
    pub source: Source,
    /// What the figures are and are not.
    pub notes: Vec<String>,
}

/// One list in the copies and in the official result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedList {
    /// The list id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its share in the copies, percent of valid votes.
    pub observed_share: String,
    /// Its official share, percent of valid votes.
    pub official_share: String,
    /// Seats the copies' shares give at 7 % and at 5 %.
    pub observed_seats: [u32; 2],
    /// Seats the official votes give at 7 % and at 5 %.
    pub official_seats: [u32; 2],
}

/// The bundled aggregate beside the official result.
pub fn published() -> Result<PublishedView, Diagnostics> {
    let (source, text) = OBSERVERS_2021;
    let file: AggregateFile = toml::from_str(text)
        .map_err(|err| rejected(source, None, "", rule::PLAN_FILE, err.message().to_owned()))?;
    let bad =
        |field: &str, message: String| rejected(source, None, field, rule::PLAN_FILE, message);
    if file.aggregate.format != 1 || file.aggregate.election != "mazhilis-2021" {
        return Err(bad(
            "aggregate",
            "format 1 of the mazhilis-2021 aggregate expected".to_owned(),
        ));
    }
    let tenths = list_tenths(&file.lists, source)?;
    let ids: Vec<&str> = file.lists.iter().map(|it| it.id.as_str()).collect();
    let (rules, official_votes, [observed_7, observed_5, official_7, official_5]) =
        seats_at_7_and_5(&ids, &tenths)
            .map_err(|message| rejected(source, None, "", rule::SEAT_RULES, message))?;
    let official_valid: u64 = official_votes.iter().sum();
    let lists = file
        .lists
        .iter()
        .enumerate()
        .map(|(idx, list)| PublishedList {
            id: list.id.clone(),
            name: list.name.clone(),
            observed_share: list.share.clone(),
            official_share: super::percent(official_votes[idx] as f64 / official_valid as f64),
            observed_seats: [observed_7[idx], observed_5[idx]],
            official_seats: [official_7[idx], official_5[idx]],
        })
        .collect();
    let aggregate = &file.aggregate;
    Ok(PublishedView {
        name: aggregate.name.clone(),
        kind: aggregate.kind.clone(),
        stations: aggregate.stations,
        organisations: aggregate.organisations,
        turnout: aggregate.turnout.clone(),
        official_turnout: aggregate.official_turnout.clone(),
        lists,
        rules,
        source: file.source,
        notes: vec![
            format!(
                "A published aggregate of {} stations' copies from {} organisations, not a probability sample: copies were refused at {} of the {} stations one organisation observed, so it describes the stations where copies were given, not the country, and carries no interval.",
                aggregate.stations, aggregate.organisations, aggregate.copies_refused, aggregate.stations_observed_by_league
            ),
            "Seats by the core's exact allocation (Hare largest remainder, 98 seats) on the printed shares taken as votes in tenths of a percent, and on the official votes; the threshold is of valid votes.".to_owned(),
            "The printed shares add up to 99.9 %: the allocation uses them as printed.".to_owned(),
        ],
    })
}

/// The rule sources, the official votes, and four seat vectors.
type SeatsAt = (Vec<String>, Vec<u64>, [Vec<u32>; 4]);

/// The rule sources, the official votes, and the seats of the observed shares at 7 % and
/// 5 % and of the official votes at 7 % and 5 %.
fn seats_at_7_and_5(ids: &[&str], tenths: &[u64]) -> Result<SeatsAt, String> {
    let at_seven = seat_rules(None, &[]).map_err(|err| err.to_string())?;
    let at_five = seat_rules(None, &["rules.threshold=5%"]).map_err(|err| err.to_string())?;
    let official_votes = at_seven.official_votes(ids)?;
    let seats = [
        at_seven.seats(ids, tenths)?,
        at_five.seats(ids, tenths)?,
        at_seven.seats(ids, &official_votes)?,
        at_five.seats(ids, &official_votes)?,
    ];
    Ok((vec![at_seven.source.clone(), at_five.source.clone()], official_votes, seats))
}

/// Each list's share in tenths of a percent.
fn list_tenths(lists: &[AggregateList], source: &str) -> Result<Vec<u64>, Diagnostics> {
    lists
        .iter()
        .enumerate()
        .map(|(idx, list)| {
            tenths_of(&list.share).ok_or_else(|| {
                let message = format!("{:?} is not a percentage with one decimal", list.share);
                rejected(source, None, &format!("lists[{idx}].share"), rule::PLAN_FILE, message)
            })
        })
        .collect()
}

/// `"54.7"` as 547 tenths; at most one decimal.
fn tenths_of(text: &str) -> Option<u64> {
    let (whole, decimal) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(decimal) || decimal.len() != 1 {
        return None;
    }
    Some(whole.parse::<u64>().ok()? * 10 + decimal.parse::<u64>().ok()?)
}
