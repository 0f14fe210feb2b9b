//! Inline SVG of the observation pages and the observer report: official against observed
//! turnout per station, quick-count intervals against the official figures, findings per
//! region as stacked bars, and a tile cartogram of refusals.
//!
//! Hand-written for the reasons [`crate::svg`] gives (no `style` attributes under the
//! portal's CSP, `role="img"` with a `<title>`, byte-for-byte deterministic): integer
//! geometry on values in fixed-point units parsed from the view models' decimal strings,
//! never floats. Every number drawn is also in the table beside the picture.

use std::fmt::Write as _;

use crate::svg::{TILE, TILE_PLACES, escape, shorten};

/// The colour of a matching copy.
pub const MATCH: &str = "#1f93ab";
/// The colour of a mismatching copy.
pub const MISMATCH: &str = "#c0392b";
/// The colour of a refusal (refused, not admitted, removed).
pub const REFUSED: &str = "#e67e22";
/// The colour of a missing copy or protocol.
pub const MISSING: &str = "#bbbbbb";

/// A decimal string (`"63.2456"`, `"-0.5"`) as an integer in units of 10^-`decimals`;
/// negative values are 0, extra digits are cut.
pub fn units(text: &str, decimals: u32) -> u64 {
    let text = text.trim();
    if text.starts_with('-') || text.starts_with('−') {
        return 0;
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = whole.parse().unwrap_or(0);
    let mut frac_units = 0u64;
    for (idx, ch) in frac.chars().take(decimals as usize).enumerate() {
        let digit = u64::from(ch.to_digit(10).unwrap_or(0));
        frac_units += digit * 10u64.pow(decimals - 1 - idx as u32);
    }
    whole * 10u64.pow(decimals) + frac_units
}

fn open(title: &str, width: u64, height: u64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" font-family=\"DejaVu Sans, sans-serif\" \
         font-size=\"12\"><title>{}</title>",
        escape(title)
    )
}

/// A point of [`scatter`]: official and observed turnout in units of 0.0001 %.
#[derive(Debug, Clone)]
pub struct Point {
    /// The station, shown on hover.
    pub label: String,
    /// Official turnout, 0 to 1,000,000.
    pub official: u64,
    /// Observed turnout, 0 to 1,000,000.
    pub copy: u64,
    /// Whether the copy differs.
    pub mismatch: bool,
}

/// Official (y) against observed (x) turnout per station, 0 to 100 % on both axes, with
/// the diagonal where the two are equal: stuffing puts a station above it.
pub fn scatter(title: &str, x_label: &str, y_label: &str, points: &[Point]) -> String {
    const SIDE: u64 = 400;
    const LEFT: u64 = 60;
    const TOP: u64 = 20;
    const FULL: u64 = 1_000_000;
    let mut out = open(title, LEFT + SIDE + 30, TOP + SIDE + 60);
    let (x0, y1) = (LEFT, TOP + SIDE);
    let _ = write!(
        out,
        "<rect x=\"{x0}\" y=\"{TOP}\" width=\"{SIDE}\" height=\"{SIDE}\" fill=\"#ffffff\" stroke=\"#888888\"/>"
    );
    for tick in (0..=100u64).step_by(20) {
        let offset = tick * SIDE / 100;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{y1}\" stroke=\"#eeeeee\"/>\
             <line x1=\"{x0}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#eeeeee\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{tick}</text>",
            x0 + SIDE,
            y1 + 16,
            x0 - 6,
            y1 - offset + 4,
            x = x0 + offset,
            y = y1 - offset,
        );
    }
    let _ = write!(
        out,
        "<line x1=\"{x0}\" y1=\"{y1}\" x2=\"{}\" y2=\"{TOP}\" stroke=\"#555555\" stroke-dasharray=\"4 3\"/>",
        x0 + SIDE
    );
    for point in points {
        let cx = x0 + point.copy.min(FULL) * SIDE / FULL;
        let cy = y1 - point.official.min(FULL) * SIDE / FULL;
        let color = if point.mismatch { MISMATCH } else { MATCH };
        let _ = write!(
            out,
            "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"3\" fill=\"{color}\" fill-opacity=\"0.7\"><title>{}</title></circle>",
            escape(&point.label)
        );
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text></svg>",
        x0 + SIDE / 2,
        y1 + 40,
        escape(x_label),
        TOP + SIDE / 2,
        TOP + SIDE / 2,
        escape(y_label),
    );
    out
}

/// A row of [`intervals`], in units of 0.01 %.
#[derive(Debug, Clone)]
pub struct Interval {
    /// The figure.
    pub label: String,
    /// Lower end.
    pub lower: u64,
    /// Estimate.
    pub estimate: u64,
    /// Upper end.
    pub upper: u64,
    /// The official figure.
    pub official: Option<u64>,
    /// A threshold to draw on the row (a list's 7 %), if any.
    pub threshold: Option<u64>,
}

/// Each figure's interval (bar), estimate (dot) and official figure (red diamond), on one
/// scale from 0 to a round maximum.
pub fn intervals(title: &str, rows: &[Interval]) -> String {
    const LABEL: u64 = 170;
    const PLOT: u64 = 520;
    const ROW: u64 = 30;
    let top = rows
        .iter()
        .flat_map(|row| [row.upper, row.official.unwrap_or(0)])
        .max()
        .unwrap_or(0)
        .max(1);
    // A maximum of whole tens of percent above every value.
    let max = top.div_ceil(1000) * 1000;
    let height = ROW * rows.len() as u64 + 40;
    let mut out = open(title, LABEL + PLOT + 30, height);
    let x = |value: u64| LABEL + value.min(max) * PLOT / max;
    let bottom = ROW * rows.len() as u64 + 8;
    for tick in (0..=max).step_by(1000) {
        let _ = write!(
            out,
            "<line x1=\"{0}\" y1=\"4\" x2=\"{0}\" y2=\"{bottom}\" stroke=\"#eeeeee\"/>\
             <text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">{2}</text>",
            x(tick),
            bottom + 16,
            tick / 100
        );
    }
    for (idx, row) in rows.iter().enumerate() {
        let y = ROW * idx as u64 + 20;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{MATCH}\" stroke-width=\"6\"/>\
             <circle cx=\"{}\" cy=\"{y}\" r=\"5\" fill=\"#0b4f5e\"/>",
            LABEL - 8,
            y + 4,
            escape(&shorten(&row.label, 24)),
            x(row.lower),
            x(row.upper).max(x(row.lower) + 1),
            x(row.estimate),
        );
        if let Some(threshold) = row.threshold {
            let _ = write!(
                out,
                "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555555\" stroke-dasharray=\"2 2\"/>",
                x(threshold),
                y - 10,
                y + 10
            );
        }
        if let Some(official) = row.official {
            diamond(&mut out, x(official), y);
        }
    }
    out.push_str("</svg>");
    out
}

/// The official figure's mark at (`cx`, `y`).
fn diamond(out: &mut String, cx: u64, y: u64) {
    let _ = write!(
        out,
        "<path d=\"M{cx} {} L{} {y} L{cx} {} L{} {y} Z\" fill=\"{MISMATCH}\"/>",
        y - 7,
        cx + 7,
        y + 7,
        cx - 7
    );
}

/// A segment of a [`stacked`] bar.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Its count.
    pub value: u64,
    /// `#rrggbb`.
    pub color: &'static str,
}

/// One horizontal stacked bar per row, all on one scale, with the total at the end and a
/// legend below.
pub fn stacked(
    title: &str,
    rows: &[(String, Vec<Segment>)],
    legend: &[(String, &'static str)],
) -> String {
    const LABEL: u64 = 190;
    const PLOT: u64 = 480;
    const ROW: u64 = 22;
    let total = |segments: &[Segment]| segments.iter().map(|it| it.value).sum::<u64>();
    let max = rows.iter().map(|(_, segments)| total(segments)).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u64 + 34;
    let mut out = open(title, LABEL + PLOT + 70, height);
    for (idx, (label, segments)) in rows.iter().enumerate() {
        let y = ROW * idx as u64 + 4;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL - 6,
            y + 13,
            escape(&shorten(label, 28))
        );
        let mut x = LABEL;
        for segment in segments {
            let len = segment.value * PLOT / max;
            if len > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{len}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>",
                    ROW - 6,
                    segment.color,
                    segment.value
                );
            }
            x += len;
        }
        let _ = write!(out, "<text x=\"{}\" y=\"{}\">{}</text>", x + 6, y + 13, total(segments));
    }
    let y = ROW * rows.len() as u64 + 14;
    let mut x = LABEL;
    for (name, color) in legend {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            x + 16,
            y + 11,
            escape(name)
        );
        x += 24 + 8 * name.chars().count() as u64;
    }
    out.push_str("</svg>");
    out
}

/// A region's tile of [`refusal_map`].
#[derive(Debug, Clone)]
pub struct RefusalTile {
    /// The region's code, 1 to 17.
    pub code: u8,
    /// Its name.
    pub name: String,
    /// Where the tile links to, if anywhere.
    pub href: Option<String>,
    /// Stations refused, not admitted or removed.
    pub refused: u64,
    /// Stations an observer reported on.
    pub observed: u64,
}

/// The 17 regions as tiles, placed as in [`crate::svg::cartogram`], shaded by the share of
/// observed stations where a copy was refused or the observer kept out or removed.
pub fn refusal_map(title: &str, tiles: &[RefusalTile]) -> String {
    let (width, height) = (TILE * 5 + 10, TILE * 4 + 10);
    let mut out = open(title, width, height);
    for (code, col, row) in TILE_PLACES {
        let Some(tile) = tiles.iter().find(|tile| tile.code == code) else { continue };
        let (x, y) = (col * TILE + 5, row * TILE + 5);
        let shown = format!("{} / {}", tile.refused, tile.observed);
        let body = format!(
            "<title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"6\" \
             fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"18\" font-weight=\"bold\">{:02}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            escape(&format!("{code:02} {}: {shown}", tile.name)),
            TILE - 4,
            TILE - 4,
            shade(tile.refused, tile.observed),
            x + 8,
            y + 24,
            code,
            x + 8,
            y + 50,
            escape(&shorten(&tile.name, 16)),
            x + 8,
            y + 72,
            escape(&shown),
        );
        match &tile.href {
            Some(href) => {
                let _ = write!(out, "<a href=\"{}\">{body}</a>", escape(href));
            }
            None => out.push_str(&body),
        }
    }
    out.push_str("</svg>");
    out
}

/// Five steps from pale (no refusal) to dark orange (half or more refused); grey when no
/// station of the region was observed.
fn shade(refused: u64, observed: u64) -> &'static str {
    const STEPS: [&str; 5] = ["#fdf2e9", "#f8c99c", "#f0a35e", "#e67e22", "#a04000"];
    if observed == 0 {
        return "#eeeeee";
    }
    if refused == 0 {
        return STEPS[0];
    }
    // 1 to 4: a quarter of the way to half refused per step.
    let step = 1 + u128::from(refused) * 8 / u128::from(observed);
    STEPS[usize::try_from(step).unwrap_or(4).min(4)]
}

#[cfg(test)]
mod tests {
    use super::units;

    #[test]
    fn decimal_strings_become_fixed_point() {
        assert_eq!(units("63.2456", 4), 632_456);
        assert_eq!(units("63.2", 4), 632_000);
        assert_eq!(units("7", 2), 700);
        assert_eq!(units("12.345", 2), 1234);
        assert_eq!(units("-0.5", 2), 0);
    }
}
