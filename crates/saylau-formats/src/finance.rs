//! Campaign and party finance: rule-set files (TOML, `data/kz/finance/`) and a campaign's
//! or a party's ledger (CSV), specified in `docs/finance-format.md`.
//!
//! A rule-set file becomes a core [`FinanceRules`]; a ledger becomes a core [`Ledger`].
//! Every problem is a diagnostic with its line, field and rule code, and a file with any
//! problem is rejected whole: a ledger's totals are never taken from part of it.

use std::path::Path;

use saylau_core::law::finance::{
    Entry, EntryKind, FinanceRule, FinanceRules, Ledger, Limit, RulesStatus, Scope, Source,
};
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::eligibility::date;
use crate::field::{Fields, boolean, choice, count, filled_text, if_present, table, text};
use crate::header::amount;
use crate::rule::FileRule;

/// The keys of `[finance_rules]`.
const HEADER_KEYS: &[&str] = &["id", "name", "status", "scope", "description"];

/// The keys every rule has; each kind adds its own (see [`rule_keys`]).
const RULE_KEYS: &[&str] = &["kind", "article", "seed", "scenario", "note"];

/// The columns of a ledger.
const LEDGER_COLUMNS: &[&str] = &[
    "date",
    "kind",
    "donor_type",
    "counterparty",
    "amount_kzt",
    "in_kind",
    "account",
    "reported_on",
    "note",
];

/// Columns kept as written: an account `0042` is not the number 42.
const TEXT_COLUMNS: &[&str] = &["counterparty", "account", "note"];

const STATUSES: &[(&str, RulesStatus)] =
    &[("law", RulesStatus::Law), ("proposal", RulesStatus::Proposal)];

const SCOPES: &[(&str, Scope)] = &[("akim-campaign", Scope::AkimCampaign), ("party", Scope::Party)];

const SOURCES: &[(&str, Source)] = &[
    ("state", Source::State),
    ("own-funds", Source::OwnFunds),
    ("individual", Source::Individual),
    ("legal-entity", Source::LegalEntity),
    ("foreign", Source::Foreign),
    ("anonymous", Source::Anonymous),
    ("membership-fee", Source::MembershipFee),
];

const DONORS: &[(&str, Source)] = &[
    ("individual", Source::Individual),
    ("legal-entity", Source::LegalEntity),
    ("foreign", Source::Foreign),
    ("anonymous", Source::Anonymous),
];

/// A ledger row's kind; `donation` takes its source from `donor_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Donation,
    Income(Source),
    Spending,
    Audit,
    Admission,
}

const ROW_KINDS: &[(&str, RowKind)] = &[
    ("donation", RowKind::Donation),
    ("membership-fee", RowKind::Income(Source::MembershipFee)),
    ("own-funds", RowKind::Income(Source::OwnFunds)),
    ("state", RowKind::Income(Source::State)),
    ("spending", RowKind::Spending),
    ("audit", RowKind::Audit),
    ("admission", RowKind::Admission),
];

const KINDS: &[(&str, &str)] = &[
    ("sources", "sources"),
    ("donation-cap", "donation-cap"),
    ("in-kind-valued", "in-kind-valued"),
    ("own-funds-cap", "own-funds-cap"),
    ("spending-limit", "spending-limit"),
    ("separate-accounts", "separate-accounts"),
    ("reports", "reports"),
    ("audit-before-admission", "audit-before-admission"),
];

/// A rule-set file's header beside its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinanceRulesFile {
    /// The rules.
    #[serde(skip)]
    pub rules: FinanceRules,
    /// What the file says of itself.
    pub description: Option<String>,
}

/// Reads a finance rule set from `text`; `source` names it in diagnostics.
pub fn parse_finance_rules(source: &str, text: &str) -> Result<FinanceRulesFile, Diagnostics> {
    crate::header::parse_with(source, text, &[], rule_set)
}

/// Reads the finance rule-set file at `path`.
pub fn read_finance_rules(path: &Path) -> Result<FinanceRulesFile, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_finance_rules(&source, &text)
}

fn rule_set(sink: &mut Sink<'_>, root: &Table) -> Option<FinanceRulesFile> {
    let root_fields = crate::header::root_fields(sink, root, &["finance_rules", "rules"]);
    let header = root_fields.required(sink, "finance_rules").and_then(|node| {
        let path = "finance_rules";
        let fields = Fields { table: table(sink, node, path)?, path, origin: node.origin };
        fields.check_keys(sink, HEADER_KEYS);
        let field = |key: &str| fields.field(key);
        let id = fields.required(sink, "id").and_then(|node| filled_text(sink, node, &field("id")));
        let name =
            fields.required(sink, "name").and_then(|node| filled_text(sink, node, &field("name")));
        let status = fields
            .required(sink, "status")
            .and_then(|node| choice(sink, node, &field("status"), "status", STATUSES));
        let scope = fields
            .required(sink, "scope")
            .and_then(|node| choice(sink, node, &field("scope"), "scope", SCOPES));
        let description = if_present(fields.optional("description"), |node| {
            text(sink, node, &field("description"))
        });
        Some((id?, name?, status?, scope?, description?))
    });
    // A law may set no limit at all: then `rules` is absent or empty.
    let items: &[Node] = match root.get("rules").map(|node| &node.value) {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(other) => {
            let message = format!("expected [[rules]] tables, found {}", other.describe());
            let origin = root.get("rules").map_or(Origin::Whole, |node| node.origin);
            sink.error(&origin, "rules", FileRule::WrongType, message);
            return None;
        }
    };
    let mut rules = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for (idx, node) in items.iter().enumerate() {
        let read = finance_rule(sink, node, idx);
        if let Some(rule) = &read {
            let kind = rule.limit.kind();
            if kinds.contains(&kind) {
                let message = format!("the kind {kind} is given twice");
                let field = format!("rules[{idx}].kind");
                sink.error(&node.origin, &field, FileRule::DuplicateName, message);
            }
            kinds.push(kind);
        }
        rules.push(read);
    }
    let rules: Option<Vec<FinanceRule>> = rules.into_iter().collect();
    let (id, name, status, scope, description) = header?;
    let rules = FinanceRules::new(&id, &name, status, scope, rules?)
        .map_err(|err| {
            sink.error(&Origin::Whole, "rules", FileRule::NotApplicable, err.to_string())
        })
        .ok()?;
    Some(FinanceRulesFile { rules, description })
}

/// The keys a rule of `kind` has besides [`RULE_KEYS`].
fn rule_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "sources" => &["allowed"],
        "donation-cap" | "own-funds-cap" | "spending-limit" => &["max_kzt"],
        "reports" => &["within_days"],
        _ => &[],
    }
}

fn finance_rule(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<FinanceRule> {
    let path = format!("rules[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    let kind = fields
        .required(sink, "kind")
        .and_then(|node| choice(sink, node, &fields.field("kind"), "rule kind", KINDS));
    let mut allowed = RULE_KEYS.to_vec();
    allowed.extend_from_slice(rule_keys(kind.unwrap_or("")));
    if kind.is_some() {
        fields.check_keys(sink, &allowed);
    }
    let field = |key: &str| fields.field(key);
    let article = fields
        .required(sink, "article")
        .and_then(|node| filled_text(sink, node, &field("article")));
    let seed =
        fields.required(sink, "seed").and_then(|node| filled_text(sink, node, &field("seed")));
    let scenario =
        if_present(fields.optional("scenario"), |node| filled_text(sink, node, &field("scenario")));
    let note = if_present(fields.optional("note"), |node| text(sink, node, &field("note")));
    let max = |sink: &mut Sink<'_>| {
        fields.required(sink, "max_kzt").and_then(|node| amount(sink, node, &field("max_kzt")))
    };
    let limit = match kind? {
        "sources" => fields
            .required(sink, "allowed")
            .and_then(|node| sources(sink, node, &field("allowed")))
            .map(|allowed| Limit::Sources { allowed }),
        "donation-cap" => max(sink).map(|max| Limit::DonationCap { max }),
        "in-kind-valued" => Some(Limit::InKindValued),
        "own-funds-cap" => max(sink).map(|max| Limit::OwnFundsCap { max }),
        "spending-limit" => max(sink).map(|max| Limit::SpendingLimit { max }),
        "separate-accounts" => Some(Limit::SeparateAccounts),
        "reports" => fields
            .required(sink, "within_days")
            .and_then(|node| count(sink, node, &field("within_days"), "days", 1))
            .map(|within_days| Limit::Reports { within_days }),
        _ => Some(Limit::AuditBeforeAdmission),
    };
    Some(FinanceRule {
        limit: limit?,
        article: article?,
        seed: seed?,
        scenario: scenario?,
        note: note?,
    })
}

/// A non-empty array of distinct source names.
fn sources(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Vec<Source>> {
    let Value::Array(items) = &node.value else {
        let message = format!("expected an array of sources, found {}", node.value.describe());
        sink.error(&node.origin, field, FileRule::WrongType, message);
        return None;
    };
    if items.is_empty() {
        let message = "allows no source of money".to_owned();
        sink.error(&node.origin, field, FileRule::NotApplicable, message);
        return None;
    }
    let mut res = Vec::with_capacity(items.len());
    let mut good = true;
    for (idx, item) in items.iter().enumerate() {
        let item_field = format!("{field}[{idx}]");
        match choice(sink, item, &item_field, "source", SOURCES) {
            Some(source) if res.contains(&source) => {
                let message = format!("the source {} is given twice", source.name());
                sink.error(&item.origin, &item_field, FileRule::DuplicateName, message);
                good = false;
            }
            Some(source) => res.push(source),
            None => good = false,
        }
    }
    good.then_some(res)
}

/// Reads a ledger (CSV) from `text`: one row per entry, the columns of
/// `docs/finance-format.md`.
pub fn parse_ledger(source: &str, text: &str) -> Result<Ledger, Diagnostics> {
    let mut sink = Sink::new(source, text, &[]);
    let empty = ("entries", FileRule::NoEntries);
    let rows = crate::csv::table_rows(&mut sink, text, TEXT_COLUMNS, empty);
    let mut entries = Vec::new();
    let mut admission: Option<usize> = None;
    if let Some(rows) = &rows {
        for (idx, row, origin) in rows {
            let path = format!("entries[{idx}]");
            let fields = Fields { table: row, path: &path, origin: *origin };
            let Some(entry) = entry(&mut sink, fields, text) else { continue };
            if entry.kind == EntryKind::Admission {
                if let Some(first) = admission {
                    let message = format!("a second admission; the first is entry {first}");
                    sink.error(origin, &fields.field("kind"), FileRule::DuplicateId, message);
                    continue;
                }
                admission = Some(*idx);
            }
            entries.push(entry);
        }
    }
    if !sink.is_empty() {
        return Err(sink.finish());
    }
    Ledger::new(entries).map_err(|err| {
        sink.error(&Origin::Whole, "", FileRule::NotApplicable, err.to_string());
        sink.finish()
    })
}

/// Reads the ledger at `path`.
pub fn read_ledger(path: &Path) -> Result<Ledger, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_ledger(&source, &text)
}

/// The 1-based line of `origin` in `text` (0 for no place in the file).
fn line_of(text: &str, origin: Origin) -> u32 {
    match origin {
        Origin::File(offset) => crate::csv::line_at(text, offset),
        _ => 0,
    }
}

/// One ledger row, with every problem of the row reported.
fn entry(sink: &mut Sink<'_>, fields: Fields<'_>, text: &str) -> Option<Entry> {
    fields.check_keys(sink, LEDGER_COLUMNS);
    let field = |key: &str| fields.field(key);
    let day = fields.required(sink, "date").and_then(|node| date(sink, node, &field("date")));
    let kind = fields
        .required(sink, "kind")
        .and_then(|node| choice(sink, node, &field("kind"), "entry kind", ROW_KINDS));
    let donor = if_present(fields.optional("donor_type"), |node| {
        choice(sink, node, &field("donor_type"), "donor type", DONORS)
    });
    let counterparty = if_present(fields.optional("counterparty"), |node| {
        filled_text(sink, node, &field("counterparty"))
    });
    let money =
        if_present(fields.optional("amount_kzt"), |node| amount(sink, node, &field("amount_kzt")));
    let in_kind =
        if_present(fields.optional("in_kind"), |node| boolean(sink, node, &field("in_kind")));
    let account =
        if_present(fields.optional("account"), |node| filled_text(sink, node, &field("account")));
    let reported_on =
        if_present(fields.optional("reported_on"), |node| date(sink, node, &field("reported_on")));
    let entry = Entry {
        line: line_of(text, fields.origin),
        date: day?,
        kind: EntryKind::Spending,
        counterparty: counterparty?,
        amount: money?,
        in_kind: in_kind?.unwrap_or(false),
        account: account?,
        reported_on: reported_on?,
    };
    checked(sink, fields, entry, kind?, donor?)
}

/// A cell that does not fit its row: the column, the rule and why.
type Misfit = (&'static str, FileRule, String);

/// The entry with its kind, when its cells fit together; a misfit is reported.
fn checked(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    entry: Entry,
    kind: RowKind,
    donor: Option<Source>,
) -> Option<Entry> {
    fit(fields, entry, kind, donor)
        .map_err(|(key, rule, message)| {
            let origin = fields.optional(key).map_or(fields.origin, |node| node.origin);
            sink.error(&origin, &fields.field(key), rule, message);
        })
        .ok()
}

fn fit(
    fields: Fields<'_>,
    mut entry: Entry,
    kind: RowKind,
    donor: Option<Source>,
) -> Result<Entry, Misfit> {
    let kind = match (kind, donor) {
        (RowKind::Donation, Some(source)) => EntryKind::Income(source),
        (RowKind::Donation, None) => {
            let message =
                "a donation needs donor_type (individual, legal-entity, foreign or anonymous)";
            return Err(("donor_type", FileRule::MissingKey, message.to_owned()));
        }
        (_, Some(_)) => {
            let message = "donor_type is for donations only".to_owned();
            return Err(("donor_type", FileRule::NotApplicable, message));
        }
        (RowKind::Income(source), None) => EntryKind::Income(source),
        (RowKind::Spending, None) => EntryKind::Spending,
        (RowKind::Audit, None) => EntryKind::Audit,
        (RowKind::Admission, None) => EntryKind::Admission,
    };
    let in_kind = entry.in_kind;
    let event = matches!(kind, EntryKind::Audit | EntryKind::Admission);
    let donation = matches!(kind, EntryKind::Income(source) if source.is_donation());
    if event {
        for key in ["amount_kzt", "in_kind", "account"] {
            if (in_kind || key != "in_kind") && fields.optional(key).is_some() {
                let message = format!("an {} carries no {key}", kind_name(kind));
                return Err((key, FileRule::NotApplicable, message));
            }
        }
    }
    if in_kind && !donation {
        let message = "only a donation can be in kind".to_owned();
        return Err(("in_kind", FileRule::NotApplicable, message));
    }
    if !event && !in_kind && entry.amount.is_none() {
        let message = "money received or spent needs amount_kzt".to_owned();
        return Err(("amount_kzt", FileRule::MissingKey, message));
    }
    if let Some(reported) = entry.reported_on
        && reported < entry.date
    {
        let message = format!("reported on {reported}, before the entry's date {}", entry.date);
        return Err(("reported_on", FileRule::Date, message));
    }
    entry.kind = kind;
    Ok(entry)
}

fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Audit => "audit",
        EntryKind::Admission => "admission",
        EntryKind::Income(_) => "income",
        EntryKind::Spending => "spending",
    }
}
