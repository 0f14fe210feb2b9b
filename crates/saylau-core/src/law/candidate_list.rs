//! Party lists of candidates (партийные списки): quotas, zipper order and seats.
//!
//! Since 2020 a Mazhilis or maslikhat list must hold at least 30 % women and persons under
//! 29 combined (art. 89 p. 4 of the Constitutional Law «On Elections», art. 15-1 of the
//! Law «On Political Parties»); a 2021 draft adds persons with disabilities to the same
//! 30 %. A person in several groups counts once. The quota binds the list, not the
//! mandates: the party leadership chooses who takes its seats (art. 97-1 p. 5). The seed
//! proposes a separate gender quota, a zipper order, seats strictly in list order, and a
//! woman who leaves replaced only by the next woman. [`lists_report`] checks every list
//! under every [`Quota`] and assigns seats under the law and under the proposal.
//!
//! Lists are named (every candidate known) or summaries (published counts only, like the
//! 2021 lists in the seed); a check that the numbers cannot decide is
//! [`QuotaOutcome::Undetermined`], never a guess.
//!
//! The lists, their candidates and their validation are in `party_list`, the quotas and
//! their checks in `quota`, and the report with the seat assignments in `report`.

mod party_list;
mod quota;
mod report;

pub use party_list::{
    Count, Group, ListCandidate, ListSet, ListSetError, ListSummary, Members, PartyList, Sex,
    YOUTH_AGE, women_from_percent,
};
pub use quota::{Quota, QuotaCheck, QuotaOutcome, QuotaRule, needed};
pub use report::{ListReport, ListsReport, PercentRange, Share, lists_report};
