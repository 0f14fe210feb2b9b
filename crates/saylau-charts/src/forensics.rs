//! Forensic charts: line charts of values by percentage bin (turnout and share histograms,
//! votes by turnout) and the turnout × leader-share fingerprint as a heat map.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{
    BitMapBackend, ChartBuilder, DrawingArea, DrawingBackend, IntoDrawingArea, PathElement,
    Rectangle, SVGBackend, SeriesLabelPosition,
};
use plotters::style::{BLACK, Color, HSLColor, RGBColor, WHITE};

use crate::{ChartError, register_font};

/// One line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Legend label.
    pub label: String,
    /// One value per bin.
    pub values: Vec<f64>,
}

/// A forensic chart.
#[derive(Debug, Clone, PartialEq)]
pub enum ForensicChart {
    /// Lines of values by bins of `bin_width` percentage points from 0.
    Lines {
        /// Title.
        title: String,
        /// The x axis label.
        x_label: String,
        /// The y axis label.
        y_label: String,
        /// Bin width, percentage points.
        bin_width: f64,
        /// The lines.
        lines: Vec<Line>,
    },
    /// Counts by 1 % of x (rows) × 1 % of y (columns), on a logarithmic colour scale.
    Heatmap {
        /// Title.
        title: String,
        /// The x axis label (rows).
        x_label: String,
        /// The y axis label (columns).
        y_label: String,
        /// The counts.
        cells: Vec<Vec<u64>>,
    },
}

const SIZE: (u32, u32) = (900, 600);
const LINE_COLORS: [RGBColor; 4] =
    [RGBColor(0, 114, 178), RGBColor(213, 94, 0), RGBColor(0, 158, 115), RGBColor(120, 120, 120)];

/// The chart as SVG text.
pub fn forensic_svg(chart: &ForensicChart) -> Result<String, ChartError> {
    register_font();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&area, chart)?;
    }
    Ok(svg)
}

/// Writes the chart to `path`, SVG or PNG by its extension.
pub fn write_forensic_chart(path: &Path, chart: &ForensicChart) -> Result<(), ChartError> {
    register_font();
    let extension = path.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("svg") => draw(&SVGBackend::new(path, SIZE).into_drawing_area(), chart),
        Some("png") => draw(&BitMapBackend::new(path, SIZE).into_drawing_area(), chart),
        _ => Err(ChartError::UnknownFormat(path.display().to_string())),
    }
}

fn failed(err: &dyn std::fmt::Display) -> ChartError {
    ChartError::Drawing(err.to_string())
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ForensicChart,
) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(|err| failed(&err))?;
    match chart {
        ForensicChart::Lines { title, x_label, y_label, bin_width, lines } => {
            draw_lines(root, (title, x_label, y_label), *bin_width, lines)?;
        }
        ForensicChart::Heatmap { title, x_label, y_label, cells } => {
            draw_heatmap(root, (title, x_label, y_label), cells)?;
        }
    }
    root.present().map_err(|err| failed(&err))
}

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (title, x_label, y_label): (&str, &str, &str),
    bin_width: f64,
    lines: &[Line],
) -> Result<(), ChartError> {
    let n = lines.iter().map(|line| line.values.len()).max().unwrap_or(0);
    if n == 0 {
        return Err(ChartError::Empty);
    }
    let top = lines.iter().flat_map(|line| &line.values).fold(0.0f64, |a, &b| a.max(b));
    let mut ctx = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..(n as f64 * bin_width), 0.0..(top * 1.05).max(1.0))
        .map_err(|err| failed(&err))?;
    ctx.configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|err| failed(&err))?;
    for (idx, line) in lines.iter().enumerate() {
        let color = LINE_COLORS[idx % LINE_COLORS.len()];
        let points: Vec<(f64, f64)> = line
            .values
            .iter()
            .enumerate()
            .map(|(bin, &value)| ((bin as f64 + 0.5) * bin_width, value))
            .collect();
        ctx.draw_series(std::iter::once(PathElement::new(points, color.stroke_width(2))))
            .map_err(|err| failed(&err))?
            .label(line.label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    ctx.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(|err| failed(&err))
}

fn draw_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (title, x_label, y_label): (&str, &str, &str),
    cells: &[Vec<u64>],
) -> Result<(), ChartError> {
    let rows = cells.len();
    let cols = cells.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return Err(ChartError::Empty);
    }
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let mut ctx = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..rows as f64, 0.0..cols as f64)
        .map_err(|err| failed(&err))?;
    ctx.configure_mesh()
        .disable_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|err| failed(&err))?;
    let squares = cells.iter().enumerate().flat_map(|(x, row)| {
        row.iter().enumerate().filter(|&(_, &count)| count > 0).map(move |(y, &count)| {
            // Logarithmic scale from light yellow (1) to dark red (max).
            let level = (count as f64).ln_1p() / max.ln_1p();
            let color = HSLColor(0.15 * (1.0 - level), 0.9, 0.85 - 0.55 * level);
            Rectangle::new([(x as f64, y as f64), (x as f64 + 1.0, y as f64 + 1.0)], color.filled())
        })
    });
    ctx.draw_series(squares).map_err(|err| failed(&err))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{ForensicChart, Line, forensic_svg, write_forensic_chart};

    #[test]
    fn lines_and_heatmap_draw_as_svg_and_png() {
        let lines = ForensicChart::Lines {
            title: "Явка / Turnout".to_owned(),
            x_label: "turnout %".to_owned(),
            y_label: "stations".to_owned(),
            bin_width: 1.0,
            lines: vec![Line {
                label: "stations".to_owned(),
                values: (0..100).map(f64::from).collect(),
            }],
        };
        let svg = forensic_svg(&lines).expect("an SVG");
        assert!(svg.starts_with("<svg") && svg.contains("Turnout"));
        let cells = vec![vec![0, 1, 5], vec![2, 0, 9]];
        let heatmap = ForensicChart::Heatmap {
            title: "t".to_owned(),
            x_label: "x".to_owned(),
            y_label: "y".to_owned(),
            cells,
        };
        assert_eq!(forensic_svg(&heatmap).expect("an SVG").matches("<rect").count(), 1 + 4);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("f.png");
        write_forensic_chart(&path, &heatmap).expect("a PNG");
        assert_eq!(&std::fs::read(&path).expect("written")[1..4], b"PNG");
    }
}
