//! The fuzz targets: one per reader of untrusted text, each with its seeds.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use saylau_app::incidents::file::{IncidentFile, parse_incidents};
use saylau_app::pvt::{frame_file, plan_file};
use saylau_core::law::composition;
use saylau_core::law::council::{self, AfterFailedRound, CouncilRules, Majority};
use saylau_core::law::date::Date;
use saylau_core::seats::lot::LotSeed;
use saylau_formats as formats;
use saylau_formats::{Override, StationColumns};
use saylau_survey::codebook::Codebook;
use saylau_survey::respondents::Respondents;

use super::text;

/// A reader and the valid files its mutated inputs start from.
pub(crate) struct Target {
    /// The target's name.
    pub(crate) name: &'static str,
    /// Valid inputs (at least one).
    pub(crate) seeds: Vec<Vec<u8>>,
    /// Reads one input and says whether it was accepted; any result is fine, a panic is
    /// not.
    pub(crate) read: Reader,
}

/// A reader under test: reads one input, says whether it was accepted.
type Reader = Box<dyn Fn(&[u8]) -> bool>;

/// A file of a few good protocols, as `saylau generate` writes them.
const PROTOCOLS_CSV: &str = "# saylau-protocols v1\n# list a: List A\n# list b: List B\n# synthetic data\n\
station,region,region_name,district,district_name,voters_on_roll,ballots_received,issued_in_station,\
issued_outside,cancelled,found_in_boxes,invalid,valid,against_all,list:a,list:b\n\
01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400\n\
01-03-0035,01,Akmola,01-03,Town 3,900,909,600,20,289,620,20,600,0,300,300\n\
16-01-0001,16,Almaty city,16-01,\"Almaty, district 1\",2000,2020,700,0,1320,700,0,700,0,350,350\n";

/// The same kind of file in format v2, with its optional lines and times (one row with all
/// of them, one with a few, one flagged by `P-9`).
const PROTOCOLS_V2_CSV: &str = "# saylau-protocols v2\n# list a: List A\n# list b: List B\n# synthetic data\n\
station,region,region_name,district,district_name,voters_on_roll,ballots_received,issued_in_station,\
issued_outside,cancelled,found_in_boxes,invalid,valid,against_all,list:a,list:b,supplementary_list,\
signatures_on_roll,polls_closed,count_started,count_ended,protocol_posted,handed_over,video,video_sha256\n\
01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400,41,1180,\
2021-01-10T20:00,2021-01-10T20:05,2021-01-10T23:40,2021-01-10T23:52,2021-01-11T01:15,\
synthetic://video/01-03-0034.mp4,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n\
01-03-0035,01,Akmola,01-03,Town 3,900,909,600,20,289,620,20,600,0,300,300,,600,,,,,,,\n\
16-01-0001,16,Almaty city,16-01,\"Almaty, district 1\",2000,2020,700,0,1320,700,0,700,0,350,350,12,610,\
2021-01-10T20:00,2021-01-10T21:30,2021-01-11T00:10,,,,\n";

/// A commissions register (`docs/commissions.md`).
const COMMISSIONS_REGISTER: &str = "# saylau-commissions v1\n# synthetic\n\
commission,person,name,role,nominated_by,party_member,from,to\n\
CEC,kz-1,Member A,chair,appointed:president,,2021-06-01,2026-05-31\n\
01,kz-2,\"Ivanova, Olga\",secretary,ngo:zhariya,nur-otan,2021-06-01,2026-05-31\n\
01-01-0001,kz-3,Member C,member,party:ak-zhol,ak-zhol,2021-06-01,2026-05-31\n\
01-01-0001,kz-4,Member D,chair,akimat:01-01,,2019-06-01,2024-05-31\n";

/// Reads a register and checks it by the core's rules too, so that they meet the fuzzed
/// members and dates; accepted when every row is good.
fn read_register(bytes: &[u8]) -> bool {
    let Ok(file) = formats::parse_register("r", &text(bytes)) else { return false };
    let members: Vec<_> = file.rows.iter().map(|(_, it)| it.clone()).collect();
    let levels = members
        .iter()
        .map(|it| (it.commission.clone(), composition_level(&it.commission)))
        .collect();
    let law = composition::CompositionLaw::law_2021();
    let _ = composition::check_register(&law, &levels, &[], &members);
    file.problems.is_empty()
}

/// The level of a commission by the shape of its id (`docs/protocol.md`, "Identifiers").
fn composition_level(id: &str) -> saylau_core::count::commission::Level {
    use saylau_core::count::commission::Level;
    match id.len() {
        3 => Level::Central,
        2 => Level::Region,
        5 => Level::District,
        _ => Level::Precinct,
    }
}

/// A quick-count frame.
const FRAME: &str = "# saylau-stations v1\n# synthetic\nstation,voters_on_roll,settlement\n\
01-01-0001,1200,urban\n01-01-0002,800,rural\n02-01-0001,1500,urban\n02-02-0003,700,rural\n";

/// A quick-count plan.
const PLAN: &str = "[plan]\nformat = 1\nname = \"Quick count (synthetic frame)\"\n\
frame_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n\
strata_by = [\"region\", \"settlement\"]\nconfidence = 0.95\ntarget_margin = 1.0\n\
allocation = \"proportional, at least 2 a stratum\"\nstations = 10000\nsample = 1000\n\n\
[[strata]]\nid = \"01/rural\"\nvalues = [\"01\", \"rural\"]\nstations = 402\nsample = 40\n\n\
[[strata]]\nid = \"01/urban\"\nvalues = [\"01\", \"urban\"]\nstations = 9598\nsample = 960\n";

/// An incident file (CSV), as `saylau generate` writes them, with evidence.
const INCIDENTS_CSV: &str = "# saylau-incidents v1\n# synthetic\nid,station,time,type,note,evidence\n\
syn-00001,01-02-0005,2021-01-10T20:14,ballot-stuffing,\"about 2598 ballots, box 2\",p/1.jpg;p/2.jpg\n\
syn-00002,01-06-0003,2021-01-10T11:41:07+06:00,other,a bus of voters,\n\
syn-00003,16-01-0001,2021-01-10T09:25Z,copy-refused,,\n";

/// The same incidents as JSON.
const INCIDENTS_JSON: &str = "{\"format\": \"saylau-incidents\", \"version\": 1, \"incidents\": [\n\
{\"id\": \"syn-00001\", \"station\": \"01-02-0005\", \"time\": \"2021-01-10T20:14\", \
\"type\": \"ballot-stuffing\", \"note\": \"box 2\", \"evidence\": [\"p/1.jpg\"]},\n\
{\"id\": \"syn-00002\", \"station\": \"01-06-0003\", \"time\": \"2021-01-10T11:41\", \
\"type\": \"other\", \"note\": \"a bus of voters\"}\n]}\n";

/// `--set` overrides, one a line, applied to the 2021 Mazhilis file.
const OVERRIDES: &str = "rules.threshold=7%\nelection.seats=98\nrules.method=\"sainte-lague\"\n\
lists[0].votes=100\nrules.quota=\"droop\"\n";

/// Every reader, with its seeds.
pub(crate) fn targets(data: &Path) -> Vec<Target> {
    let mut res = election_and_protocols(data);
    res.extend(file_readers(data));
    res.extend(statistics(data));
    for target in &res {
        assert!(!target.seeds.is_empty(), "{}: no bundled file is a valid seed", target.name);
    }
    res
}

/// Election files, their overrides and protocol files.
fn election_and_protocols(data: &Path) -> Vec<Target> {
    let tomls = files(data, ".toml");
    let mazhilis = std::fs::read_to_string(data.join("kz/mazhilis-2021.toml")).unwrap_or_default();
    let protocols_json = {
        let file =
            formats::parse_protocols_csv("p", PROTOCOLS_CSV.as_bytes()).expect("good protocols");
        let mut out = Vec::new();
        formats::write_protocols_json(&mut out, &file.set()).expect("in memory");
        out
    };
    let protocols_v2_json = {
        let file = formats::parse_protocols_csv("p", PROTOCOLS_V2_CSV.as_bytes())
            .expect("good v2 protocols");
        assert_eq!(file.protocols.len(), 3, "{:?}", file.diagnostics());
        let mut out = Vec::new();
        formats::write_protocols_json(&mut out, &file.set()).expect("in memory");
        out
    };
    vec![
        target("election", &tomls, |b| ok(formats::parse_election("f", &text(b), &[]))),
        Target {
            name: "election-overrides",
            seeds: vec![OVERRIDES.as_bytes().to_vec()],
            read: Box::new(move |b| {
                let text = text(b);
                let overrides: Vec<Override> =
                    text.lines().filter_map(|line| Override::parse(line).ok()).collect();
                ok(formats::parse_election("f", &mazhilis, &overrides))
            }),
        },
        target("protocols-csv", &[PROTOCOLS_CSV.as_bytes().to_vec()], |b| {
            ok(formats::parse_protocols_csv("p", b))
        }),
        target("protocols-json", &[protocols_json], |b| {
            ok(formats::parse_protocols_json("p", &text(b)))
        }),
        target("protocols-v2-csv", &[PROTOCOLS_V2_CSV.as_bytes().to_vec()], |b| {
            ok(formats::parse_protocols_csv("p", b))
        }),
        target("protocols-v2-json", &[protocols_v2_json], |b| {
            ok(formats::parse_protocols_json("p", &text(b)))
        }),
    ]
}

/// The other files of `saylau-formats`.
fn file_readers(data: &Path) -> Vec<Target> {
    let tomls = files(data, ".toml");
    let csvs = files(data, ".csv");
    let regimes = formats::parse_regimes(
        "r",
        &std::fs::read_to_string(data.join("kz/party-registration.toml")).unwrap_or_default(),
    )
    .map(|it| it.region_sets)
    .unwrap_or_default();
    let day = Date::new(2021, 7, 25).expect("a date");
    vec![
        target("plurality", &tomls, |b| ok(formats::parse_plurality("f", &text(b), &[]))),
        target("plurality-csv", &csvs, |b| ok(formats::parse_plurality_csv("f", &text(b), &[]))),
        target("candidates", &tomls, |b| ok(formats::parse_candidates("f", &text(b)))),
        target("candidates-csv", &csvs, move |b| {
            ok(formats::parse_candidates_csv(
                "f",
                &text(b),
                day,
                saylau_core::law::eligibility::Office::Akim,
            ))
        }),
        target("eligibility-rules", &tomls, |b| ok(formats::parse_rule_set("f", &text(b)))),
        target("finance-rules", &tomls, |b| ok(formats::parse_finance_rules("f", &text(b)))),
        target("finance-ledger", &csvs, |b| ok(formats::parse_ledger("f", &text(b)))),
        target("lists", &tomls, |b| ok(formats::parse_lists("f", &text(b)))),
        target("funding", &tomls, |b| ok(formats::parse_funding("f", &text(b), &[]))),
        target("party-regimes", &tomls, |b| ok(formats::parse_regimes("f", &text(b)))),
        target("party-membership", &tomls, move |b| {
            ok(formats::parse_membership("f", &text(b), &regimes))
        }),
        target("published-table", &tomls, |b| {
            ok(formats::parse_published_table("f", &text(b), &[]))
        }),
        target("lot", &tomls, |b| ok(formats::parse_lot("f", &text(b), &[]))),
        target("council-rules", &tomls, |b| ok(formats::parse_council_rules("f", &text(b)))),
        target("council-vote", &tomls, |b| {
            // A vote read is decided too, under both ways of going on, so that the core's
            // rounds and lots meet the fuzzed counts.
            let Ok(file) = formats::parse_council_vote("f", &text(b)) else { return false };
            for after_failed in [AfterFailedRound::EliminateLowest, AfterFailedRound::RunoffTopTwo]
            {
                let rules =
                    CouncilRules { majority: Majority::OfPresent, after_failed, max_rounds: 5 };
                let _ = council::decide(&file.vote, &rules, &LotSeed::new("fuzz"));
            }
            true
        }),
        target("lot-commission", &tomls, |b| ok(formats::parse_commission("f", &text(b), &[]))),
        target("commissions-register", &[COMMISSIONS_REGISTER.as_bytes().to_vec()], |b| {
            read_register(b)
        }),
        target("station-table", &[station_table_head(data)], |b| {
            ok(formats::parse_station_table("t", b, &StationColumns::default()))
        }),
        target(
            "station-columns",
            &[b"id = \"station_id\"\nlist_prefix = \"v_\"\ngiven = [\"given\"]\n".to_vec()],
            |b| ok(formats::parse_station_columns("c", &text(b))),
        ),
    ]
}

/// The files of the quick count and of surveys.
fn statistics(data: &Path) -> Vec<Target> {
    let tomls = files(data, ".toml");
    let codebook = saylau_survey::seed_study::codebook();
    let respondents = saylau_survey::seed_study::synthetic_respondents(1)
        .map(|it| it.respondents.to_csv(&it.codebook, None))
        .unwrap_or_default();
    let respondents: String = respondents.lines().take(40).flat_map(|line| [line, "\n"]).collect();
    vec![
        target("pvt-frame", &[FRAME.as_bytes().to_vec()], |b| {
            ok(frame_file::parse_frame("f", &text(b)))
        }),
        target("pvt-plan", &[PLAN.as_bytes().to_vec()], |b| {
            ok(plan_file::parse_plan("p", &text(b)))
        }),
        target("incidents-csv", &[INCIDENTS_CSV.as_bytes().to_vec()], |b| {
            accepted_incidents(parse_incidents("i", &text(b), false))
        }),
        target("incidents-json", &[INCIDENTS_JSON.as_bytes().to_vec()], |b| {
            accepted_incidents(parse_incidents("i", &text(b), true))
        }),
        target("survey-codebook", &tomls, |b| ok(Codebook::from_toml("c", &text(b)))),
        target("survey-respondents", &[respondents.into_bytes()], move |b| {
            ok(Respondents::from_csv(&codebook, "r", &text(b)))
        }),
    ]
}

/// A target whose seeds are the `candidates` that `read` accepts: the bundled files of its
/// own kind.
fn target(
    name: &'static str,
    candidates: &[Vec<u8>],
    read: impl Fn(&[u8]) -> bool + 'static,
) -> Target {
    let seeds = candidates.iter().filter(|seed| read(seed)).cloned().collect();
    Target { name, seeds, read: Box::new(read) }
}

/// Whether an incident file was read with every row good (a seed must be).
fn accepted_incidents<E>(res: Result<IncidentFile, E>) -> bool {
    res.is_ok_and(|file| file.rejected.is_empty() && !file.rows.is_empty())
}

/// Whether a reader accepted its input.
fn ok<T, E>(res: Result<T, E>) -> bool {
    res.is_ok()
}

/// The bundled files under `data` ending in `suffix`, outside `data/reference/peers`.
fn files(data: &Path, suffix: &str) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    walk(data, &mut paths);
    paths.sort();
    paths
        .iter()
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .filter(|path| !path.to_string_lossy().contains("peers"))
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The first 30 rows of the bundled 2011 Russian station table.
fn station_table_head(data: &Path) -> Vec<u8> {
    let path = data.join("reference/forensics/russia-federal-elections/russia-2011.csv.gz");
    let mut text = String::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = flate2::read::GzDecoder::new(file).take(1 << 16).read_to_string(&mut text);
    }
    text.lines().take(31).flat_map(|line| [line, "\n"]).collect::<String>().into_bytes()
}
