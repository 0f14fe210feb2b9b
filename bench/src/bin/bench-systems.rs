//! The saylau side of `bench/systems`: the Bundestag 2017 (§ 6 BWahlG 2013, with
//! levelling) and the Zurich Kantonsrat 2015 (biproportional), read from the same
//! `inputs.json` as the interregnum peer.
//!
//! Each case's input is built before the clock. A run is the whole allocation: for the
//! Bundestag the Länder's seats by population and then `federal_allocation`, for Zurich
//! `biproportional_apportionment`, plus reading the seats back into plain vectors. After
//! one warm-up run, the number of runs per pass is chosen so a pass lasts at least
//! `--min-pass-ms`, and the best of `--runs` passes gives the time per run. One JSON line
//! per case goes to stdout, with the seats, so `report.py` can check them, and a short
//! summary to stderr.

use std::hint::black_box;
use std::time::Instant;

use saylau_core::seats::allocation::allocate;
use saylau_core::seats::contest::{Ballots, Contest, List};
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::{Method, Rules, RulesConfig};
use saylau_core::seats::threshold::Percent;
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{ListId, Seats, Votes};
use saylau_core::systems::biproportional::{
    BiproportionalConfig, BiproportionalRules, DistrictSeats, Rounding, VoteMatrix, VoterNumbers,
    biproportional_apportionment,
};
use saylau_core::systems::mixed::federal::{
    FederalContest, FederalParty, FederalRules, Land, federal_allocation,
};
use serde_json::{Value, json};

const USAGE: &str =
    "usage: bench-systems --inputs inputs.json [--runs 5] [--min-pass-ms 200] [--case NAME]";

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter().position(|arg| arg == name).and_then(|idx| args.get(idx + 1)).cloned()
    };
    let number = |name: &str, default: u64| -> Result<u64, String> {
        flag(name).map_or(Ok(default), |text| text.parse().map_err(|err| format!("{name}: {err}")))
    };
    let inputs_path = flag("--inputs").ok_or(USAGE)?;
    let runs = number("--runs", 5)?.max(1);
    let min_pass_ns = u128::from(number("--min-pass-ms", 200)?) * 1_000_000;
    let only = flag("--case");
    let text =
        std::fs::read_to_string(&inputs_path).map_err(|err| format!("{inputs_path}: {err}"))?;
    let inputs: Value =
        serde_json::from_str(&text).map_err(|err| format!("{inputs_path}: {err}"))?;

    let timing = Timing { runs, min_pass_ns };
    if only.as_deref().is_none_or(|case| case == "bundestag-2017") {
        let case = Bundestag::from_json(&inputs["bundestag_2017"])
            .map_err(|err| format!("{inputs_path}: bundestag_2017: {err}"))?;
        report("bundestag-2017", &timing, || case.run())?;
    }
    if only.as_deref().is_none_or(|case| case == "zurich-2015") {
        let case = Zurich::from_json(&inputs["zurich_2015"])
            .map_err(|err| format!("{inputs_path}: zurich_2015: {err}"))?;
        report("zurich-2015", &timing, || case.run())?;
    }
    Ok(())
}

struct Timing {
    runs: u64,
    min_pass_ns: u128,
}

/// Times `run` and prints the case's JSON line.
fn report(
    case: &str,
    timing: &Timing,
    run: impl Fn() -> Result<Value, String>,
) -> Result<(), String> {
    let start = Instant::now();
    let mut result = run()?;
    let once = start.elapsed().as_nanos().max(1);
    let per_pass = timing.min_pass_ns.div_ceil(once).max(1);
    let mut best = u128::MAX;
    for _ in 0..timing.runs {
        let start = Instant::now();
        for _ in 0..per_pass {
            result = black_box(run()?);
        }
        best = best.min(start.elapsed().as_nanos());
    }
    let per_run_ns = best as f64 / per_pass as f64;
    let line = json!({
        "lib": "saylau",
        "case": case,
        "runs_per_pass": per_pass,
        "passes": timing.runs,
        "per_run_ns": (per_run_ns * 10.0).round() / 10.0,
        "result": result,
    });
    println!("{line}");
    eprintln!(
        "saylau {case}: {:.1} µs per run (best of {} passes of {per_pass} runs)",
        per_run_ns / 1000.0,
        timing.runs
    );
    Ok(())
}

fn count(value: &Value, what: &str) -> Result<u64, String> {
    value.as_u64().ok_or_else(|| format!("{what}: {value} is not a whole number"))
}

fn seats(value: &Value, what: &str) -> Result<u32, String> {
    u32::try_from(count(value, what)?).map_err(|err| format!("{what}: {err}"))
}

fn array<'a>(value: &'a Value, what: &str) -> Result<&'a [Value], String> {
    value.as_array().map(Vec::as_slice).ok_or_else(|| format!("{what}: not an array"))
}

fn text<'a>(value: &'a Value, what: &str) -> Result<&'a str, String> {
    value.as_str().ok_or_else(|| format!("{what}: not a string"))
}

fn sainte_lague_rules() -> Rules {
    Rules::new(RulesConfig {
        method: Method::Divisor { divisor: Divisor::SainteLague },
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: TieRule::new(&[TieCriterion::Registration]).expect("one criterion is a valid rule"),
        lot_seed: None,
    })
    .expect("rules without a threshold or runner-up are valid")
}

/// The Bundestag 2017, ready to allocate: the Länder as a contest on their population,
/// and the Land rows with their seats still to be filled in.
struct Bundestag {
    house: Seats,
    parties: Vec<FederalParty>,
    lands: Vec<Land>,
    populations: Contest,
    land_rules: Rules,
    rules: FederalRules,
}

impl Bundestag {
    fn from_json(case: &Value) -> Result<Bundestag, String> {
        let house = Seats(seats(&case["house"], "house")?);
        let parties = array(&case["parties"], "parties")?
            .iter()
            .map(|name| {
                let name = text(name, "party")?;
                Ok(FederalParty { id: ListId::new(name), name: name.to_owned() })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut lands = Vec::new();
        let mut populations = Vec::new();
        for land in array(&case["lands"], "lands")? {
            let name = text(&land["name"], "Land name")?;
            let per_party = |key: &str| -> Result<Vec<u64>, String> {
                array(&land[key], key)?.iter().map(|it| count(it, key)).collect()
            };
            let second_votes = per_party("second_votes")?.into_iter().map(Votes).collect();
            let constituency_seats = per_party("constituency_seats")?
                .into_iter()
                .map(|won| u32::try_from(won).map(Seats).map_err(|err| err.to_string()))
                .collect::<Result<Vec<_>, String>>()?;
            lands.push(Land {
                name: name.to_owned(),
                seats: Seats(0),
                second_votes,
                constituency_seats,
                other_constituency_seats: Seats(0),
            });
            populations.push(List {
                id: ListId::new(name),
                name: name.to_owned(),
                votes: Votes(count(&land["population"], "population")?),
                threshold: None,
            });
        }
        let populations = Contest::new("länder", house, populations, Ballots::default())
            .map_err(|err| err.to_string())?;
        let percent = count(&case["threshold_percent"], "threshold_percent")?;
        let exemption = seats(&case["constituency_exemption"], "constituency_exemption")?;
        let rules = FederalRules {
            divisor: Divisor::SainteLague,
            threshold: Percent::from_ratio(percent, 1),
            constituency_exemption: Seats(exemption),
            ties: TieRule::lot(),
            lot_seed: None,
        };
        // Fail before the clock if the input is not a valid federal contest.
        FederalContest::new("de-bdt-2017", parties.clone(), lands.clone())
            .map_err(|err| err.to_string())?;
        Ok(Bundestag {
            house,
            parties,
            lands,
            populations,
            land_rules: sainte_lague_rules(),
            rules,
        })
    }

    /// § 6 (2) sentence 1, the Länder's seats by population, then § 6 in full.
    fn run(&self) -> Result<Value, String> {
        let land_seats = allocate(&self.land_rules, black_box(&self.populations))
            .map_err(|err| format!("Länder: {err}"))?;
        debug_assert_eq!(land_seats.seats.iter().copied().sum::<Seats>(), self.house);
        let mut lands = self.lands.clone();
        for (land, won) in lands.iter_mut().zip(land_seats.seats) {
            land.seats = won;
        }
        let contest = FederalContest::new("de-bdt-2017", self.parties.clone(), lands)
            .map_err(|err| err.to_string())?;
        let res = federal_allocation(&self.rules, &contest).map_err(|err| err.to_string())?;
        let land_seats: Vec<Vec<u32>> =
            res.seats.iter().map(|row| row.iter().map(|won| won.0).collect()).collect();
        let totals: Vec<u32> = res.totals.iter().map(|won| won.0).collect();
        Ok(json!({ "house": res.house.0, "seats": totals, "land_seats": land_seats }))
    }
}

/// The Zurich Kantonsrat 2015: the vote matrix and the 2015 rules.
struct Zurich {
    matrix: VoteMatrix,
    rules: BiproportionalRules,
}

impl Zurich {
    fn from_json(case: &Value) -> Result<Zurich, String> {
        let lists: Vec<ListId> = array(&case["lists"], "lists")?
            .iter()
            .map(|name| text(name, "list").map(ListId::new))
            .collect::<Result<_, String>>()?;
        let districts = array(&case["districts"], "districts")?
            .iter()
            .map(|district| {
                Ok(DistrictSeats {
                    name: text(&district["name"], "district name")?.to_owned(),
                    seats: Seats(seats(&district["seats"], "district seats")?),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        // The file is votes[district][list]; the matrix wants votes[list][district], with
        // no entry where a list did not stand (0 votes in the file).
        let rows = array(&case["votes"], "votes")?
            .iter()
            .map(|row| array(row, "votes row")?.iter().map(|it| count(it, "votes")).collect())
            .collect::<Result<Vec<Vec<u64>>, String>>()?;
        let votes = (0..lists.len())
            .map(|list| {
                rows.iter()
                    .map(|row| row.get(list).copied().filter(|&votes| votes > 0).map(Votes))
                    .collect()
            })
            .collect();
        let matrix = VoteMatrix::new(districts, lists, votes).map_err(|err| err.to_string())?;
        let percent = count(&case["qualification_percent"], "qualification_percent")?;
        let rules = BiproportionalRules::new(BiproportionalConfig {
            qualification: Some(Percent::from_ratio(percent, 1)),
            voter_numbers: VoterNumbers::RoundedPerDistrict,
            upper: Divisor::SainteLague,
            lower: Rounding::Standard,
            ties: TieRule::new(&[TieCriterion::Registration]).map_err(|err| err.to_string())?,
            lot_seed: None,
        })
        .map_err(|err| err.to_string())?;
        Ok(Zurich { matrix, rules })
    }

    /// Qualification, upper apportionment on the voter numbers, lower apportionment.
    fn run(&self) -> Result<Value, String> {
        let res = biproportional_apportionment(&self.rules, black_box(&self.matrix))
            .map_err(|err| err.to_string())?;
        let upper: Vec<u32> = res.upper.seats.iter().map(|won| won.0).collect();
        // Back to the file's orientation: lower[district][list].
        let lower: Vec<Vec<u32>> = (0..self.matrix.districts().len())
            .map(|district| res.lower.seats.iter().map(|row| row[district].0).collect())
            .collect();
        Ok(json!({ "upper": upper, "lower": lower }))
    }
}
