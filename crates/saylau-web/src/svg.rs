//! Inline SVG for the pages: a bar chart of votes, a tile cartogram of the 17 regions and
//! a parliament hemicycle.
//!
//! Hand-written rather than drawn by saylau-charts (plotters): an inline picture on a page
//! under `Content-Security-Policy: default-src 'self'` may not carry `style` attributes,
//! needs `role="img"` and a `<title>`, a link per region, and must be byte-for-byte
//! deterministic so that it can be cached under the log head's ETag. Geometry is integer
//! arithmetic (but the hemicycle's angles); every number drawn is also in the table beside
//! the picture.

use std::fmt::Write as _;

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ch => out.push(ch),
        }
    }
    out
}

/// A bar of [`bars`]: its label, value, the value as shown, and its colour.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The label left of the bar.
    pub label: String,
    /// The value that sets the bar's length.
    pub value: u64,
    /// The value as written right of the bar.
    pub shown: String,
    /// `#rrggbb`.
    pub color: String,
}

const WIDTH: u64 = 780;
const LABEL: u64 = 220;
const BAR: u64 = 320;
const ROW: u64 = 26;

/// A horizontal bar chart with a title.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|bar| bar.value).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as u64 + 8;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"DejaVu Sans, sans-serif\" \
         font-size=\"13\"><title>{}</title>",
        escape(title)
    );
    for (idx, bar) in bars.iter().enumerate() {
        let y = ROW * idx as u64 + 4;
        let len = u128::from(bar.value) * u128::from(BAR) / u128::from(max);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{len}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            LABEL - 6,
            y + 15,
            escape(&shorten(&bar.label, 30)),
            LABEL,
            ROW - 8,
            escape(&bar.color),
            LABEL + len as u64 + 6,
            y + 15,
            escape(&bar.shown),
        );
    }
    out.push_str("</svg>");
    out
}

pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A region's tile of [`cartogram`].
#[derive(Debug, Clone)]
pub struct Tile {
    /// The region's code, 1 to 17.
    pub code: u8,
    /// Its name.
    pub name: String,
    /// Where the tile links to.
    pub href: String,
    /// Stations expected.
    pub expected: u64,
    /// Protocols received.
    pub counted: u64,
    /// The share as shown.
    pub shown: String,
}

/// Where each region's tile sits, (column, row), roughly as the regions lie on the map
/// of 2021: west to east, north to south.
pub(crate) const TILE_PLACES: [(u8, u64, u64); 17] = [
    (8, 2, 0),
    (12, 3, 0),
    (11, 4, 0),
    (5, 0, 1),
    (2, 1, 1),
    (1, 2, 1),
    (15, 3, 1),
    (14, 4, 1),
    (4, 0, 2),
    (9, 1, 2),
    (7, 2, 2),
    (3, 3, 2),
    (16, 4, 2),
    (10, 0, 3),
    (13, 1, 3),
    (17, 2, 3),
    (6, 3, 3),
];

pub(crate) const TILE: u64 = 120;

/// The 17 regions as tiles, shaded by the share of their protocols received, each a link.
pub fn cartogram(title: &str, tiles: &[Tile]) -> String {
    let (width, height) = (TILE * 5 + 10, TILE * 4 + 10);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" font-family=\"DejaVu Sans, sans-serif\" \
         font-size=\"11\"><title>{}</title>",
        escape(title)
    );
    for (code, col, row) in TILE_PLACES {
        let Some(tile) = tiles.iter().find(|tile| tile.code == code) else { continue };
        let (x, y) = (col * TILE + 5, row * TILE + 5);
        let _ = write!(
            out,
            "<a href=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" \
             rx=\"6\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"18\" font-weight=\"bold\">{:02}</text>\
             <text x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\">{}</text></a>",
            escape(&tile.href),
            escape(&format!("{} {}: {}", tile.code, tile.name, tile.shown)),
            TILE - 4,
            TILE - 4,
            shade(tile.counted, tile.expected),
            x + 8,
            y + 24,
            tile.code,
            x + 8,
            y + 50,
            escape(&shorten(&tile.name, 16)),
            x + 8,
            y + 72,
            escape(&tile.shown),
        );
    }
    out.push_str("</svg>");
    out
}

/// Five steps from pale (nothing received) to the portal's teal (everything received).
fn shade(counted: u64, expected: u64) -> &'static str {
    const STEPS: [&str; 5] = ["#e8f4f6", "#b9e0e8", "#86cbd9", "#4fb3c8", "#1f93ab"];
    if expected == 0 {
        return "#eeeeee";
    }
    let step = u128::from(counted) * 4 / u128::from(expected);
    STEPS[usize::try_from(step).unwrap_or(4).min(4)]
}

/// A party's seats in [`hemicycle`]: its name, seats and colour.
#[derive(Debug, Clone)]
pub struct Wedge {
    /// The party's name, in the `<title>` of its seats.
    pub label: String,
    /// Its seats.
    pub seats: u32,
    /// `#rrggbb`.
    pub color: String,
}

const HEMI_WIDTH: f64 = 420.0;
const HEMI_OUTER: f64 = 200.0;

/// A parliament of `wedges` as a hemicycle: one dot per seat in concentric half-rings,
/// the parties from left to right in their order, each a wedge (seats coloured in order
/// of their angle). Rows grow with the square root of the house and each row holds seats
/// in proportion to its length. Floating point only places the dots (two decimals
/// written, so the bytes are the same on every run); the numbers are in the table beside.
pub fn hemicycle(title: &str, wedges: &[Wedge]) -> String {
    let total: u32 = wedges.iter().map(|it| it.seats).sum();
    let height = HEMI_OUTER + 20.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {HEMI_WIDTH} {height}\" \
         width=\"{HEMI_WIDTH}\" height=\"{height}\" font-family=\"DejaVu Sans, sans-serif\" \
         font-size=\"13\"><title>{}</title>",
        escape(title)
    );
    let places = seat_places(total);
    let (cx, cy) = (HEMI_WIDTH / 2.0, HEMI_OUTER + 10.0);
    let mut at: usize = 0;
    for wedge in wedges {
        let seats = usize::try_from(wedge.seats).unwrap_or(usize::MAX);
        let mine = places.get(at..at.saturating_add(seats).min(places.len())).unwrap_or(&[]);
        at += mine.len();
        if mine.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<g fill=\"{}\"><title>{}: {}</title>",
            escape(&wedge.color),
            escape(&wedge.label),
            wedge.seats
        );
        for (angle, radius, dot) in mine {
            let (x, y) = (cx - radius * angle.cos(), cy - radius * angle.sin());
            let _ = write!(out, "<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"{dot:.2}\"/>");
        }
        out.push_str("</g>");
    }
    let _ = write!(
        out,
        "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"28\">{total}</text></svg>",
        cy - 4.0
    );
    out
}

/// Where `seats` dots go: (angle from the left, radius, dot radius), in order of angle
/// from the left (then from the inside out).
fn seat_places(seats: u32) -> Vec<(f64, f64, f64)> {
    if seats == 0 {
        return Vec::new();
    }
    let n = f64::from(seats);
    let rows = (n / 4.0).sqrt().ceil().max(1.0);
    let inner = HEMI_OUTER * 0.4;
    let step = if rows > 1.0 { (HEMI_OUTER - inner) / (rows - 1.0) } else { 0.0 };
    let radii: Vec<f64> = (0..rows as u32).map(|row| inner + step * f64::from(row)).collect();
    let sum: f64 = radii.iter().sum();
    // Seats per row in proportion to its length; the outer row takes what rounding left.
    let mut per_row: Vec<u32> = radii.iter().map(|r| (n * r / sum).floor() as u32).collect();
    let placed: u32 = per_row.iter().sum();
    if let Some(last) = per_row.last_mut() {
        *last += seats - placed;
    }
    let spacing = (std::f64::consts::PI * HEMI_OUTER
        / f64::from(per_row.last().copied().unwrap_or(1)))
    .min(if rows > 1.0 { step } else { HEMI_OUTER });
    let dot = (spacing * 0.4).clamp(1.0, 12.0);
    let mut places = Vec::with_capacity(seats as usize);
    for (radius, count) in radii.iter().zip(&per_row) {
        for idx in 0..*count {
            let angle = if *count > 1 {
                std::f64::consts::PI * f64::from(idx) / f64::from(count - 1)
            } else {
                std::f64::consts::FRAC_PI_2
            };
            places.push((angle, *radius, dot));
        }
    }
    places.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    places
}
