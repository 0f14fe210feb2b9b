//! saylau-charts: pictures of election results, as SVG or PNG.
//!
//! [`write_comparison_chart`] (or [`comparison_svg`]) draws one parliament hemicycle per variant (the law and its
//! what-ifs) above a bar chart of seat shares against vote shares. Shares arrive as
//! floating-point numbers because they only position pixels; the exact numbers stay in the
//! core's reports. Text is drawn with the bundled DejaVu Sans, so a PNG looks the same on
//! every machine.

mod bars;
pub mod forensics;
mod hemicycle;
mod palette;

use std::path::Path;
use std::sync::Once;

use plotters::prelude::{
    BitMapBackend, DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend, WHITE,
};
use plotters::style::FontStyle;

pub use palette::party_color;

/// One party in one variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartParty {
    /// The label shown in the legend and under the bars.
    pub label: String,
    /// Seats won.
    pub seats: u32,
    /// Its share of the votes, in percent (for drawing only).
    pub votes_percent: f64,
    /// Its colour as `#rrggbb`; a palette colour by position when absent.
    pub color: Option<String>,
}

/// One variant: a label and its parties, in the same order in every variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartVariant {
    /// The label (`law`, `threshold=3%`).
    pub label: String,
    /// The parties.
    pub parties: Vec<ChartParty>,
}

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// The file name ends neither in `.svg` nor in `.png`.
    #[error("{0}: a chart file must end in .svg or .png")]
    UnknownFormat(String),
    /// Nothing to draw.
    #[error("a chart needs at least one variant with at least one party")]
    Empty,
    /// The drawing backend failed (for PNG, usually writing the file).
    #[error("drawing the chart: {0}")]
    Drawing(String),
}

const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static REGISTER_FONT: Once = Once::new();

/// Registers the bundled font under the family name `sans-serif`, once.
fn register_font() {
    REGISTER_FONT.call_once(|| {
        // The bundled file is a valid TrueType font, so registration cannot fail; if it
        // ever did, text would be missing rather than the program crashing.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// Writes the comparison chart of `variants` to `path`, as SVG or PNG by its extension.
pub fn write_comparison_chart(
    path: &Path,
    title: &str,
    variants: &[ChartVariant],
) -> Result<(), ChartError> {
    if variants.is_empty() || variants.iter().any(|variant| variant.parties.is_empty()) {
        return Err(ChartError::Empty);
    }
    register_font();
    let size = chart_size(variants.len());
    let extension = path.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("svg") => draw(SVGBackend::new(path, size).into_drawing_area(), title, variants),
        Some("png") => draw(BitMapBackend::new(path, size).into_drawing_area(), title, variants),
        _ => Err(ChartError::UnknownFormat(path.display().to_string())),
    }
}

/// The comparison chart as SVG text.
pub fn comparison_svg(title: &str, variants: &[ChartVariant]) -> Result<String, ChartError> {
    if variants.is_empty() || variants.iter().any(|variant| variant.parties.is_empty()) {
        return Err(ChartError::Empty);
    }
    register_font();
    let mut svg = String::new();
    {
        let area =
            SVGBackend::with_string(&mut svg, chart_size(variants.len())).into_drawing_area();
        draw(area, title, variants)?;
    }
    Ok(svg)
}

/// Width grows with the number of hemicycles side by side.
fn chart_size(n_variants: usize) -> (u32, u32) {
    let per_variant = 360u32;
    let n_variants = u32::try_from(n_variants).unwrap_or(u32::MAX);
    (per_variant.saturating_mul(n_variants).max(960), 820)
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    variants: &[ChartVariant],
) -> Result<(), ChartError> {
    let failed = |err: String| ChartError::Drawing(err);
    root.fill(&WHITE).map_err(|err| failed(err.to_string()))?;
    let root = root.titled(title, ("sans-serif", 26)).map_err(|err| failed(err.to_string()))?;
    let (top, bottom) = root.split_vertically(380);
    let cells = top.split_evenly((1, variants.len()));
    for (cell, variant) in cells.iter().zip(variants) {
        hemicycle::draw(cell, variant).map_err(|err| failed(err.to_string()))?;
    }
    bars::draw(&bottom, variants).map_err(|err| failed(err.to_string()))?;
    root.present().map_err(|err| failed(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants() -> Vec<ChartVariant> {
        let party = |label: &str, seats, votes_percent| ChartParty {
            label: label.to_owned(),
            seats,
            votes_percent,
            color: None,
        };
        vec![
            ChartVariant {
                label: "law".to_owned(),
                parties: vec![
                    party("Nur Otan", 76, 71.09),
                    party("Ak Zhol", 12, 10.95),
                    party("Auyl", 0, 5.29),
                ],
            },
            ChartVariant {
                label: "threshold=5%".to_owned(),
                parties: vec![
                    party("Nur Otan", 72, 71.09),
                    party("Ak Zhol", 11, 10.95),
                    party("Auyl", 6, 5.29),
                ],
            },
        ]
    }

    #[test]
    fn svg_has_every_seat_and_label() {
        let svg = comparison_svg("Mazhilis 2021", &variants()).expect("an SVG");
        assert!(svg.starts_with("<svg"));
        assert_eq!(
            svg.matches("<circle").count(),
            88 + 89 + 2 + 3,
            "a dot per seat, a legend dot per seated party"
        );
        for label in ["Mazhilis 2021", "Nur Otan", "threshold=5%", "seats %", "votes %"] {
            assert!(svg.contains(label), "missing {label}");
        }
    }

    #[test]
    fn png_is_written_with_the_bundled_font() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("chart.png");
        write_comparison_chart(&path, "Мажилис 2021 — Қазақстан", &variants()).expect("a PNG");
        let bytes = std::fs::read(&path).expect("the PNG exists");
        assert_eq!(&bytes[1..4], b"PNG");
        assert!(bytes.len() > 10_000, "a real picture, not an empty file");
    }

    #[test]
    fn unknown_extension_and_empty_input_are_errors() {
        let path = Path::new("chart.gif");
        assert!(matches!(
            write_comparison_chart(path, "t", &variants()),
            Err(ChartError::UnknownFormat(_))
        ));
        assert!(matches!(comparison_svg("t", &[]), Err(ChartError::Empty)));
    }
}
