//! Inline SVG of the forensics page: a histogram by 1 % bins, the turnout × leader-share
//! fingerprint as a heat map, and lines of votes by turnout.
//!
//! Hand-written for the reasons [`crate::svg`] gives (no `style` attributes under the
//! portal's CSP, `role="img"` with a `<title>`, byte-for-byte deterministic). Geometry is
//! integer arithmetic on whole counts; every number drawn is also in the table beside the
//! picture.

use std::fmt::Write as _;

use crate::svg::escape;

const LEFT: u64 = 60;
const TOP: u64 = 24;
const PLOT_W: u64 = 606;
const PLOT_H: u64 = 260;

fn open(title: &str, width: u64, height: u64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" font-family=\"DejaVu Sans, sans-serif\" \
         font-size=\"12\"><title>{}</title>",
        escape(title)
    )
}

/// The frame of a plot of 101 bins (0 to 100 %) with ticks every 10 %, and the axis labels.
fn frame(out: &mut String, x_label: &str, y_label: &str, max: u64) {
    let bottom = TOP + PLOT_H;
    let _ = write!(
        out,
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{PLOT_W}\" height=\"{PLOT_H}\" fill=\"#ffffff\" stroke=\"#888888\"/>"
    );
    for tick in (0..=100u64).step_by(10) {
        let x = LEFT + tick * PLOT_W / 101;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"#eeeeee\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>",
            bottom + 16
        );
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\
         <text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">{}</text>",
        LEFT + PLOT_W / 2,
        bottom + 34,
        escape(x_label),
        LEFT - 4,
        TOP + 10,
        LEFT - 4,
        bottom,
        TOP + PLOT_H / 2,
        TOP + PLOT_H / 2,
        escape(y_label),
    );
}

/// Vertical bars of `values` by 1 % bin (index = lower edge, 0 to 100).
pub fn histogram(title: &str, x_label: &str, y_label: &str, values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let mut out = open(title, LEFT + PLOT_W + 20, TOP + PLOT_H + 44);
    frame(&mut out, x_label, y_label, max);
    let bottom = TOP + PLOT_H;
    for (bin, &value) in values.iter().enumerate().take(101) {
        if value == 0 {
            continue;
        }
        let bin = bin as u64;
        let x = LEFT + bin * PLOT_W / 101;
        let width = (LEFT + (bin + 1) * PLOT_W / 101 - x).max(1);
        let height = (u128::from(value) * u128::from(PLOT_H) / u128::from(max)).max(1) as u64;
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"{height}\" fill=\"#1f93ab\"><title>{bin}–{} %: {value}</title></rect>",
            bottom - height,
            bin + 1
        );
    }
    out.push_str("</svg>");
    out
}

/// A line of [`lines`].
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// One value per 1 % bin.
    pub values: Vec<u64>,
    /// `#rrggbb`.
    pub color: &'static str,
    /// Drawn dashed.
    pub dashed: bool,
}

/// Lines of values by 1 % bin, with a vertical marker at `marker` (a bin) if given.
pub fn lines(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    marker: Option<(u64, &str)>,
) -> String {
    let max = series.iter().flat_map(|it| it.values.iter().copied()).max().unwrap_or(0).max(1);
    let legend = 18 * series.len() as u64;
    let mut out = open(title, LEFT + PLOT_W + 20, TOP + PLOT_H + 50 + legend);
    frame(&mut out, x_label, y_label, max);
    let bottom = TOP + PLOT_H;
    if let Some((bin, label)) = marker {
        let x = LEFT + bin * PLOT_W / 101 + PLOT_W / 202;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"#555555\" stroke-dasharray=\"2 3\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            x + 3,
            TOP + 12,
            escape(label)
        );
    }
    for (idx, line) in series.iter().enumerate() {
        let mut points = String::new();
        for (bin, &value) in line.values.iter().enumerate().take(101) {
            let x = LEFT + bin as u64 * PLOT_W / 101 + PLOT_W / 202;
            let y = bottom - (u128::from(value) * u128::from(PLOT_H) / u128::from(max)) as u64;
            let _ = write!(points, "{}{x},{y}", if points.is_empty() { "" } else { " " });
        }
        let dash = if line.dashed { " stroke-dasharray=\"6 4\"" } else { "" };
        let y = bottom + 50 + 18 * idx as u64;
        let _ = write!(
            out,
            "<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>\
             <line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>\
             <text x=\"{}\" y=\"{y}\">{}</text>",
            y - 4,
            LEFT + 24,
            y - 4,
            LEFT + 30,
            escape(&line.label),
            color = line.color,
        );
    }
    out.push_str("</svg>");
    out
}

/// The colours of the heat map, from one station to the most: a cell's colour is the
/// step of its count's base-2 logarithm against the largest cell's.
const HEAT: [&str; 6] = ["#d8eef3", "#a6d8e4", "#6fbfd2", "#3a9fbc", "#1f7896", "#0b4f6c"];

/// The fingerprint: `cells[turnout][share]` stations by 1 % of turnout (x) and of the
/// leader's share (y), on a logarithmic colour scale.
pub fn heatmap(title: &str, x_label: &str, y_label: &str, cells: &[Vec<u64>]) -> String {
    const SIDE: u64 = 303;
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let top_level = u64::from(max.ilog2());
    let mut out = open(title, LEFT + SIDE + 20, TOP + SIDE + 44);
    let bottom = TOP + SIDE;
    let _ = write!(
        out,
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{SIDE}\" height=\"{SIDE}\" fill=\"#ffffff\" stroke=\"#888888\"/>"
    );
    for (turnout, row) in cells.iter().enumerate().take(101) {
        for (share, &count) in row.iter().enumerate().take(101) {
            if count == 0 {
                continue;
            }
            let level = u64::from(count.ilog2()) * (HEAT.len() as u64 - 1) / top_level.max(1);
            let color = HEAT[usize::try_from(level).unwrap_or(0).min(HEAT.len() - 1)];
            let (x, y) = (LEFT + turnout as u64 * 3, bottom - (share as u64 + 1) * 3);
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"3\" height=\"3\" fill=\"{color}\"><title>{turnout} %, {share} %: {count}</title></rect>"
            );
        }
    }
    for tick in (0..=100u64).step_by(20) {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{tick}</text>",
            LEFT + tick * 3,
            bottom + 16,
            LEFT - 4,
            bottom - tick * 3 + 4,
        );
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">{}</text></svg>",
        LEFT + SIDE / 2,
        bottom + 34,
        escape(x_label),
        TOP + SIDE / 2,
        TOP + SIDE / 2,
        escape(y_label),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_per_non_empty_bin_and_the_tallest_fills_the_plot() {
        let mut values = vec![0u64; 101];
        values[40] = 3;
        values[61] = 12;
        values[100] = 1;
        let svg = histogram("T <&>", "x", "y", &values);
        assert_eq!(svg.matches("fill=\"#1f93ab\"").count(), 3);
        assert!(svg.contains(&format!("height=\"{PLOT_H}\" fill=\"#1f93ab\"")), "{svg}");
        assert!(svg.contains("<title>T &lt;&amp;&gt;</title>"));
        assert!(!svg.contains("style="));
        assert_eq!(svg, histogram("T <&>", "x", "y", &values), "deterministic");
    }

    #[test]
    fn the_heat_map_draws_each_occupied_cell_darkest_at_the_most() {
        let mut cells = vec![vec![0u64; 101]; 101];
        cells[60][70] = 1;
        cells[90][95] = 64;
        cells[55][50] = 8;
        let svg = heatmap("F", "x", "y", &cells);
        assert_eq!(svg.matches("width=\"3\" height=\"3\"").count(), 3);
        assert!(svg.contains(&format!("fill=\"{}\"><title>90 %, 95 %: 64", HEAT[5])), "{svg}");
        assert!(svg.contains(&format!("fill=\"{}\"><title>60 %, 70 %: 1", HEAT[0])), "{svg}");
    }

    #[test]
    fn lines_have_a_point_per_bin_and_a_legend_entry_each() {
        let series = [
            Series { label: "a".into(), values: vec![1; 101], color: "#000000", dashed: false },
            Series { label: "b".into(), values: vec![2; 101], color: "#111111", dashed: true },
        ];
        let svg = lines("V", "x", "y", &series, Some((61, "peak")));
        assert_eq!(svg.matches("<polyline").count(), 2);
        let points = svg.split("points=\"").nth(1).and_then(|it| it.split('"').next());
        assert_eq!(points.map(|it| it.split(' ').count()), Some(101));
        assert!(svg.contains(">peak</text>"));
    }
}
