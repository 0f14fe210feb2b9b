//! A synthetic country as the sampling frame of a quick count: every station with its
//! voters on the roll and whether it is in a town or a village.

use super::generation::SyntheticCountry;
use crate::pvt::frame::{Frame, FrameStation};

/// The frame's one extra attribute: `town` or `rural`.
pub const SETTLEMENT: &str = "settlement";

impl SyntheticCountry {
    /// The frame of the published protocols: each station's roll and its settlement.
    pub fn frame(&self) -> Frame {
        let stations = self
            .protocols
            .iter()
            .zip(&self.settlements)
            .map(|(protocol, settlement)| FrameStation {
                station: protocol.station(),
                voters_on_roll: protocol.lines().voters_on_roll.0,
                attributes: vec![settlement.as_str().to_owned()],
            })
            .collect();
        Frame::new(vec![SETTLEMENT.to_owned()], stations)
            .expect("a synthetic country has distinct stations and one settlement each")
    }
}
