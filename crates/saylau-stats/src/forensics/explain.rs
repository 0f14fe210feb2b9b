//! What every forensic result carries: its definition, its assumptions, the known artifacts
//! that can mimic manipulation, and which stations it kept or dropped and why.

use serde::Serialize;

/// The words that go with a test's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// What is computed, in one or two sentences.
    pub definition: String,
    /// What must hold for the numbers to mean what they seem to.
    pub assumptions: Vec<String>,
    /// Known artifacts (small stations, rounding, urban/rural mix) that produce the same
    /// pattern without any manipulation.
    pub artifacts: Vec<String>,
}

impl Explanation {
    /// Builds an explanation from static text.
    pub fn new(definition: &str, assumptions: &[&str], artifacts: &[&str]) -> Explanation {
        Explanation {
            definition: definition.to_owned(),
            assumptions: assumptions.iter().map(|&it| it.to_owned()).collect(),
            artifacts: artifacts.iter().map(|&it| it.to_owned()).collect(),
        }
    }
}

/// The sentence every report repeats.
pub const CAVEAT: &str = "these tests suggest, they do not prove: a pattern that fraud would \
    produce can also come from small stations, rounding, or a mix of urban and rural areas";

/// Stations kept by a test, and those dropped with the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// Stations kept.
    pub kept: usize,
    /// Stations dropped, by the first rule they failed, in the order of the rules.
    pub dropped: Vec<Dropped>,
}

/// Stations dropped for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// The rule, in words.
    pub reason: String,
    /// How many stations.
    pub stations: usize,
}

impl Selection {
    /// Counts a station dropped for `reason` (a fixed wording).
    pub fn drop_for(&mut self, reason: &str) {
        match self.dropped.iter_mut().find(|it| it.reason == reason) {
            Some(it) => it.stations += 1,
            None => self.dropped.push(Dropped { reason: reason.to_owned(), stations: 1 }),
        }
    }

    /// Stations dropped in all.
    pub fn dropped_total(&self) -> usize {
        self.dropped.iter().map(|it| it.stations).sum()
    }
}
