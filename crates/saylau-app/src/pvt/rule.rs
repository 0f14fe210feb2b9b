//! The rule codes of quick-count inputs (`docs/pvt.md`, "Rules"): the variants of
//! [`QuickCountRule`], named here as constants for the quick count's readers.

pub use saylau_formats::rule::QuickCountRule;

/// The frame file cannot be read, or does not start with `# saylau-stations v1`.
pub const FRAME_FILE: QuickCountRule = QuickCountRule::FrameFile;
/// A frame row is bad: its station id, its roll, its number of fields, or a repeated
/// station.
pub const FRAME_ROW: QuickCountRule = QuickCountRule::FrameRow;
/// The plan file cannot be read or has a bad field.
pub const PLAN_FILE: QuickCountRule = QuickCountRule::PlanFile;
/// The plan's strata do not cover the frame's stations, or its counts differ from the
/// frame's.
pub const PLAN_COVERAGE: QuickCountRule = QuickCountRule::PlanCoverage;
/// The frame is not the one the plan was made from (its SHA-256 differs).
pub const FRAME_MISMATCH: QuickCountRule = QuickCountRule::FrameMismatch;
/// The draw file is not the lot of its seed over the frame, or not the plan's sample.
pub const DRAW_MISMATCH: QuickCountRule = QuickCountRule::DrawMismatch;
/// A report is for a station that is not in the frame.
pub const UNKNOWN_STATION: QuickCountRule = QuickCountRule::UnknownStation;
/// A report is for a station that was not drawn into the sample.
pub const NOT_SAMPLED: QuickCountRule = QuickCountRule::NotSampled;
/// The reports' or the official file's lists are not the same lists.
pub const LISTS_DIFFER: QuickCountRule = QuickCountRule::ListsDiffer;
/// The design cannot be made (too little history, a bad margin or size).
pub const DESIGN: QuickCountRule = QuickCountRule::Design;
/// The seat rules cannot be applied to the estimates.
pub const SEAT_RULES: QuickCountRule = QuickCountRule::SeatRules;
/// The official protocols do not cover exactly the frame's stations.
pub const OFFICIAL_COVERAGE: QuickCountRule = QuickCountRule::OfficialCoverage;
