//! Terminal views of the systems beyond one nationwide list contest: mixed, districts,
//! the Czech two tiers and biproportional apportionment.
//!
//! Each view opens with a line naming the system and its rules, then the highlights of
//! its trace (how the district magnitudes were apportioned, the thresholds, the levelled
//! house or the overhang, the divisors), a table per list, and for district systems a
//! compact matrix: districts down, lists with seats across, totals at the foot. `--json`
//! has the full trace.

use std::fmt::Write as _;

use comfy_table::Cell;
use saylau_app::allocate::Allocated;
use saylau_app::allocate::Rational;
use saylau_app::allocate::Seats;
use saylau_app::allocate::SystemName;
use saylau_app::allocate::ThresholdBase;
use saylau_app::allocate::names::{method_name, tie_rule_name};
use saylau_app::allocate::summary::ListRow;
use saylau_app::allocate::{Admission, ThresholdTrace};
use saylau_app::allocate::{Apportionment, HouseSize};
use saylau_app::allocate::{Biproportional, VoterNumbers};
use saylau_app::allocate::{DistrictMethod, MagnitudeRule, System, SystemDetail};
use saylau_app::allocate::{MixedAllocation, MixedContest, MixedRules, MixedSystem, Overhang};

use crate::output;
use crate::table::{grouped, grouped_decimal, new_table, number, official_cell};

/// Decimal places of divisors and quotas.
const PLACES: u32 = 4;

/// The view of a mixed, district or biproportional result.
pub(crate) fn render(allocated: &Allocated) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(allocated));
    if let Some(warning) = allocated.scenario_warning() {
        let _ = writeln!(out, "{warning}");
    }
    out.push('\n');
    if let Some(table) = &allocated.result.districts
        && let Some(apportionment) = &table.apportionment
    {
        out.push_str(&magnitudes_text(allocated, apportionment));
    }
    match &allocated.result.detail {
        SystemDetail::Mixed(mixed) => out.push_str(&mixed_text(allocated, mixed)),
        SystemDetail::Districts(res) => {
            if let Some(threshold) = &res.trace.national_threshold {
                out.push_str(&threshold_line("National threshold", threshold));
            }
            let below: Vec<String> = res
                .trace
                .districts
                .iter()
                .flat_map(|step| {
                    step.below_threshold.iter().map(move |&list| (list, step.district))
                })
                .map(|(list, district)| {
                    let row = &allocated.summary.districts[district];
                    format!("{} in {}", allocated.summary.lists[list].id, row.name)
                })
                .collect();
            if !below.is_empty() {
                let _ = writeln!(out, "Below the district threshold: {}", below.join(", "));
            }
        }
        SystemDetail::TwoTier(res) => {
            if let Some(threshold) = &res.trace.national_threshold {
                out.push_str(&threshold_line("National threshold", threshold));
            }
        }
        SystemDetail::Biproportional(res) => out.push_str(&upper_text(allocated, res)),
        _ => {}
    }
    out.push_str(&lists_table(allocated).to_string());
    out.push('\n');
    if let SystemDetail::TwoTier(res) = &allocated.result.detail {
        out.push_str(&tier_text(allocated, res));
    }
    if !allocated.summary.districts.is_empty() {
        out.push_str(&matrix(allocated));
    }
    out.push_str(&ties_line(allocated));
    out.push_str(&output::indices_text(&allocated.indices));
    out
}

/// One line naming the election, its system and rules.
fn headline(allocated: &Allocated) -> String {
    let name = allocated.name();
    match &allocated.file.system {
        System::Mixed { contest, rules } => mixed_headline(name, contest, rules),
        System::Districts { districts, method, .. } => {
            let n = districts.districts().len();
            let house = allocated.seats();
            match method {
                DistrictMethod::PerDistrict { national_threshold, district_threshold, rules } => {
                    let mut thresholds = Vec::new();
                    if let Some(percent) = national_threshold {
                        thresholds.push(format!("{percent} of the national list votes"));
                    }
                    if let Some(percent) = district_threshold {
                        thresholds.push(format!("{percent} of a district's list votes"));
                    }
                    let thresholds = if thresholds.is_empty() {
                        "no threshold".to_owned()
                    } else {
                        format!("threshold {}", thresholds.join(" and "))
                    };
                    format!(
                        "{name}: {house} seats in {n} districts, {} in each, {thresholds}, ties: {}",
                        method_name(rules.method()),
                        tie_rule_name(rules.ties())
                    )
                }
                DistrictMethod::TwoTier { national_threshold, ties, .. } => format!(
                    "{name}: {house} seats in {n} districts, two tiers (Czech 2021): rounded \
                     Imperiali quotas per district, the unused votes nationally by a rounded \
                     Hagenbach-Bischoff quota, threshold {}, ties: {}",
                    national_threshold.map_or("none".to_owned(), |it| it.to_string()),
                    tie_rule_name(ties)
                ),
            }
        }
        System::Biproportional { districts, rules, .. } => {
            let weights = match rules.voter_numbers() {
                VoterNumbers::Votes => "the votes",
                VoterNumbers::RoundedPerDistrict => {
                    "voter numbers (votes / district seats, rounded)"
                }
                VoterNumbers::Exact => "voter numbers (votes / district seats, exact)",
            };
            let qualification =
                rules.qualification().map_or("every list with votes".to_owned(), |it| {
                    format!("lists with {it} in at least one district")
                });
            format!(
                "{name}: {} seats in {} districts, biproportional: {qualification}; upper \
                 apportionment on {weights}, lower by district and list divisors",
                allocated.seats(),
                districts.districts().len()
            )
        }
        _ => name.to_owned(),
    }
}

/// The headline of a mixed system.
fn mixed_headline(name: &str, contest: &MixedContest, rules: &MixedRules) -> String {
    let seats = contest.seats();
    let config = rules.config();
    let list = &config.list_rules;
    let threshold = match list.threshold() {
        Some(threshold) => format!("threshold {}", threshold.percent),
        None => "no threshold".to_owned(),
    };
    match config.system {
        MixedSystem::Parallel => format!(
            "{name}: parallel, {} list seats by {} ({threshold}) + {} single-member seats",
            seats.list,
            method_name(list.method()),
            seats.single_member
        ),
        MixedSystem::Compensatory { overhang } => {
            let exemption = config
                .electorate_exemption
                .map(|seats| match seats.0 {
                    1 => " or 1 electorate".to_owned(),
                    n => format!(" or {n} electorates"),
                })
                .unwrap_or_default();
            format!(
                "{name}: mixed-member proportional, house {} ({} single-member), {} \
                 ({threshold}{exemption}), overhang {}",
                contest.house(),
                seats.single_member,
                method_name(list.method()),
                overhang_name(overhang)
            )
        }
    }
}

fn overhang_name(overhang: Overhang) -> &'static str {
    match overhang {
        Overhang::Keep => "kept (the house grows)",
        Overhang::Level => "levelled (the house grows until every party is proportional)",
        Overhang::Disallow => "not allowed (the house stays fixed)",
    }
}

/// How the house was apportioned among the districts.
fn magnitudes_text(allocated: &Allocated, apportionment: &Apportionment) -> String {
    let mut out = String::new();
    let rule = match &allocated.file.system {
        System::Districts { magnitudes, .. } | System::Biproportional { magnitudes, .. } => {
            magnitudes
        }
        _ => return out,
    };
    let MagnitudeRule::Apportioned { rules, weights } = rule else {
        return out;
    };
    let by = if allocated.summary.districts.iter().all(|row| row.population.is_some())
        && weights
            .districts()
            .iter()
            .zip(&allocated.summary.districts)
            .all(|(weight, row)| Some(weight.population.0) == row.population)
    {
        "population"
    } else {
        "list votes"
    };
    let house = match rules.house() {
        HouseSize::CubeRoot => format!(
            "{} seats (the cube-root law: the nearest whole number to the cube root of the \
             population, {})",
            apportionment.house,
            grouped(weights.total().0)
        ),
        _ => format!("{} seats", apportionment.house),
    };
    let _ = write!(
        out,
        "District magnitudes: {house} apportioned by {by}, {}",
        method_name(rules.rules().method())
    );
    if let Some(quota) = apportionment.rounds.last().and_then(|round| round.allocation.trace.quota)
    {
        let _ = write!(out, ", quota {}", grouped_decimal(&quota.value.to_decimal(PLACES)));
    }
    if let Some(divisor) = &apportionment.divisor {
        let _ = write!(out, ", divisor {}", grouped_decimal(&decimal(&divisor.chosen)));
    }
    let held: Vec<&str> = apportionment
        .at_minimum
        .iter()
        .zip(&allocated.summary.districts)
        .filter(|(held, _)| **held)
        .map(|(_, row)| row.name.as_str())
        .collect();
    if let Some(minimum) = rules.minimum() {
        let _ = write!(out, "; minimum {} per district", minimum.seats);
        if !held.is_empty() {
            let _ = write!(out, " (held at it: {})", held.join(", "));
        }
    }
    out.push('\n');
    out
}

/// A threshold test as a sentence.
fn threshold_line(title: &str, threshold: &ThresholdTrace) -> String {
    let min = threshold.min_votes;
    let whole = min.floor() + u128::from(!min.is_whole());
    let base = match threshold.base {
        ThresholdBase::Participants => "participants",
        ThresholdBase::Valid => "valid votes",
        ThresholdBase::Lists => "list votes",
    };
    format!(
        "{title}: {} of {} {base} = {}: a list needs at least {} votes\n",
        threshold.percent,
        grouped(threshold.base_votes.0),
        grouped_decimal(&min.to_decimal(2)),
        grouped(u64::try_from(whole).unwrap_or(u64::MAX)),
    )
}

/// The mixed system's highlights: the house, overhang and levelling.
fn mixed_text(allocated: &Allocated, mixed: &MixedAllocation) -> String {
    let mut out = String::new();
    if let Some(threshold) = mixed.trace.rounds.first().and_then(|round| round.trace.threshold) {
        out.push_str(&threshold_line("List threshold", &threshold));
    }
    let System::Mixed { contest, .. } = &allocated.file.system else {
        return out;
    };
    let seats = contest.seats();
    let _ = write!(
        out,
        "House in law: {} = {} list + {} single-member seats ({} vacant); filled: {}",
        mixed.house, seats.list, seats.single_member, mixed.vacancies, mixed.filled
    );
    let overhang: u32 = mixed.overhang.iter().map(|seats| seats.0).sum();
    if overhang > 0 {
        let _ = write!(out, "; overhang: {overhang}");
    }
    out.push('\n');
    if !mixed.trace.electorate_qualified.is_empty() {
        let names: Vec<&str> = mixed
            .trace
            .electorate_qualified
            .iter()
            .map(|&idx| allocated.summary.lists[idx].id.as_str())
            .collect();
        let _ =
            writeln!(out, "Qualified by electorates, below the threshold: {}", names.join(", "));
    }
    if mixed.trace.kept_electorate_seats.0 > 0 {
        let _ = writeln!(
            out,
            "Electorates of lists that do not qualify, kept and taken off the house: {}; \
             seats divided proportionally: {}",
            mixed.trace.kept_electorate_seats, mixed.trace.proportional_seats
        );
    }
    if let Some(levelling) = &mixed.trace.levelling {
        let _ = writeln!(
            out,
            "Levelling: the house grows to {} seats ({} smaller houses tried), so that every \
             party's proportional seats cover its electorates",
            levelling.house,
            levelling.tried.len()
        );
    }
    out
}

/// The upper apportionment of a biproportional result: weights and the divisor.
fn upper_text(allocated: &Allocated, res: &Biproportional) -> String {
    let mut out = String::new();
    let not_qualified: Vec<&str> = res
        .upper
        .qualified
        .iter()
        .zip(&allocated.summary.lists)
        .filter(|(qualified, _)| !**qualified)
        .map(|(_, list)| list.id.as_str())
        .collect();
    if !not_qualified.is_empty() {
        let _ = writeln!(out, "Not qualified in any district: {}", not_qualified.join(", "));
    }
    if let Some(divisor) = &res.upper.divisor {
        let _ = writeln!(
            out,
            "Upper apportionment: each list's weight divided by {} and rounded gives its seats",
            grouped_decimal(&decimal(&divisor.chosen))
        );
    }
    let trace = &res.lower.trace;
    let _ = writeln!(
        out,
        "Lower apportionment: {} seats moved from the district-by-district start, {} divisor \
         scalings, {} ties",
        trace.transfers,
        trace.scalings,
        trace.ties.len()
    );
    out
}

/// Seats moved by the Czech second tier.
fn tier_text(allocated: &Allocated, res: &saylau_app::allocate::TierAllocation) -> String {
    let mut out = String::new();
    let first: u32 = res.first_tier.iter().flatten().map(|seats| seats.0).sum();
    let taken_back: Vec<&str> = res
        .trace
        .districts
        .iter()
        .filter(|step| !step.taken_back.is_empty())
        .map(|step| allocated.summary.districts[step.district].name.as_str())
        .collect();
    let _ = write!(out, "\nFirst tier: {} by whole district quotas", seats(Seats(first)));
    if !taken_back.is_empty() {
        let _ = write!(out, " (seats taken back in {})", taken_back.join(", "));
    }
    let _ = write!(out, "; second tier: {} on the unused votes", seats(res.trace.leftover));
    if let Some(quota) = res.trace.second_tier.as_ref().and_then(|step| step.trace.quota) {
        let _ = write!(out, " (quota {})", grouped_decimal(&quota.value.to_decimal(PLACES)));
    }
    let won: Vec<String> = res
        .second_tier
        .iter()
        .zip(&allocated.summary.lists)
        .filter(|(seats, _)| seats.0 > 0)
        .map(|(seats, list)| format!("{} +{seats}", list.id))
        .collect();
    if !won.is_empty() {
        let _ = write!(out, ": {}", won.join(", "));
    }
    out.push('\n');
    out
}

/// One row per list: votes, share, admission and seats (with the mixed parts).
fn lists_table(allocated: &Allocated) -> comfy_table::Table {
    let mixed = allocated.summary.lists.iter().any(|list| list.electorates.is_some());
    let compensatory = allocated.file.meta.system == SystemName::Mmp;
    let has_official = !allocated.overridden && allocated.official.iter().any(Option::is_some);
    let mut header = vec!["#", "list", "votes", "% of valid", "admitted"];
    if mixed {
        header.extend(["electorates", "list seats"]);
    }
    if compensatory {
        header.push("overhang");
    }
    header.push("seats");
    if has_official {
        header.push(allocated.official_label);
    }
    let mut table = new_table(&header);
    for (idx, list) in allocated.summary.lists.iter().enumerate() {
        let mut row = vec![
            number((idx + 1).to_string()),
            Cell::new(&list.name),
            number(grouped(list.votes.0)),
            number(list.percent.decimal.clone()),
            Cell::new(match own_threshold(allocated, idx) {
                Some(own) => format!("{} (own threshold {own})", admission(allocated, idx, list)),
                None => admission(allocated, idx, list).to_owned(),
            }),
        ];
        if mixed {
            let show = |seats: Option<Seats>| seats.map(|it| it.to_string()).unwrap_or_default();
            row.push(number(show(list.electorates)));
            row.push(number(show(list.list_seats)));
        }
        if compensatory {
            let show = |seats: Option<Seats>| seats.map(|it| it.to_string()).unwrap_or_default();
            row.push(number(show(list.overhang.filter(|it| it.0 > 0))));
        }
        row.push(number(list.seats.to_string()));
        if has_official {
            row.push(official_cell(allocated.official[idx], list.seats));
        }
        table.add_row(row);
    }
    table
}

/// A list's own threshold, in the district systems.
fn own_threshold(allocated: &Allocated, idx: usize) -> Option<saylau_app::allocate::Percent> {
    match &allocated.file.system {
        System::Districts { districts, .. } => districts.lists()[idx].threshold,
        _ => None,
    }
}

/// Why a list takes part or not.
fn admission(allocated: &Allocated, idx: usize, list: &ListRow) -> &'static str {
    let status = match &allocated.result.detail {
        SystemDetail::Mixed(mixed) => Some(mixed.admission[idx]),
        SystemDetail::Districts(res) => Some(res.admission[idx]),
        SystemDetail::TwoTier(res) => Some(res.admission[idx]),
        _ => None,
    };
    let by_electorates = match &allocated.result.detail {
        SystemDetail::Mixed(mixed) => mixed.trace.electorate_qualified.contains(&idx),
        _ => false,
    };
    match status {
        _ if by_electorates => "yes, by electorates",
        Some(Admission::Passed) => "yes",
        Some(Admission::RunnerUp) => "runner-up",
        Some(Admission::BelowThreshold) => "below threshold",
        Some(Admission::NoVotes) if list.seats.0 > 0 => "no list votes",
        Some(Admission::NoVotes) => "no votes",
        None if list.qualified => "yes",
        None => "no",
    }
}

/// Districts down, lists with seats across, with the totals at the foot.
fn matrix(allocated: &Allocated) -> String {
    let lists = &allocated.summary.lists;
    let seated: Vec<usize> = (0..lists.len()).filter(|&idx| lists[idx].seats.0 > 0).collect();
    let bipro = match &allocated.result.detail {
        SystemDetail::Biproportional(res) => Some(res),
        _ => None,
    };
    let with_population = allocated.summary.districts.iter().any(|row| row.population.is_some());
    let mut header: Vec<String> = vec!["district".to_owned()];
    if with_population {
        header.push("population".to_owned());
    }
    header.push("seats".to_owned());
    header.extend(seated.iter().map(|&idx| lists[idx].id.to_string()));
    if bipro.is_some() {
        header.push("divisor".to_owned());
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header_refs);
    for (district_idx, row) in allocated.summary.districts.iter().enumerate() {
        let mut cells = vec![Cell::new(&row.name)];
        if with_population {
            cells.push(number(row.population.map(grouped).unwrap_or_default()));
        }
        let seats = if row.seats == row.magnitude {
            row.seats.to_string()
        } else {
            format!("{} (of {})", row.seats, row.magnitude)
        };
        cells.push(number(seats));
        cells.extend(seated.iter().map(|&idx| number(row.lists[idx].seats.to_string())));
        if let Some(res) = bipro {
            cells.push(number(grouped_decimal(&decimal(
                &res.lower.district_divisors[district_idx],
            ))));
        }
        table.add_row(cells);
    }
    table.add_row(total_row(allocated, &seated, with_population, bipro.is_some()));
    if let Some(res) = bipro {
        let mut divisors = vec![Cell::new("list divisor")];
        if with_population {
            divisors.push(Cell::new(""));
        }
        divisors.push(Cell::new(""));
        divisors.extend(seated.iter().map(|&idx| {
            number(res.lower.list_divisors[idx].as_ref().map(decimal).unwrap_or_default())
        }));
        table.add_row(divisors);
    }
    let mut out = format!("\nSeats by district:\n{table}\n");
    let unseated: Vec<&str> =
        lists.iter().filter(|list| list.seats.0 == 0).map(|list| list.id.as_str()).collect();
    if !unseated.is_empty() {
        let _ = writeln!(out, "No seat anywhere: {}", unseated.join(", "));
    }
    out
}

/// The foot of the matrix: the seats of each list with seats, and the population.
fn total_row(
    allocated: &Allocated,
    seated: &[usize],
    with_population: bool,
    with_divisor: bool,
) -> Vec<Cell> {
    let mut total = vec![Cell::new("total")];
    if with_population {
        let population: u64 =
            allocated.summary.districts.iter().filter_map(|row| row.population).sum();
        total.push(number(grouped(population)));
    }
    total.push(number(allocated.seats().to_string()));
    let lists = &allocated.summary.lists;
    total.extend(seated.iter().map(|&idx| number(lists[idx].seats.to_string())));
    if with_divisor {
        total.push(Cell::new(""));
    }
    total
}

/// How many ties the allocation broke.
fn ties_line(allocated: &Allocated) -> String {
    let count = match &allocated.result.detail {
        SystemDetail::Mixed(mixed) => {
            mixed.trace.rounds.iter().map(|round| round.trace.ties.len()).sum::<usize>()
                + mixed.trace.levelling.as_ref().map_or(0, |it| it.trace.ties.len())
        }
        SystemDetail::Districts(res) => res
            .trace
            .districts
            .iter()
            .filter_map(|step| step.trace.as_ref())
            .map(|trace| trace.ties.len())
            .sum(),
        SystemDetail::TwoTier(res) => {
            res.trace.districts.iter().map(|step| step.ties.len()).sum::<usize>()
                + res.trace.placements.iter().map(|it| it.ties.len()).sum::<usize>()
                + res.trace.second_tier.as_ref().map_or(0, |it| it.trace.ties.len())
        }
        SystemDetail::Biproportional(res) => {
            res.lower.trace.ties.len() + res.upper.allocation.trace.ties.len()
        }
        _ => 0,
    };
    let apportionment = allocated
        .result
        .districts
        .as_ref()
        .and_then(|table| table.apportionment.as_ref())
        .map_or(0, |it| it.rounds.iter().map(|round| round.allocation.trace.ties.len()).sum());
    match count + apportionment {
        0 => "\nTies: none.\n".to_owned(),
        n => format!("\nTies: {n}, each broken by the file's tie rule (`--json` shows how).\n"),
    }
}

/// `1 seat`, `2 seats`.
fn seats(count: Seats) -> String {
    if count.0 == 1 { "1 seat".to_owned() } else { format!("{count} seats") }
}

/// A rational to four places.
fn decimal(value: &Rational) -> String {
    value.to_decimal(PLACES)
}
