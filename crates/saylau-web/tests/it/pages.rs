//! The public pages: what a visitor sees at each level, in each language.

use saylau_core::count::commission::CommissionId;

use crate::fixture::{EVIL_AUTHOR, EVIL_NAME, EVIL_REASON, fixture, get, public_routes};

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("no {end} after {start}")) + from;
    &text[from..to]
}

#[tokio::test]
async fn the_national_page_shows_seats_trace_reporting_chart_table_and_map() {
    let fixture = fixture().await;
    let results = get(&fixture.app, "/api/v1/results", &[]).await.json();
    let html = get(&fixture.app, "/en/", &[]).await.text();
    assert!(html.contains("<html lang=\"en\">"));
    // Reporting: every registered station, the withheld one not received.
    let expected = fixture.expected();
    assert_eq!(between(&html, "data-key=\"expected\">", "<"), format!("{} stations", expected));
    assert_eq!(between(&html, "data-key=\"counted\">", "<"), (expected - 1).to_string());
    assert_eq!(between(&html, "data-key=\"not-received\">", "<"), "1");
    assert!(html.contains(&format!("href=\"/en/s/{}\"", fixture.missing)));
    // The votes chart is an accessible SVG, and every number it draws is in the table.
    let chart = between(&html, "<section class=\"votes\"", "</section>");
    assert!(chart.contains("<svg") && chart.contains("role=\"img\"") && chart.contains("<title>"));
    for list in results["lists"].as_array().expect("lists") {
        let votes = list["votes"].as_u64().expect("votes");
        let shown = saylau_web::i18n::Lang::En.number(votes);
        let svg = between(chart, "<svg", "</svg>");
        let table = between(chart, "<table", "</table>");
        assert!(svg.contains(&shown) && table.contains(&shown), "{shown}");
        assert!(table.contains(&format!("<td class=\"num\">{}</td></tr>", list["seats"])));
    }
    // The trace: threshold, quota and the remainders' ranking.
    let trace = between(&html, "<section class=\"trace\"", "</section>");
    assert!(trace.contains("Threshold: 7%"), "{trace}");
    assert!(trace.contains("Quota: "), "{trace}");
    assert!(trace.contains("Lot seed"), "{trace}");
    // The method and the house, and every tie (the same trace as the reform page's).
    let house: u64 = results["lists"]
        .as_array()
        .expect("lists")
        .iter()
        .map(|list| list["seats"].as_u64().expect("seats"))
        .sum();
    assert!(
        trace.contains(&format!("Method: largest remainder (Hare quota) · Seats: {house}")),
        "{trace}"
    );
    let ties = between(trace, "Ties: ", "</p>");
    assert!(ties == "none" || trace.contains("<li>"), "{trace}");
    // The cartogram: a tile linking to each region of the result.
    let map = between(&html, "<section class=\"map\"", "</section>");
    let regions = get(&fixture.app, "/api/v1/regions", &[]).await.json();
    let regions = regions.as_array().expect("regions");
    assert_eq!(map.matches("<a href=\"/en/t/").count(), regions.len());
    for region in regions {
        assert!(
            map.contains(&format!("<a href=\"/en/t/{}\">", region["id"].as_str().expect("id")))
        );
    }
}

#[tokio::test]
async fn the_missing_station_is_listed_at_every_level_above_it() {
    let fixture = fixture().await;
    let missing = fixture.missing;
    let region = CommissionId::Region(missing.region());
    let district = CommissionId::District(missing.district());
    for (lang, page) in
        [("kk", "/".to_owned()), ("ru", format!("/t/{region}")), ("en", format!("/t/{district}"))]
    {
        let html = get(&fixture.app, &format!("/{lang}{page}"), &[]).await.text();
        let list = between(&html, "<ul class=\"not-received\">", "</ul>");
        assert!(
            list.contains(&format!("<a href=\"/{lang}/s/{missing}\">{missing}</a>")),
            "{lang}{page}"
        );
        assert_eq!(list.matches("<li>").count(), 1, "{lang}{page}");
    }
    let html = get(&fixture.app, &format!("/kk/s/{missing}"), &[]).await.text();
    assert_eq!(between(&html, "data-key=\"status\">", "<"), "түскен жоқ");
    assert!(html.contains("Бұл учаскенің хаттамасы әлі түскен жоқ."));
    // A district where all arrived says so.
    let other = CommissionId::District(fixture.station.district());
    if other != district {
        let html = get(&fixture.app, &format!("/en/t/{other}"), &[]).await.text();
        assert!(html.contains("Every expected protocol has been received."));
    }
}

#[tokio::test]
async fn a_station_shows_lines_control_relations_and_every_version_with_its_diff() {
    let fixture = fixture().await;
    let station = fixture.station;
    fixture.correct().await;
    let api = get(&fixture.app, &format!("/api/v1/stations/{station}"), &[]).await.json();
    let html = get(&fixture.app, &format!("/ru/s/{station}"), &[]).await.text();
    let lines = between(&html, "<section class=\"protocol\"", "</section>");
    for line in api["lines"].as_array().expect("lines") {
        let shown = saylau_web::i18n::Lang::Ru.number(line["value"].as_u64().expect("value"));
        let row = format!("<tr><td>{}</td>", line["number"].as_str().expect("number"));
        assert!(lines.contains(&row), "{row}");
        let after = &lines[lines.find(&row).expect("row")..];
        assert!(after.contains(&format!("<td class=\"num\">{shown}</td>")), "{row} {shown}");
    }
    assert!(lines.contains("Бюллетеней в ящиках"));
    let control = between(&html, "<section class=\"control\"", "</section>");
    for code in ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7"] {
        assert!(control.contains(&format!("<code>{code}</code>")), "{code}");
    }
    assert_eq!(control.matches("выполнено").count(), 7);
    // History: newest first, the correction with its diff, author and reason escaped.
    let history = between(&html, "<section class=\"history\"", "</section>");
    let v2 = history.find("id=\"v2\"").expect("version 2");
    let v1 = history.find("id=\"v1\"").expect("version 1");
    assert!(v2 < v1, "newest first");
    let version2 = &history[v2..v1];
    let diff = between(version2, "<tbody>", "</tbody>");
    assert_eq!(diff.matches("<tr>").count(), 2, "{diff}");
    let changes = api["versions"][1]["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["number"], "10.1");
    assert_eq!(changes[1]["number"], "10.2");
    let from = changes[0]["from"].as_u64().expect("from");
    assert_eq!(changes[0]["to"].as_u64(), Some(from - 7));
    for change in changes {
        for key in ["from", "to"] {
            let shown = saylau_web::i18n::Lang::Ru.number(change[key].as_u64().expect("n"));
            assert!(diff.contains(&shown), "{shown}");
        }
    }
    let hash = api["versions"][1]["entry_hash"].as_str().expect("hash");
    assert!(version2.contains(hash));
    assert!(version2.contains("operator &#60;script&#62;alert(2)&#60;/script&#62;"), "{version2}");
    assert!(version2.contains("recount &#34;&#60;b&#62;ordered&#60;/b&#62;&#34;"), "{version2}");
    assert!(history[v1..].contains("первая версия"));
}

#[tokio::test]
async fn the_language_switch_keeps_the_place() {
    let fixture = fixture().await;
    let station = fixture.station;
    let district = CommissionId::District(station.district());
    for place in ["/".to_owned(), format!("/t/{district}"), format!("/s/{station}")] {
        for lang in ["kk", "ru", "en"] {
            let html = get(&fixture.app, &format!("/{lang}{place}"), &[]).await.text();
            assert!(html.contains(&format!("<html lang=\"{lang}\">")));
            for other in ["kk", "ru", "en"] {
                let link = format!("href=\"/{other}{place}\"");
                assert!(html.contains(&link), "/{lang}{place} lacks {link}");
                let alternate = format!("hreflang=\"{other}\" href=\"/{other}{place}\"");
                assert!(html.contains(&alternate), "/{lang}{place}: {alternate}");
            }
        }
    }
    // Breadcrumbs lead back up in the page's language.
    let html = get(&fixture.app, &format!("/kk/s/{station}"), &[]).await.text();
    let crumbs = between(&html, "<nav class=\"crumbs\">", "</nav>");
    let region = CommissionId::Region(station.region());
    assert!(crumbs.contains("href=\"/kk/\">Ел</a>"), "{crumbs}");
    assert!(crumbs.contains(&format!("href=\"/kk/t/{region}\"")));
    assert!(crumbs.contains(&format!("href=\"/kk/t/{district}\"")));
}

#[tokio::test]
async fn markup_in_names_authors_and_reasons_is_inert_everywhere() {
    let fixture = fixture().await;
    fixture.correct().await;
    for route in public_routes(&fixture) {
        let got = get(&fixture.app, &route, &[]).await;
        let text = String::from_utf8_lossy(&got.body);
        if route.starts_with("/api") || route.starts_with("/open-data") {
            continue;
        }
        for evil in [EVIL_NAME, EVIL_AUTHOR, EVIL_REASON, "<script", "onerror=alert(1)>"] {
            assert!(!text.contains(evil), "{route} contains {evil} unescaped");
        }
    }
    let html = get(&fixture.app, &format!("/en/s/{}", fixture.missing), &[]).await.text();
    assert!(html.contains("&#60;img src=x onerror=alert(1)&#62;"), "the name is shown, escaped");
    // A hostile path is a 404 page that echoes nothing executable.
    let got = get(&fixture.app, "/en/%3Cscript%3Ealert(3)%3C%2Fscript%3E", &[]).await;
    assert_eq!(got.status, 404);
    assert!(!got.text().contains("<script"));
}

#[tokio::test]
async fn unknown_places_are_404_pages_in_the_language() {
    let fixture = fixture().await;
    for (route, lang) in
        [("/ru/s/17-99-9999", "ru"), ("/kk/t/99", "kk"), ("/en/t/nowhere", "en"), ("/de/", "en")]
    {
        let got = get(&fixture.app, route, &[]).await;
        assert_eq!(got.status, 404, "{route}");
        assert!(got.text().contains(&format!("<html lang=\"{lang}\">")), "{route}");
    }
}
