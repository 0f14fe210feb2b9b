//! A parliament hemicycle: one dot per seat in concentric half-rings, parties from left
//! to right in their order, with a legend of seats.
//!
//! Written by hand (no crate draws hemicycles): rows grow with the square root of the
//! house, each row holds seats in proportion to its length, and seats are coloured in
//! order of their angle so that each party forms one wedge.

use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingAreaErrorKind, DrawingBackend, Text};
use plotters::style::{BLACK, Color, IntoFont};

use crate::ChartVariant;
use crate::palette::party_color;

/// A seat's position on the unit half-disc: angle (π at the left, 0 at the right) and
/// radius, and the dot radius that fits all seats.
struct Layout {
    seats: Vec<(f64, f64)>,
    dot: f64,
}

/// Seat positions for a house of `n_seats`.
fn layout(n_seats: u32) -> Layout {
    if n_seats == 0 {
        return Layout { seats: Vec::new(), dot: 0.0 };
    }
    let n = f64::from(n_seats);
    let rows = ((n / 4.5).sqrt().ceil() as u32).clamp(1, 16).min(n_seats);
    let radii: Vec<f64> = (0..rows)
        .map(|row| if rows == 1 { 1.0 } else { 0.45 + 0.55 * f64::from(row) / f64::from(rows - 1) })
        .collect();
    let per_row = seats_per_row(n_seats, &radii);
    let mut seats = Vec::with_capacity(n_seats as usize);
    let mut dot = f64::MAX;
    for (radius, count) in radii.iter().zip(&per_row) {
        for seat in 0..*count {
            let angle = if *count == 1 {
                std::f64::consts::FRAC_PI_2
            } else {
                std::f64::consts::PI * (1.0 - f64::from(seat) / f64::from(count - 1))
            };
            seats.push((angle, *radius));
        }
        if *count > 1 {
            dot = dot.min(std::f64::consts::PI * radius / f64::from(count - 1) / 2.0);
        }
    }
    if rows > 1 {
        dot = dot.min(0.55 / f64::from(rows - 1) / 2.0);
    }
    // Left to right; on the same angle, inner rows first.
    seats.sort_by(|left, right| right.0.total_cmp(&left.0).then(left.1.total_cmp(&right.1)));
    Layout { seats, dot: dot.min(0.12) * 0.85 }
}

/// Seats of each row in proportion to its radius, at least one each, summing to `n_seats`.
fn seats_per_row(n_seats: u32, radii: &[f64]) -> Vec<u32> {
    let total_radius: f64 = radii.iter().sum();
    let exact: Vec<f64> =
        radii.iter().map(|radius| f64::from(n_seats) * radius / total_radius).collect();
    let mut counts: Vec<u32> = exact.iter().map(|value| (value.floor() as u32).max(1)).collect();
    let mut order: Vec<usize> = (0..radii.len()).collect();
    order.sort_by(|&left, &right| {
        (exact[right] - exact[right].floor()).total_cmp(&(exact[left] - exact[left].floor()))
    });
    let mut given: u32 = counts.iter().sum();
    let mut cursor = 0;
    while given < n_seats {
        counts[order[cursor % order.len()]] += 1;
        given += 1;
        cursor += 1;
    }
    // Minimums of one can overshoot in tiny houses: take back from the outer rows.
    let mut row = counts.len();
    while given > n_seats && row > 0 {
        row -= 1;
        if counts[row] > 1 {
            counts[row] -= 1;
            given -= 1;
            row += 1;
        }
    }
    counts
}

/// Draws `variant` as a hemicycle in `cell`.
pub(crate) fn draw<DB: DrawingBackend>(
    cell: &DrawingArea<DB, Shift>,
    variant: &ChartVariant,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = cell.dim_in_pixel();
    let (width, height) = (f64::from(width), f64::from(height));
    cell.draw(&Text::new(variant.label.clone(), (12, 6), ("sans-serif", 18).into_font()))?;
    let total: u32 = variant.parties.iter().map(|party| party.seats).sum();
    let legend_rows = seated(variant).count().div_ceil(2);
    let legend_height = 20.0 * legend_rows as f64;
    let layout = layout(total);
    // The outermost dots stick out by one dot radius: keep them inside the cell.
    let room = ((width / 2.0) - 12.0).min(height - legend_height - 60.0).max(10.0);
    let radius = room / (1.0 + layout.dot);
    let centre = (width / 2.0, 36.0 + room);
    let dot = (layout.dot * radius).max(1.0);
    let mut seats = layout.seats.iter();
    for (position, party) in variant.parties.iter().enumerate() {
        let style = party_color(position, party.color.as_deref()).filled();
        for (angle, ring) in seats.by_ref().take(party.seats as usize) {
            let x = centre.0 + ring * radius * angle.cos();
            let y = centre.1 - ring * radius * angle.sin();
            cell.draw(&Circle::new((x as i32, y as i32), dot as i32, style))?;
        }
    }
    let total_text = Text::new(
        total.to_string(),
        ((centre.0 - 14.0) as i32, (centre.1 - 24.0) as i32),
        ("sans-serif", 22).into_font().color(&BLACK),
    );
    cell.draw(&total_text)?;
    draw_legend(cell, variant, centre.1 + dot + 10.0, width)
}

/// The parties that won seats, with their positions (which fix their colours).
fn seated(variant: &ChartVariant) -> impl Iterator<Item = (usize, &crate::ChartParty)> {
    variant.parties.iter().enumerate().filter(|(_, party)| party.seats > 0)
}

/// Two columns of "● party seats" under the hemicycle, for the parties with seats (the
/// bar chart shows every party).
fn draw_legend<DB: DrawingBackend>(
    cell: &DrawingArea<DB, Shift>,
    variant: &ChartVariant,
    top: f64,
    width: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let rows = seated(variant).count().div_ceil(2).max(1);
    let max_chars = ((width / 2.0 - 40.0) / 8.0).max(6.0) as usize;
    for (slot, (position, party)) in seated(variant).enumerate() {
        let column = (slot / rows) as f64;
        let row = (slot % rows) as f64;
        let x = 12.0 + column * width / 2.0;
        let y = top + row * 20.0;
        let style = party_color(position, party.color.as_deref()).filled();
        cell.draw(&Circle::new(((x + 6.0) as i32, (y + 8.0) as i32), 6, style))?;
        let label = format!("{} {}", shorten(&party.label, max_chars), party.seats);
        cell.draw(&Text::new(
            label,
            ((x + 16.0) as i32, y as i32),
            ("sans-serif", 14).into_font(),
        ))?;
    }
    Ok(())
}

/// At most `limit` characters, with an ellipsis when cut.
pub(crate) fn shorten(label: &str, limit: usize) -> String {
    if label.chars().count() <= limit {
        return label.to_owned();
    }
    let mut short: String = label.chars().take(limit - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seat_has_a_place() {
        for n_seats in [1, 2, 3, 10, 69, 98, 107, 180, 265, 709] {
            let layout = layout(n_seats);
            assert_eq!(layout.seats.len(), n_seats as usize, "{n_seats} seats");
            assert!(layout.dot > 0.0);
            let angles_ordered = layout.seats.windows(2).all(|pair| pair[0].0 >= pair[1].0);
            assert!(angles_ordered, "seats run left to right");
        }
        assert!(layout(0).seats.is_empty());
    }

    #[test]
    fn rows_hold_seats_in_proportion() {
        assert_eq!(seats_per_row(10, &[1.0]), [10]);
        let rows = seats_per_row(98, &[0.45, 0.6375, 0.825, 1.0125, 1.2]);
        assert_eq!(rows.iter().sum::<u32>(), 98);
        assert!(rows.windows(2).all(|pair| pair[0] <= pair[1]), "{rows:?}");
    }
}
