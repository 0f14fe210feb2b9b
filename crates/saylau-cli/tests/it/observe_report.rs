//! `saylau observe report` on a synthetic country with stuffed stations, observers' copies
//! and refusals, and a quick count: the report's numbers are those of `saylau reconcile
//! --json` and `saylau pvt estimate --json`; the HTML is well-formed, self-contained (no
//! script, no external address) and shows the numbers; the published aggregate's seats
//! are those of an independent largest-remainder computation written here.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::command::{json, root};
use crate::fixture::{QuickCount, arg, generate, keep_rows, ok, private_key, sampled};

/// A country of 800 stations (5 % stuffed, every one observed), a store with its official
/// protocols, golos's copies of all and kloop's refusals at three; a quick-count plan of
/// 200 stations by region, its draw and the sampled reports. Returns the `pvt estimate`
/// arguments after `estimate`.
fn setup(dir: &Path, db: &str) -> Vec<String> {
    let (country, past) = (dir.join("country"), dir.join("past"));
    generate("31", "800", "0.05", "800", &country);
    generate("32", "800", "0", "800", &past);
    let keys = arg(&dir.join("keys"));
    ok(db, &["db", "init", "--json"]);
    let cec =
        private_key(&ok(db, &["keys", "new", "--commission", "CEC", "--out", &keys, "--json"]));
    let protocols = arg(&country.join("protocols.csv"));
    ok(db, &["import", &protocols, "--key", &cec, "--json"]);
    let mut observers = Vec::new();
    for org in ["golos", "kloop"] {
        ok(db, &["observers", "add", "--id", org, "--name", org, "--key", &cec, "--json"]);
        let key =
            ok(db, &["keys", "new", "--observer", org, "--key", &cec, "--out", &keys, "--json"]);
        observers.push(private_key(&key));
    }
    let copies = arg(&country.join("observer-copies.csv"));
    ok(db, &["observe", "import", &copies, "--key", &observers[0], "--json"]);
    let statuses = dir.join("statuses.csv");
    std::fs::write(
        &statuses,
        "station,status,time,note\n01-01-0001,refused,2021-01-10T20:40,no paper\n\
         02-01-0001,refused,2021-01-10T21:00,\n02-01-0002,not-admitted,2021-01-10T07:55,\n",
    )
    .expect("statuses written");
    ok(db, &["observe", "import", &arg(&statuses), "--key", &observers[1], "--json"]);
    let incidents = arg(&country.join("observer-incidents.csv"));
    ok(db, &["incidents", "import", &incidents, "--key", &observers[0], "--json"]);

    let (_, drawn) = QuickCount {
        frame: &country.join("stations.csv"),
        past: &past.join("protocols.csv"),
        strata: None,
        size: "200",
        seed: "2021-01-10",
        dir,
    }
    .plan_and_draw();
    let sampled = sampled(&drawn);
    let (frame, plan, draw) = (
        arg(&country.join("stations.csv")),
        arg(&dir.join("plan.toml")),
        arg(&dir.join("draw.toml")),
    );
    let reports = dir.join("reports.csv");
    std::fs::write(&reports, keep_rows(&country.join("observer-copies.csv"), &sampled))
        .expect("reports written");
    ["--plan", &plan, "--frame", &frame, "--draw", &draw, "--reports", &arg(&reports)]
        .into_iter()
        .chain(["--official", &protocols])
        .map(str::to_owned)
        .collect()
}

/// Every start or end tag name of `html` balanced, void elements excepted, `<style>`
/// content skipped, every `&` an entity. Hand-written: the workspace has no HTML parser,
/// and this is all the report's markup needs (askama escapes every value).
fn well_formed(html: &str) -> Result<(), String> {
    const VOID: [&str; 6] = ["meta", "link", "br", "hr", "img", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        let text = &rest[at..];
        if let Some(after) = text.strip_prefix('&') {
            let end = after.find(';').ok_or("& without ;")?;
            if end > 9 || after[..end].contains([' ', '<']) {
                return Err(format!("bare & at {:?}", &text[..text.len().min(30)]));
            }
            rest = after;
            continue;
        }
        let end = text.find('>').ok_or("< without >")?;
        let tag = &text[1..end];
        rest = &text[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
            continue;
        }
        let name = tag.split([' ', '/', '\n']).next().unwrap_or("").to_ascii_lowercase();
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "style" {
            let close = rest.find("</style>").ok_or("<style> not closed")?;
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        stack.push(name);
    }
    if stack.is_empty() { Ok(()) } else { Err(format!("not closed: {stack:?}")) }
}

/// The values of every `src` and `href` attribute.
fn addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in [" src=\"", " href=\""] {
        for part in html.split(attr).skip(1) {
            found.push(part.split('"').next().unwrap_or("").to_owned());
        }
    }
    found
}

/// Seats of `votes` (98 seats, Hare quota, largest remainders) among the lists with at
/// least `threshold` percent of all the votes, in exact integers.
fn largest_remainder(votes: &[u64], threshold: u64) -> Vec<u64> {
    let valid: u64 = votes.iter().sum();
    let passed: Vec<u64> =
        votes.iter().map(|v| if v * 100 >= threshold * valid { *v } else { 0 }).collect();
    let total: u64 = passed.iter().sum();
    let mut seats: Vec<u64> = passed.iter().map(|v| v * 98 / total).collect();
    let mut order: Vec<usize> = (0..votes.len()).filter(|idx| passed[*idx] > 0).collect();
    order.sort_by_key(|idx| std::cmp::Reverse(passed[*idx] * 98 % total));
    let left = 98 - seats.iter().sum::<u64>();
    for idx in order.into_iter().take(usize::try_from(left).expect("few seats")) {
        seats[idx] += 1;
    }
    seats
}

/// The official votes per list id, read from the bundled election file.
fn official_votes() -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(root().join("data/kz/mazhilis-2021.toml"))
        .expect("the election file");
    let mut res = BTreeMap::new();
    let mut id = None;
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("id = ") {
            id = Some(value.trim_matches('"').to_owned());
        } else if let Some(value) = line.strip_prefix("votes = ") {
            res.insert(id.take().expect("an id first"), value.parse().expect("votes"));
        }
    }
    res
}

fn published_seats_are_the_seat_engines(published: &Value) {
    let lists = published["lists"].as_array().expect("lists");
    assert_eq!(published["stations"], 505);
    assert_eq!(published["turnout"], "36.2");
    // Tenths of a percent, as printed (one decimal).
    let tenths: Vec<u64> = lists
        .iter()
        .map(|it| {
            let share = it["observed_share"].as_str().expect("a share");
            assert_eq!(share.split_once('.').map(|it| it.1.len()), Some(1), "{share}");
            share.replace('.', "").parse().expect("a number")
        })
        .collect();
    let by_id: BTreeMap<&str, u64> = lists
        .iter()
        .map(|it| it["id"].as_str().expect("an id"))
        .zip(tenths.iter().copied())
        .collect();
    let seed =
        [("nur-otan", 547), ("ak-zhol", 168), ("adal", 111), ("auyl", 87), ("peoples-party", 86)];
    assert_eq!(by_id, seed.into_iter().collect::<BTreeMap<_, _>>());
    let official = official_votes();
    let official: Vec<u64> =
        lists.iter().map(|it| official[it["id"].as_str().expect("an id")]).collect();
    for (idx, threshold) in [7, 5].into_iter().enumerate() {
        let observed = largest_remainder(&tenths, threshold);
        let official = largest_remainder(&official, threshold);
        for (at, list) in lists.iter().enumerate() {
            assert_eq!(list["observed_seats"][idx].as_u64(), Some(observed[at]), "{list}");
            assert_eq!(list["official_seats"][idx].as_u64(), Some(official[at]), "{list}");
        }
    }
}

#[test]
#[expect(clippy::too_many_lines, reason = "one report checked against each command")]
fn report_holds_the_numbers_of_reconcile_and_the_quick_count() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = arg(&dir.path().join("store.sqlite"));
    let pvt = setup(dir.path(), &db);
    let out = dir.path().join("report");
    let mut args = vec!["--db", db.as_str(), "observe", "report", "--out"];
    let out_arg = arg(&out);
    args.push(&out_arg);
    args.extend(pvt.iter().map(String::as_str));
    args.extend(["--lang", "kk", "--json"]);
    let report = json(&args);

    // The same numbers as the commands that make them.
    let reconciled = json(&["--db", &db, "reconcile", "--json"]);
    assert_eq!(report["reconcile"], reconciled);
    let estimate_args: Vec<&str> = ["pvt", "estimate"]
        .into_iter()
        .chain(pvt.iter().map(String::as_str))
        .chain(["--json"])
        .collect();
    let estimated = json(&estimate_args);
    assert_eq!(report["estimate"], estimated);
    assert_eq!(report["published"], json(&["pvt", "published", "--json"]));
    let incidents = json(&["--db", &db, "incidents", "summary", "--json"]);
    assert_eq!(report["incidents"], incidents);
    assert!(incidents["violations"].as_u64() > Some(0), "{incidents}");
    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("report.json")).expect("report.json written"),
    )
    .expect("JSON");
    assert_eq!(written, report);

    // The findings by region add up to the reconciliation's, refusals included.
    let regions = report["regions"].as_array().expect("regions");
    let sum = |key: &str| regions.iter().map(|it| it[key].as_u64().expect("a count")).sum::<u64>();
    let by_status = &reconciled["findings"]["by_status"];
    assert_eq!(sum("mismatched"), by_status["mismatch"].as_u64().expect("mismatches"));
    assert!(sum("mismatched") > 0, "stuffed stations are found");
    assert_eq!(sum("refused"), 2);
    assert_eq!(sum("not_admitted"), 1);
    let added: i64 = reconciled["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .flat_map(|row| row["lines"].as_array().cloned().unwrap_or_default())
        .filter(|line| line["line"] == "found_in_boxes")
        .map(|line| line["difference"].as_i64().expect("a difference"))
        .sum();
    let added_by_region: i64 = regions.iter().map(|it| it["added_ballots"].as_i64().unwrap()).sum();
    assert_eq!(added_by_region, added);
    assert!(added > 0, "stuffing adds ballots");
    assert_eq!(
        report["turnout"].as_array().map(Vec::len),
        reconciled["totals"]["stations_compared"].as_u64().map(|it| usize::try_from(it).unwrap())
    );
    published_seats_are_the_seat_engines(&report["published"]);

    // The HTML: well-formed, self-contained, in Kazakh, with the numbers.
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html written");
    well_formed(&html).unwrap_or_else(|err| panic!("report.html is not well-formed: {err}"));
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script");
    let external: Vec<String> = addresses(&html)
        .into_iter()
        .filter(|it| it.contains("//") || it.starts_with("http") || it.starts_with("data:"))
        .collect();
    assert!(external.is_empty(), "external addresses: {external:?}");
    assert!(html.contains("<html lang=\"kk\">") && html.contains("Байқаушылар есебі"));
    let totals = &reconciled["totals"];
    for side in ["official", "copy"] {
        let turnout = totals[side]["turnout"].as_str().expect("a turnout");
        assert!(html.contains(&format!(">{turnout}<")), "{side} turnout {turnout} shown");
    }
    for figure in estimated["estimates"].as_array().expect("estimates") {
        for key in ["estimate", "lower", "upper"] {
            let value = figure[key].as_str().expect("a value");
            assert!(html.contains(&format!(">{value}<")), "{key} {value} shown");
        }
    }
    for name in
        ["turnout", "findings-by-region", "refusal-map", "published-aggregate", "quick-count"]
    {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).expect("an SVG");
        well_formed(&svg).unwrap_or_else(|err| panic!("{name}.svg: {err}"));
        assert!(html.contains(&svg), "{name}.svg is inline in the report");
    }
}

/// `GET path` on 127.0.0.1:`port` with a plain HTTP/1.1 request: the status line and body.
fn http_get(port: u16, path: &str) -> Option<(String, String)> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    Some((head.lines().next()?.to_owned(), body.to_owned()))
}

/// `saylau serve --quick-count DIR` publishes the estimate of `saylau pvt estimate` on the
/// same files at `/api/v1/quick-count` and `/en/quick-count`.
#[test]
fn serve_publishes_the_quick_count() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = arg(&dir.path().join("store.sqlite"));
    let pvt = setup(dir.path(), &db);
    let value = |flag: &str| {
        let at = pvt.iter().position(|it| it == flag).expect("the flag") + 1;
        pvt[at].clone()
    };
    let published = dir.path().join("quick-count");
    std::fs::create_dir_all(&published).expect("a directory");
    for (flag, name) in [
        ("--plan", "plan.toml"),
        ("--frame", "stations.csv"),
        ("--draw", "draw.toml"),
        ("--reports", "reports.csv"),
        ("--official", "official.csv"),
    ] {
        std::fs::copy(value(flag), published.join(name)).expect("copied");
    }
    let estimate_args: Vec<&str> = ["pvt", "estimate"]
        .into_iter()
        .chain(pvt.iter().map(String::as_str))
        .chain(["--json"])
        .collect();
    let estimated = json(&estimate_args);
    let port = 20_000 + u16::try_from(std::process::id() % 5000).expect("a port");
    let addr = format!("127.0.0.1:{port}");
    let mut server = std::process::Command::new(insta_cmd::get_cargo_bin("saylau"))
        .args(["--db", &db, "serve", "--addr", &addr, "--quick-count", &arg(&published)])
        .current_dir(root())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("saylau serve starts");
    let mut got = None;
    for _ in 0..100 {
        got = http_get(port, "/api/v1/quick-count");
        if got.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let page = http_get(port, "/en/quick-count");
    server.kill().expect("the server stopped");
    let _ = server.wait();
    let (status, body) = got.expect("saylau serve answered");
    assert!(status.contains(" 200 "), "{status}");
    let api: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(api["available"], true);
    assert_eq!(api["estimate"], estimated);
    let (status, html) = page.expect("the page");
    assert!(status.contains(" 200 "), "{status}");
    for figure in estimated["estimates"].as_array().expect("estimates") {
        let lower = figure["lower"].as_str().expect("a value");
        assert!(html.contains(&format!(">{lower}<")), "{lower} on the page");
    }
}

#[test]
fn the_well_formedness_check_fails_on_broken_markup() {
    assert!(well_formed("<p><b>x</b></p>").is_ok());
    assert!(well_formed("<p><b>x</p></b>").is_err());
    assert!(well_formed("<p>a & b</p>").is_err());
    assert!(well_formed("<div>").is_err());
    assert_eq!(largest_remainder(&[547, 168, 111, 87, 86], 7), [54, 16, 11, 9, 8]);
}
