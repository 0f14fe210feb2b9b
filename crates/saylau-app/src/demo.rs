//! `saylau demo`'s comparisons: the 2021 Mazhilis under the law and under the seed's
//! reforms (thresholds, bases, methods), the observers' shares, the 2004 threshold base,
//! and the seed's district, house-size and mixed plans, from election files bundled into
//! the binary, so that the demo runs anywhere with no arguments. [`store`] makes the
//! demo's protocol store first.

pub mod store;

use serde::Serialize;

use crate::allocate::AllocateError;
use crate::compare::{ComparisonJson, Variant, file_variant, json, variants};

/// The bundled 2021 Mazhilis election file: `(source, text)`.
pub const MAZHILIS_2021: (&str, &str) =
    ("data/kz/mazhilis-2021.toml", include_str!("../../../data/kz/mazhilis-2021.toml"));
const OBSERVERS_2021: (&str, &str) = (
    "data/kz/mazhilis-2021-observers.toml",
    include_str!("../../../data/kz/mazhilis-2021-observers.toml"),
);
const MAZHILIS_2004: (&str, &str) =
    ("data/kz/mazhilis-2004.toml", include_str!("../../../data/kz/mazhilis-2004.toml"));

/// The seed's district, house-size and mixed plans on the 2021 votes (modelled), with the
/// column label of each.
pub(crate) const REFORM_FILES: [(&str, &str, &str); 4] = [
    (
        "data/kz/reform-17-districts.toml",
        include_str!("../../../data/kz/reform-17-districts.toml"),
        "17 districts",
    ),
    (
        "data/kz/reform-7-regions.toml",
        include_str!("../../../data/kz/reform-7-regions.toml"),
        "7 regions",
    ),
    (
        "data/kz/reform-265-cube-root.toml",
        include_str!("../../../data/kz/reform-265-cube-root.toml"),
        "265, cube-root law",
    ),
    (
        "data/kz/reform-mixed-50-50.toml",
        include_str!("../../../data/kz/reform-mixed-50-50.toml"),
        "50/50 parallel",
    ),
];

/// The seed's reform variants for 2021 (thresholds, bases, methods).
const REFORMS_2021: [&str; 6] = [
    "rules.threshold=5%",
    "rules.threshold=3%",
    "rules.threshold=1.5%",
    "rules.threshold_base=participants",
    "rules.method=dhondt",
    "rules.method=sainte-lague;rules.threshold=3%",
];

/// The demo's four comparisons.
#[derive(Debug, Clone)]
pub struct Comparisons {
    /// The 2021 Mazhilis under the law and the seed's reform variants.
    pub mazhilis_2021: Vec<Variant>,
    /// The observers' protocol shares of 2021, under 7 % and 5 %.
    pub observers_2021: Vec<Variant>,
    /// 2004 under the CEC's practice and the law's threshold base (participants).
    pub threshold_base_2004: Vec<Variant>,
    /// The 2021 votes under the law and the seed's plans (modelled).
    pub reform_plans_2021: Vec<Variant>,
}

/// The JSON of the demo's comparisons.
#[derive(Debug, Serialize)]
pub struct ComparisonsJson<'a> {
    mazhilis_2021: ComparisonJson<'a>,
    observers_2021: ComparisonJson<'a>,
    threshold_base_2004: ComparisonJson<'a>,
    reform_plans_2021: ComparisonJson<'a>,
}

impl Comparisons {
    /// As a serialisable value.
    pub fn json(&self) -> ComparisonsJson<'_> {
        ComparisonsJson {
            mazhilis_2021: json(&self.mazhilis_2021),
            observers_2021: json(&self.observers_2021),
            threshold_base_2004: json(&self.threshold_base_2004),
            reform_plans_2021: json(&self.reform_plans_2021),
        }
    }
}

/// Allocates the demo's comparisons.
pub fn comparisons() -> Result<Comparisons, AllocateError> {
    let reforms: Vec<String> = REFORMS_2021.iter().map(|set| (*set).to_owned()).collect();
    let mazhilis_2021 = variants(MAZHILIS_2021.0, MAZHILIS_2021.1, &reforms)?;
    let observers_2021 =
        variants(OBSERVERS_2021.0, OBSERVERS_2021.1, &["rules.threshold=5%".to_owned()])?;
    let threshold_base_2004 = variants(
        MAZHILIS_2004.0,
        MAZHILIS_2004.1,
        &["rules.threshold_base=participants".to_owned()],
    )?;
    let mut reform_plans_2021 = vec![file_variant(MAZHILIS_2021.0, MAZHILIS_2021.1, "law")?];
    for (source, text, label) in REFORM_FILES {
        reform_plans_2021.push(file_variant(source, text, label)?);
    }
    Ok(Comparisons { mazhilis_2021, observers_2021, threshold_base_2004, reform_plans_2021 })
}
