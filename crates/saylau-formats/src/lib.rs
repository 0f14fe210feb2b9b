//! saylau-formats: versioned election files read into validated saylau-core types.
//!
//! The crate sits just above `saylau-core`: it reads TOML election files (format v1,
//! specified in `docs/election-format.md`), applies `--set` overrides, and hands back a
//! core `Contest` and `Rules`, or every problem it found as [`Diagnostics`] with file,
//! line, field and a stable rule code (see [`rule`]). Start at [`parse_election`] and
//! [`read_election`].
//!
//! The modules are private and their public items are exported here, once each, so that
//! every item has one path.

mod calendar;
mod candidate_list;
mod commissions;
mod contest;
mod council;
mod csv;
mod diagnostic;
mod districts;
mod document;
mod election;
mod eligibility;
mod field;
mod finance;
mod funding;
mod header;
mod json_keys;
pub mod limit;
mod lot;
pub mod marked_csv;
mod mixed;
mod model;
mod open_list;
mod r#override;
mod party_registration;
mod plurality;
mod protocol_csv;
mod protocol_file;
mod protocol_json;
mod protocol_stream;
mod published_table;
mod recorded;
mod repeat;
pub mod rule;
mod rules;
mod station_table;
mod system;

pub use calendar::{CalendarFile, CalendarMeta, parse_calendar, read_calendar};
pub use candidate_list::{House, ListsFile, ListsMeta, parse_lists, read_lists};
pub use commissions::{
    REGISTER_COLUMNS, REGISTER_MARKER, RegisterFile, breach_diagnostic, parse_register,
    read_register, write_register,
};
pub use council::{
    CouncilRuleFile, CouncilVoteFile, parse_council_rules, parse_council_vote, read_council_rules,
    read_council_vote,
};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use districts::DistrictMeta;
pub use election::{
    DataSource, ElectionFile, ElectionMeta, FORMAT, Scenario, parse_election, read_election,
};
pub use eligibility::{
    CandidatesFile, CandidatesMeta, OFFICES, parse_candidates, parse_candidates_csv,
    parse_rule_set, read_candidates, read_rule_set,
};
pub use finance::{
    FinanceRulesFile, parse_finance_rules, parse_ledger, read_finance_rules, read_ledger,
};
pub use funding::{FundingFile, FundingMeta, parse_funding, read_funding};
pub use lot::{
    CommissionFile, LotFile, LotMeta, parse_commission, parse_lot, read_commission, read_lot,
};
pub use model::{DistrictVotesModel, VoteModel};
pub use open_list::OpenLists;
pub use r#override::Override;
pub use party_registration::{
    MembershipFile, RegimesFile, parse_membership, parse_regimes, read_membership, read_regimes,
};
pub use plurality::{
    PartyName, PluralityFile, PluralityMeta, parse_plurality, parse_plurality_csv, read_plurality,
};
pub use protocol_csv::{parse_protocols_csv, read_protocols_csv, write_protocols_csv};
pub use protocol_file::{
    Omitted, PROTOCOL_FORMAT, PROTOCOL_FORMAT_V2, ProtocolFile, ProtocolLimits, ProtocolSet,
    RejectedRow, read_protocols, read_protocols_limited,
};
pub use protocol_json::{parse_protocols_json, parse_protocols_json_limited, write_protocols_json};
pub use protocol_stream::{ProtocolChunk, ProtocolStream};
pub use published_table::{
    PublishedTableFile, PublishedTableMeta, parse_published_table, read_published_table,
};
pub use repeat::{RepeatRules, parse_repeat_rules, read_repeat_rules};
pub use rules::method_names;
pub use station_table::{
    BUNDLED_OTHER_LINES, RejectedStation, StationColumns, StationRow, StationTable,
    parse_station_columns, parse_station_table, read_station_table,
};
pub use system::SystemName;
