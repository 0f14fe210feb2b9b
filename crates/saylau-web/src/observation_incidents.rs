//! The incidents section of the observation page and the observer report: the app's
//! [`IncidentSummary`] (the view model of `saylau incidents summary`) as a headline beside
//! the seed's published aggregate, and bars with tables by type, region and hour.

use saylau_app::incidents::IncidentSummary;
use saylau_app::observe::report::RegionFindings;

use crate::i18n::Lang;
use crate::observation_svg::{MISMATCH, REFUSED};
use crate::svg::{self, Bar};

/// The incidents as shown.
#[derive(Debug, Clone)]
pub struct IncidentsSection {
    /// Violations, stations and the share of observed stations, in a sentence.
    pub headline: String,
    /// The seed's published aggregate, in a sentence.
    pub published: String,
    /// Bars by type.
    pub type_svg: String,
    /// type, violations, stations.
    pub types: Vec<Vec<String>>,
    /// Bars by region.
    pub region_svg: String,
    /// region, violations, stations.
    pub regions: Vec<Vec<String>>,
    /// Bars by hour.
    pub hour_svg: String,
    /// hour, violations.
    pub hours: Vec<Vec<String>>,
}

fn label(labels: &saylau_core::count::incident::Labels, lang: Lang) -> String {
    match lang {
        Lang::Kk => labels.kk,
        Lang::Ru => labels.ru,
        Lang::En => labels.en,
    }
    .to_owned()
}

fn bar(label: String, value: usize, color: &str) -> Bar {
    Bar { label, value: value as u64, shown: value.to_string(), color: color.to_owned() }
}

/// The section's headline and the line on the published aggregate, in `lang`.
fn headlines(summary: &IncidentSummary, lang: Lang) -> (String, String) {
    let n = |value: usize| lang.number(value as u64);
    let published = &summary.published;
    let headline = lang.t_args(
        "obs-incidents-headline",
        &[
            ("violations", n(summary.violations)),
            ("stations", n(summary.stations)),
            ("share", summary.share_of_observed.clone()),
            ("observed", n(summary.observed_stations)),
        ],
    );
    let aggregate = lang.t_args(
        "obs-incidents-published",
        &[
            ("organisation", published.organisation.clone()),
            ("violations", published.violations.to_string()),
            ("stations", published.stations.to_string()),
            ("refused", published.copies_refused.to_string()),
        ],
    );
    (headline, aggregate)
}

/// The section of `summary` in `lang`; none without any report.
pub fn incidents_section(
    summary: &IncidentSummary,
    regions: &[RegionFindings],
    lang: Lang,
) -> Option<IncidentsSection> {
    if summary.violations == 0 {
        return None;
    }
    let n = |value: usize| lang.number(value as u64);
    let types: Vec<(String, usize, usize)> = summary
        .by_type
        .iter()
        .map(|it| (label(&it.labels, lang), it.violations, it.stations))
        .collect();
    let region_name = |code: &str| {
        let name = regions.iter().find(|it| it.region == code).map(|it| it.name.as_str());
        format!("{code} {}", name.unwrap_or_default()).trim().to_owned()
    };
    let by_region: Vec<(String, usize, usize)> = summary
        .by_region
        .iter()
        .map(|it| (region_name(&it.region), it.violations, it.stations))
        .collect();
    let (headline, published) = headlines(summary, lang);
    Some(IncidentsSection {
        headline,
        published,
        type_svg: svg::bars(
            &lang.t("obs-incidents-by-type"),
            &types.iter().map(|it| bar(it.0.clone(), it.1, MISMATCH)).collect::<Vec<_>>(),
        ),
        types: types.iter().map(|it| vec![it.0.clone(), n(it.1), n(it.2)]).collect(),
        region_svg: svg::bars(
            &lang.t("obs-incidents-by-region"),
            &by_region.iter().map(|it| bar(it.0.clone(), it.1, MISMATCH)).collect::<Vec<_>>(),
        ),
        regions: by_region.iter().map(|it| vec![it.0.clone(), n(it.1), n(it.2)]).collect(),
        hour_svg: svg::bars(
            &lang.t("obs-incidents-by-hour"),
            &summary
                .by_hour
                .iter()
                .map(|it| bar(format!("{:02}:00", it.hour), it.violations, REFUSED))
                .collect::<Vec<_>>(),
        ),
        hours: summary
            .by_hour
            .iter()
            .map(|it| vec![format!("{:02}:00", it.hour), n(it.violations)])
            .collect(),
    })
}
