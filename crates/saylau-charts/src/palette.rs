//! Party colours: a colour-blind-safe palette by position, or the colour a file gives.

use plotters::style::RGBColor;

/// Okabe-Ito's eight colours (distinguishable with the common colour-vision deficiencies),
/// then a few more.
const PALETTE: [(u8, u8, u8); 10] = [
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (240, 228, 66),
    (0, 0, 0),
    (153, 153, 153),
    (117, 112, 179),
];

/// The colour of the party at `position`, or `hex` (`#rrggbb`) when it parses.
pub fn party_color(position: usize, hex: Option<&str>) -> RGBColor {
    if let Some(color) = hex.and_then(parse_hex) {
        return color;
    }
    let (red, green, blue) = PALETTE[position % PALETTE.len()];
    RGBColor(red, green, blue)
}

fn parse_hex(hex: &str) -> Option<RGBColor> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 {
        return None;
    }
    let channel = |range: std::ops::Range<usize>| u8::from_str_radix(digits.get(range)?, 16).ok();
    Some(RGBColor(channel(0..2)?, channel(2..4)?, channel(4..6)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_by_position_or_hex() {
        assert_eq!(party_color(0, None), RGBColor(0, 114, 178));
        assert_eq!(party_color(10, None), party_color(0, None));
        assert_eq!(party_color(3, Some("#ff0080")), RGBColor(255, 0, 128));
        assert_eq!(party_color(1, Some("red")), party_color(1, None));
    }
}
