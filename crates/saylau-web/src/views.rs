//! The view models of the pages: everything a template shows, already translated and
//! formatted, built from a [`Snapshot`]. Templates only lay them out.

use saylau_core::count::commission::{CommissionId, Level, StationId};
use saylau_core::count::protocol::{
    DEFAULT_LATE_MINUTES, ExtraLine, Line, Protocol, ProtocolExtra, ProtocolLines,
};
use saylau_store::tabulation::HistoryEntry;

use crate::i18n::{LANGS, Lang};
use crate::results::{Snapshot, Territory, all_lines, changes, control_status};
use crate::svg;

/// The translations of one page, called from templates as `tr.t(ID)`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.0.t(key)
    }
}

/// A language of the switch.
#[derive(Debug, Clone)]
pub struct Alternate {
    /// `kk`, `ru`, `en`.
    pub code: &'static str,
    /// The language's own name.
    pub name: &'static str,
    /// The same page in that language.
    pub href: String,
    /// Whether this is the page's language.
    pub current: bool,
}

/// A link of the breadcrumbs.
#[derive(Debug, Clone)]
pub struct Crumb {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub label: String,
}

/// What every page has: language, title, switch, breadcrumbs, the log checkpoint.
#[derive(Debug, Clone)]
pub struct Page {
    /// The language code.
    pub lang: &'static str,
    /// The page's title.
    pub title: String,
    /// The election's id.
    pub election: String,
    /// The language switch: the same place in each language.
    pub switch: Vec<Alternate>,
    /// The way back up the hierarchy.
    pub crumbs: Vec<Crumb>,
    /// "entry N".
    pub checkpoint_entry: String,
    /// The head's entry hash.
    pub checkpoint_hash: String,
}

impl Page {
    /// The page at `rest` (the path after the language) titled `title`.
    pub fn new(snapshot: &Snapshot, lang: Lang, rest: &str, title: String) -> Page {
        let switch = LANGS
            .iter()
            .map(|other| Alternate {
                code: other.code(),
                name: other.native_name(),
                href: format!("/{}{rest}", other.code()),
                current: *other == lang,
            })
            .collect();
        Page {
            lang: lang.code(),
            title,
            election: snapshot.election.to_string(),
            switch,
            crumbs: Vec::new(),
            checkpoint_entry: lang
                .t_args("checkpoint-entry", &[("seq", snapshot.head.seq.0.to_string())]),
            checkpoint_hash: snapshot.head.hash.to_hex(),
        }
    }
}

/// The "protocols processed" block.
#[derive(Debug, Clone)]
pub struct Reporting {
    /// "N % of protocols processed".
    pub headline: String,
    /// Stations expected.
    pub expected: String,
    /// Protocols received.
    pub counted: String,
    /// Not received.
    pub missing: String,
}

impl Reporting {
    /// The reporting of `territory`.
    pub fn of(territory: &Territory, lang: Lang) -> Reporting {
        let percent = lang.percent(territory.counted, territory.expected);
        Reporting {
            headline: lang.t_args("percent-reported", &[("percent", percent)]),
            expected: lang.stations(territory.expected),
            counted: lang.number(territory.counted),
            missing: lang.number(territory.expected - territory.counted),
        }
    }
}

/// A row of the votes table.
#[derive(Debug, Clone)]
pub struct ListRow {
    /// The list's name.
    pub name: String,
    /// Its votes.
    pub votes: String,
    /// Its share of the valid votes.
    pub share: String,
    /// Whether it passed the threshold (national only).
    pub qualified: String,
    /// Its seats (national only).
    pub seats: String,
}

/// A territory or station below the page's one.
#[derive(Debug, Clone)]
pub struct ChildRow {
    /// Its page.
    pub href: String,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Stations expected.
    pub expected: String,
    /// Protocols received.
    pub counted: String,
    /// Not received.
    pub missing: String,
    /// Share received.
    pub percent: String,
}

/// A station whose protocol has not been received.
#[derive(Debug, Clone)]
pub struct MissingRow {
    /// Its page.
    pub href: String,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// The href of a commission's page.
pub fn href(lang: Lang, id: CommissionId) -> String {
    match id {
        CommissionId::Central => format!("/{}/", lang.code()),
        CommissionId::Precinct(station) => format!("/{}/s/{station}", lang.code()),
        other => format!("/{}/t/{other}", lang.code()),
    }
}

/// The path after the language of a commission's page.
pub fn rest(id: CommissionId) -> String {
    match id {
        CommissionId::Central => "/".to_owned(),
        CommissionId::Precinct(station) => format!("/s/{station}"),
        other => format!("/t/{other}"),
    }
}

/// The breadcrumbs above `id`: the CEC, its region, its district.
pub fn crumbs(snapshot: &Snapshot, lang: Lang, id: CommissionId) -> Vec<Crumb> {
    let mut chain = Vec::new();
    let mut at = id.parent();
    while let Some(parent) = at {
        chain.push(parent);
        at = parent.parent();
    }
    chain
        .into_iter()
        .rev()
        .map(|it| Crumb {
            href: href(lang, it),
            label: match it {
                CommissionId::Central => lang.t("home"),
                other => format!("{other} {}", snapshot.name(other)),
            },
        })
        .collect()
}

/// The votes table's rows and bar chart of `lines`.
pub fn votes(snapshot: &Snapshot, lang: Lang, lines: &ProtocolLines) -> (Vec<ListRow>, String) {
    let valid = lines.valid.0;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (idx, list) in snapshot.ballot.lists().iter().enumerate() {
        let votes = lines.get(Line::List(idx));
        let color = saylau_charts::party_color(idx, None);
        bars.push(svg::Bar {
            label: list.name.clone(),
            value: votes,
            shown: format!("{} ({})", lang.number(votes), lang.percent(votes, valid)),
            color: format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2),
        });
        rows.push(ListRow {
            name: list.name.clone(),
            votes: lang.number(votes),
            share: lang.percent(votes, valid),
            qualified: String::new(),
            seats: String::new(),
        });
    }
    let against = lines.against_all.0;
    bars.push(svg::Bar {
        label: lang.t("against-all"),
        value: against,
        shown: format!("{} ({})", lang.number(against), lang.percent(against, valid)),
        color: "#9e9e9e".to_owned(),
    });
    rows.push(ListRow {
        name: lang.t("against-all"),
        votes: lang.number(against),
        share: lang.percent(against, valid),
        qualified: String::new(),
        seats: String::new(),
    });
    (rows, svg::bars(&lang.t("chart-votes-title"), &bars))
}

/// The rows of the territories or stations below `territory`, and its missing stations.
pub fn children(
    snapshot: &Snapshot,
    lang: Lang,
    territory: &Territory,
) -> (Vec<ChildRow>, Vec<MissingRow>) {
    let rows = territory
        .children
        .iter()
        .map(|child| {
            let (expected, counted) = match (child, snapshot.territory(*child)) {
                (_, Some(it)) => (it.expected, it.counted),
                (CommissionId::Precinct(station), None) => {
                    let received =
                        snapshot.stations.get(station).is_some_and(|s| s.current.is_some());
                    (1, u64::from(received))
                }
                _ => (0, 0),
            };
            ChildRow {
                href: href(lang, *child),
                id: child.to_string(),
                name: snapshot.name(*child),
                expected: lang.number(expected),
                counted: lang.number(counted),
                missing: lang.number(expected - counted),
                percent: lang.percent(counted, expected),
            }
        })
        .collect();
    let missing = territory
        .not_received
        .iter()
        .map(|station| MissingRow {
            href: href(lang, CommissionId::Precinct(*station)),
            id: station.to_string(),
            name: snapshot.name(CommissionId::Precinct(*station)),
        })
        .collect();
    (rows, missing)
}

/// The title of the children's table below a territory of `level`.
pub fn children_title(lang: Lang, id: CommissionId) -> String {
    match id.level() {
        Level::Central => lang.t("regions"),
        Level::Region => lang.t("districts"),
        _ => lang.t("stations"),
    }
}

/// The cartogram of the regions.
pub fn map(snapshot: &Snapshot, lang: Lang) -> String {
    let tiles: Vec<svg::Tile> = snapshot
        .territories
        .values()
        .filter_map(|territory| match territory.id {
            CommissionId::Region(code) => Some(svg::Tile {
                code: code.get(),
                name: snapshot.name(territory.id),
                href: href(lang, territory.id),
                expected: territory.expected,
                counted: territory.counted,
                shown: lang.percent(territory.counted, territory.expected),
            }),
            _ => None,
        })
        .collect();
    svg::cartogram(&lang.t("map-title"), &tiles)
}

/// A line of a protocol.
#[derive(Debug, Clone)]
pub struct LineRow {
    /// `6`, `10.2`.
    pub number: String,
    /// What it counts.
    pub label: String,
    /// Its value.
    pub value: String,
}

/// The label of a line in `lang`.
pub fn line_label(snapshot: &Snapshot, lang: Lang, line: Line) -> String {
    match line {
        Line::List(idx) => {
            snapshot.ballot.lists().get(idx).map_or_else(|| line.number(), |it| it.name.clone())
        }
        fixed => lang.t(&format!("line-{}", fixed.key())),
    }
}

/// Every line of `lines`, labelled.
pub fn line_rows(snapshot: &Snapshot, lang: Lang, lines: &ProtocolLines) -> Vec<LineRow> {
    all_lines(lines, snapshot.ballot.len())
        .into_iter()
        .map(|(line, value)| LineRow {
            number: line.number(),
            label: line_label(snapshot, lang, line),
            value: lang.number(value),
        })
        .collect()
}

/// A control relation and whether it holds.
#[derive(Debug, Clone)]
pub struct RuleRow {
    /// `P-1`.
    pub code: &'static str,
    /// What it says.
    pub text: String,
    /// Whether it holds.
    pub holds: bool,
    /// "holds" / "broken".
    pub status: String,
}

/// The control relations of a station's lines.
pub fn rule_rows(
    station: StationId,
    lines: &ProtocolLines,
    n_lists: usize,
    lang: Lang,
) -> Vec<RuleRow> {
    control_status(station, lines, n_lists)
        .into_iter()
        .map(|(rule, holds)| RuleRow {
            code: rule.code(),
            text: lang.t(&format!("rule-{}", rule.code())),
            holds,
            status: lang.t(if holds { "rule-holds" } else { "rule-broken" }),
        })
        .collect()
}

/// A v2 line or time of a protocol (`docs/protocol.md`, "Format v2").
#[derive(Debug, Clone)]
pub struct ExtraRow {
    /// Its key: `signatures_on_roll`.
    pub key: &'static str,
    /// Its label in the page's language.
    pub label: String,
    /// Its value as files write it (a number grouped for the page).
    pub value: String,
}

/// The v2 lines and times `extra` has, in file order; empty for a v1 protocol.
pub fn extra_rows(lang: Lang, extra: &ProtocolExtra) -> Vec<ExtraRow> {
    ExtraLine::ALL
        .iter()
        .filter_map(|line| {
            let text = extra.text(*line)?;
            let value = match line {
                ExtraLine::Supplementary | ExtraLine::Signatures => {
                    text.parse().map_or(text.clone(), |it| lang.number(it))
                }
                _ => text,
            };
            Some(ExtraRow { key: line.key(), label: lang.t(&format!("v2-{}", line.key())), value })
        })
        .collect()
}

/// What a protocol's v2 lines flag (`P-9`, and `P-14` at saylau's default limit): the
/// rule's text in the page's language and the numbers.
pub fn flag_rows(lang: Lang, protocol: &Protocol) -> Vec<RuleRow> {
    protocol
        .flags(DEFAULT_LATE_MINUTES)
        .into_iter()
        .map(|flag| RuleRow {
            code: flag.kind.rule().code(),
            text: lang.t(&format!("rule-{}", flag.kind.rule().code())),
            holds: false,
            status: flag.kind.to_string(),
        })
        .collect()
}

/// A line a version changed.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    /// The line's number.
    pub number: String,
    /// Its label.
    pub label: String,
    /// The value before.
    pub from: String,
    /// The value after.
    pub to: String,
}

/// One version of a station's protocol.
#[derive(Debug, Clone)]
pub struct VersionRow {
    /// Its number.
    pub version: u64,
    /// "entry N".
    pub entry: String,
    /// Who submitted it.
    pub author: String,
    /// The signing commission.
    pub commission: String,
    /// When (RFC 3339).
    pub recorded_at: String,
    /// Why, or "first version".
    pub reason: String,
    /// The entry hash.
    pub entry_hash: String,
    /// The content hash.
    pub content_hash: String,
    /// Whether it is the first version (no diff).
    pub first: bool,
    /// The lines it changed.
    pub changes: Vec<ChangeRow>,
}

/// The versions of a station, newest first, each with its diff to the one before.
pub fn version_rows(snapshot: &Snapshot, lang: Lang, history: &[HistoryEntry]) -> Vec<VersionRow> {
    let n_lists = snapshot.ballot.len();
    let mut rows: Vec<VersionRow> = history
        .iter()
        .enumerate()
        .map(|(idx, entry)| {
            let before = idx.checked_sub(1).and_then(|it| history.get(it));
            VersionRow {
                version: entry.version.0,
                entry: lang.t_args("checkpoint-entry", &[("seq", entry.seq.0.to_string())]),
                author: entry.author.clone(),
                commission: entry.commission.clone(),
                recorded_at: entry.recorded_at.clone(),
                reason: entry.reason.clone().unwrap_or_else(|| lang.t("no-reason")),
                entry_hash: entry.entry_hash.to_hex(),
                content_hash: entry.content_hash.to_hex(),
                first: before.is_none(),
                changes: changes(before, entry, n_lists)
                    .into_iter()
                    .map(|change| ChangeRow {
                        number: change.line.number(),
                        label: line_label(snapshot, lang, change.line),
                        from: lang.number(change.from),
                        to: lang.number(change.to),
                    })
                    .collect(),
            }
        })
        .collect();
    rows.reverse();
    rows
}
