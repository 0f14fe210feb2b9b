//! Seats against votes: for each party, its vote share and its seat share under every
//! variant, side by side.

use plotters::coord::Shift;
use plotters::prelude::{
    ChartBuilder, DrawingArea, DrawingAreaErrorKind, DrawingBackend, PathElement, Rectangle,
    SeriesLabelPosition, Text,
};
use plotters::style::{BLACK, Color, IntoFont, RGBColor, WHITE};

use crate::ChartVariant;
use crate::hemicycle::shorten;

/// The colour of the vote-share bars.
const VOTES_COLOR: RGBColor = RGBColor(120, 120, 120);

/// Colours of the variants' seat bars (Okabe-Ito blue, orange, green, ...).
const VARIANT_COLORS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
];

/// One series of bars: a legend label, a colour and a value per party.
struct Series {
    label: String,
    color: RGBColor,
    values: Vec<f64>,
}

fn series(variants: &[ChartVariant]) -> Vec<Series> {
    let votes = variants[0].parties.iter().map(|party| party.votes_percent).collect();
    let mut res = vec![Series { label: "votes %".to_owned(), color: VOTES_COLOR, values: votes }];
    for (idx, variant) in variants.iter().enumerate() {
        let total: u32 = variant.parties.iter().map(|party| party.seats).sum();
        let values =
            variant
                .parties
                .iter()
                .map(|party| {
                    if total == 0 { 0.0 } else { 100.0 * f64::from(party.seats) / f64::from(total) }
                })
                .collect();
        let label = format!("seats % ({})", variant.label);
        res.push(Series { label, color: VARIANT_COLORS[idx % VARIANT_COLORS.len()], values });
    }
    res
}

/// Draws the bar chart in `area`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    variants: &[ChartVariant],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let all = series(variants);
    let n_parties = variants[0].parties.len();
    let top =
        all.iter().flat_map(|series| series.values.iter().copied()).fold(10.0, f64::max) * 1.12;
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .caption("seats % under each variant against votes %", ("sans-serif", 18))
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0.0..n_parties as f64, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("percent")
        .label_style(("sans-serif", 14))
        .draw()?;
    let width = 0.8 / all.len() as f64;
    for (slot, series) in all.iter().enumerate() {
        let color = series.color;
        let bars = series.values.iter().enumerate().map(move |(party, value)| {
            let left = party as f64 + 0.1 + width * slot as f64;
            Rectangle::new([(left, 0.0), (left + width * 0.92, *value)], color.filled())
        });
        chart.draw_series(bars)?.label(series.label.clone()).legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(8))
        });
    }
    // Party names under their group of bars, placed in pixels below the axis.
    let base = area.get_base_pixel();
    let segment = chart.backend_coord(&(1.0, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
    let max_chars = usize::try_from(segment / 7).unwrap_or(0).clamp(3, 24);
    for (idx, party) in variants[0].parties.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(idx as f64 + 0.5, 0.0));
        let label = shorten(&party.label, max_chars);
        let offset = 3 * i32::try_from(label.chars().count()).unwrap_or(0);
        let position = (x - base.0 - offset, y - base.1 + 8);
        area.draw(&Text::new(label, position, ("sans-serif", 13).into_font()))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
}
