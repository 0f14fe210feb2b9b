//! The rule codes of quick-count inputs (`docs/pvt.md`, "Rules").

/// The frame file cannot be read, or does not start with `# saylau-stations v1`.
pub const FRAME_FILE: &str = "Q-1";
/// A frame row is bad: its station id, its roll, its number of fields, or a repeated
/// station.
pub const FRAME_ROW: &str = "Q-2";
/// The plan file cannot be read or has a bad field.
pub const PLAN_FILE: &str = "Q-3";
/// The plan's strata do not cover the frame's stations, or its counts differ from the
/// frame's.
pub const PLAN_COVERAGE: &str = "Q-4";
/// The frame is not the one the plan was made from (its SHA-256 differs).
pub const FRAME_MISMATCH: &str = "Q-5";
/// The draw file is not the lot of its seed over the frame, or not the plan's sample.
pub const DRAW_MISMATCH: &str = "Q-6";
/// A report is for a station that is not in the frame.
pub const UNKNOWN_STATION: &str = "Q-7";
/// A report is for a station that was not drawn into the sample.
pub const NOT_SAMPLED: &str = "Q-8";
/// The reports' or the official file's lists are not the same lists.
pub const LISTS_DIFFER: &str = "Q-9";
/// The design cannot be made (too little history, a bad margin or size).
pub const DESIGN: &str = "Q-10";
/// The seat rules cannot be applied to the estimates.
pub const SEAT_RULES: &str = "Q-11";
/// The official protocols do not cover exactly the frame's stations.
pub const OFFICIAL_COVERAGE: &str = "Q-12";
