//! Reading the `[rules]` table into core [`Rules`]: method, quota, threshold, ties.
//!
//! Every option is checked on its own first (its kind and its exact value), then against
//! the method it must fit (a quota only for largest remainders, a first divisor only for
//! modified Sainte-Laguë), and finally by [`Rules::new`], whose errors become diagnostics
//! on the field they concern. The keys that belong to one system (`overhang`, `tier`,
//! `apportionment` ...) are read by [`crate::system`]; the threshold is read here in the
//! shape the system needs: one percentage of a base for a nationwide list tier, or a
//! national and a district percentage of the list votes for the district systems.

use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::lot::LotSeed;
use saylau_core::seats::method::{Method, Rules, RulesConfig, RulesError, RunnerUpRule};
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::threshold::{Percent, Threshold, ThresholdBase};
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::Seats;

use crate::diagnostic::Sink;
use crate::document::{Node, Origin, Value};
use crate::field::{Fields, choice, count, exact, if_present, percent, table, text};
use crate::rule::FileRule;
use crate::system::{SystemName, only_for};

/// The keys of `[rules]`.
const KEYS: &[&str] = &[
    "method",
    "quota",
    "quota_rounding",
    "first_divisor",
    "threshold",
    "threshold_base",
    "admit_at_least",
    "ties",
    "lot_seed",
    "runner_up_coefficient",
    "runner_up_min_seats",
    "system",
    "electorate_exemption",
    "overhang",
    "voter_numbers",
    "tier",
    "apportionment",
    "apportionment_base",
    "minimum_seats",
    "minimum_rule",
];

/// The keys of a `threshold` table in the district systems.
const THRESHOLD_KEYS: &[&str] = &["national", "district"];

/// A method as named in a file, before its options are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MethodName {
    LargestRemainder,
    Divisor(Divisor),
    ModifiedSainteLague,
}

const METHODS: &[(&str, MethodName)] = &[
    ("largest-remainder", MethodName::LargestRemainder),
    ("dhondt", MethodName::Divisor(Divisor::DHondt)),
    ("sainte-lague", MethodName::Divisor(Divisor::SainteLague)),
    ("modified-sainte-lague", MethodName::ModifiedSainteLague),
    ("huntington-hill", MethodName::Divisor(Divisor::HuntingtonHill)),
    ("adams", MethodName::Divisor(Divisor::Adams)),
    ("dean", MethodName::Divisor(Divisor::Dean)),
    ("danish", MethodName::Divisor(Divisor::Danish)),
    ("imperiali", MethodName::Divisor(Divisor::Imperiali)),
];

/// The names `rules.method` takes, in the order of the error message that lists them.
pub fn method_names() -> impl Iterator<Item = &'static str> {
    METHODS.iter().map(|(name, _)| *name)
}

const QUOTAS: &[(&str, QuotaKind)] = &[
    ("hare", QuotaKind::Hare),
    ("droop", QuotaKind::Droop),
    ("hagenbach-bischoff", QuotaKind::HagenbachBischoff),
    ("imperiali", QuotaKind::Imperiali),
];

const ROUNDINGS: &[(&str, QuotaRounding)] = &[
    ("exact", QuotaRounding::Exact),
    ("floor", QuotaRounding::Floor),
    ("round", QuotaRounding::Round),
    ("ceil", QuotaRounding::Ceil),
    ("floor-plus-one", QuotaRounding::FloorPlusOne),
];

const BASES: &[(&str, ThresholdBase)] = &[
    ("participants", ThresholdBase::Participants),
    ("valid", ThresholdBase::Valid),
    ("lists", ThresholdBase::Lists),
];

const CRITERIA: &[(&str, TieCriterion)] = &[
    ("registration", TieCriterion::Registration),
    ("votes", TieCriterion::Votes),
    ("lot", TieCriterion::Lot),
];

/// `[rules]` as read: the method's rules and the thresholds the district systems keep
/// apart from them.
#[derive(Debug, Clone)]
pub(crate) struct RulesRead {
    /// The method, threshold (nationwide list tiers only), admission and ties; `None`
    /// under a two-tier rule, which fixes its own quotas.
    pub(crate) rules: Option<Rules>,
    /// How ties are broken.
    pub(crate) ties: TieRule,
    /// The seed of lots.
    pub(crate) lot_seed: Option<LotSeed>,
    /// District systems: the share of the national list votes a list needs.
    pub(crate) national: Option<Percent>,
    /// District systems: the share of a district's list votes a list needs there.
    pub(crate) district: Option<Percent>,
}

/// Reads `[rules]` for `system`; `tier` is where a two-tier rule was set, if it was.
/// `None` when something was reported.
pub(crate) fn rules(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    system: SystemName,
    tier: Option<Origin>,
) -> Option<RulesRead> {
    use SystemName::{List, Parallel};
    fields.check_keys(sink, KEYS);
    let mut fits = true;
    for key in ["admit_at_least", "runner_up_coefficient", "runner_up_min_seats"] {
        let allowed: &[SystemName] = if key == "admit_at_least" {
            &[List, Parallel, SystemName::Mmp]
        } else {
            &[List, Parallel]
        };
        fits &= only_for(sink, fields, key, system, allowed);
    }
    let method = match tier {
        Some(tier) => tierless_method(sink, fields, tier).then_some(None),
        None => method(sink, fields).map(Some),
    };
    let (threshold, national, district) = if system.has_districts() {
        let (national, district) = district_thresholds(sink, fields, system)?;
        (Some(None), national, district)
    } else {
        (threshold(sink, fields), None, None)
    };
    let admit_at_least = if_present(fields.optional("admit_at_least"), |node| {
        count(sink, node, &fields.field("admit_at_least"), "lists", 0)
    });
    let ties = ties(sink, fields);
    let lot_seed = if_present(fields.optional("lot_seed"), |node| {
        text(sink, node, &fields.field("lot_seed")).map(|seed| LotSeed::new(&seed))
    });
    let runner_up = runner_up(sink, fields);
    let (method, ties, lot_seed) = (method?, ties?, lot_seed?);
    if system == SystemName::Biproportional
        && let Some(method) = method
    {
        fits &= biproportional_method(sink, fields, method);
    }
    let rules = match method {
        Some(method) => {
            let config = RulesConfig {
                method,
                threshold: threshold?,
                admit_at_least: admit_at_least?.unwrap_or(0),
                runner_up: runner_up?,
                ties: ties.clone(),
                lot_seed: lot_seed.clone(),
            };
            let rules = Rules::new(config).map_err(|err| report_rules_error(sink, fields, &err));
            Some(rules.ok()?)
        }
        None => None,
    };
    fits.then_some(RulesRead { rules, ties, lot_seed, national, district })
}

/// Under a two-tier rule the quotas are the law's: `method` and its options are reported,
/// unless the file's method is moot because an override set the tier.
fn tierless_method(sink: &mut Sink<'_>, fields: Fields<'_>, tier: Origin) -> bool {
    let tier_overridden = matches!(tier, Origin::Override(_));
    let mut ok = true;
    for key in ["method", "quota", "quota_rounding", "first_divisor"] {
        let Some(node) = fields.optional(key) else { continue };
        if tier_overridden && matches!(node.origin, Origin::File(_)) {
            continue;
        }
        let message = format!(
            "{key} does not apply under tier = \"czech-2021\", which fixes its quotas \
             (Imperiali in the districts, Hagenbach-Bischoff nationally)"
        );
        sink.error(&node.origin, &fields.field(key), FileRule::SystemMismatch, message);
        ok = false;
    }
    ok
}

/// A biproportional upper apportionment is Sainte-Laguë or D'Hondt, whose lower
/// apportionment rounds the same way.
fn biproportional_method(sink: &mut Sink<'_>, fields: Fields<'_>, method: Method) -> bool {
    let fits =
        matches!(method, Method::Divisor { divisor: Divisor::SainteLague | Divisor::DHondt });
    if !fits && let Some(node) = fields.optional("method") {
        let message = "a biproportional apportionment needs method = \"sainte-lague\" (standard \
                       rounding) or \"dhondt\" (rounding down)"
            .to_owned();
        sink.error(&node.origin, &fields.field("method"), FileRule::SystemMismatch, message);
    }
    fits
}

/// The method with its quota or first divisor.
fn method(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Method> {
    let name = fields
        .required(sink, "method")
        .and_then(|node| choice(sink, node, &fields.field("method"), "method", METHODS));
    let kind = if_present(fields.optional("quota"), |node| {
        choice(sink, node, &fields.field("quota"), "quota", QUOTAS)
    });
    let rounding = if_present(fields.optional("quota_rounding"), |node| {
        choice(sink, node, &fields.field("quota_rounding"), "quota rounding", ROUNDINGS)
    });
    let first = if_present(fields.optional("first_divisor"), |node| {
        exact(sink, node, &fields.field("first_divisor"))
    });
    let (name, kind, rounding, first) = (name?, kind?, rounding?, first?);
    // A what-if that overrides the method makes the file's own quota or first divisor
    // moot; only a conflict the user wrote in one place is an error.
    let method_overridden =
        fields.optional("method").is_some_and(|node| matches!(node.origin, Origin::Override(_)));
    let fields_checked = Applicability { fields, method_overridden };
    let quota_only = "applies only to method = \"largest-remainder\"";
    let first_only = "applies only to method = \"modified-sainte-lague\"";
    if name != MethodName::LargestRemainder {
        not_applicable(sink, fields_checked, "quota", quota_only);
        not_applicable(sink, fields_checked, "quota_rounding", quota_only);
    }
    if name != MethodName::ModifiedSainteLague {
        not_applicable(sink, fields_checked, "first_divisor", first_only);
    }
    match name {
        MethodName::LargestRemainder => {
            let kind = match kind {
                Some(kind) => kind,
                None => return fields.required(sink, "quota").and(None),
            };
            let rounding = rounding.unwrap_or(Quota::usual(kind).rounding);
            Some(Method::LargestRemainder { quota: Quota { kind, rounding } })
        }
        MethodName::ModifiedSainteLague => {
            let first = match first {
                Some(first) => first,
                None => return fields.required(sink, "first_divisor").and(None),
            };
            Some(Method::Divisor { divisor: Divisor::ModifiedSainteLague { first } })
        }
        MethodName::Divisor(divisor) => Some(Method::Divisor { divisor }),
    }
}

/// The fields of `[rules]` and whether an override replaced the file's method.
#[derive(Clone, Copy)]
struct Applicability<'a> {
    fields: Fields<'a>,
    method_overridden: bool,
}

/// Reports `key` as not applicable when it is present, unless it comes from the file and
/// the method from an override.
fn not_applicable(sink: &mut Sink<'_>, checked: Applicability<'_>, key: &str, why: &str) {
    let fields = checked.fields;
    if let Some(node) = fields.optional(key) {
        if checked.method_overridden && matches!(node.origin, Origin::File(_)) {
            return;
        }
        let message = format!("{key} {why}");
        sink.error(&node.origin, &fields.field(key), FileRule::NotApplicable, message);
    }
}

/// The threshold and its base (`valid` by default); `Some(None)` when there is none.
fn threshold(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Option<Threshold>> {
    if let Some(node) = fields.optional("threshold")
        && matches!(node.value, Value::Table(_))
    {
        let message = "a threshold per district or national (a table) needs system = \
                       \"districts\" or \"biproportional\"; write threshold = \"5%\""
            .to_owned();
        sink.error(&node.origin, &fields.field("threshold"), FileRule::SystemMismatch, message);
        return None;
    }
    let percent = if_present(fields.optional("threshold"), |node| {
        percent(sink, node, &fields.field("threshold"))
    });
    let base = if_present(fields.optional("threshold_base"), |node| {
        choice(sink, node, &fields.field("threshold_base"), "threshold base", BASES)
    });
    match (percent?, base?) {
        (Some(percent), base) => {
            Some(Some(Threshold { percent, base: base.unwrap_or(ThresholdBase::Valid) }))
        }
        (None, Some(_)) => {
            let why = "needs a general threshold (a list's own threshold is of valid votes)";
            not_applicable(
                sink,
                Applicability { fields, method_overridden: false },
                "threshold_base",
                why,
            );
            None
        }
        (None, None) => Some(None),
    }
}

/// The thresholds of the district systems, both of the list votes: a plain percentage is
/// national; a table gives `national` and `district`. A biproportional election knows only
/// the district one (a list qualifies with it in at least one district).
fn district_thresholds(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    system: SystemName,
) -> Option<(Option<Percent>, Option<Percent>)> {
    let field = fields.field("threshold");
    let base_ok = match fields.optional("threshold_base") {
        Some(node) if !matches!(&node.value, Value::String(base) if base == "lists") => {
            let message = format!(
                "the thresholds of system = \"{}\" are of the list votes: leave out \
                 threshold_base or write \"lists\"",
                system.as_str()
            );
            let base_field = fields.field("threshold_base");
            sink.error(&node.origin, &base_field, FileRule::SystemMismatch, message);
            false
        }
        _ => true,
    };
    let read = match fields.optional("threshold") {
        None => Some((None, None, None)),
        Some(node) if matches!(node.value, Value::Table(_)) => threshold_table(sink, node, &field),
        Some(node) => percent(sink, node, &field).map(|it| (Some(it), None, Some(node.origin))),
    };
    let (national, district, national_origin) = read?;
    if system == SystemName::Biproportional
        && let Some(origin) = national_origin
    {
        let message = "a biproportional election has no national threshold: a list qualifies \
                       in a district, so write threshold = { district = \"5%\" }"
            .to_owned();
        sink.error(&origin, &field, FileRule::SystemMismatch, message);
        return None;
    }
    base_ok.then_some((national, district))
}

/// A `threshold` table: `national` and `district`, with where `national` was written.
fn threshold_table(
    sink: &mut Sink<'_>,
    node: &Node,
    field: &str,
) -> Option<(Option<Percent>, Option<Percent>, Option<Origin>)> {
    let inner = Fields { table: table(sink, node, field)?, path: field, origin: node.origin };
    inner.check_keys(sink, THRESHOLD_KEYS);
    let national = if_present(inner.optional("national"), |node| {
        percent(sink, node, &inner.field("national"))
    });
    let district = if_present(inner.optional("district"), |node| {
        percent(sink, node, &inner.field("district"))
    });
    let national_origin = inner.optional("national").map(|node| node.origin);
    Some((national?, district?, national_origin))
}

/// The tie rule: one criterion or an array of them; a lot alone when absent.
fn ties(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<TieRule> {
    let Some(node) = fields.optional("ties") else {
        return Some(TieRule::lot());
    };
    let field = fields.field("ties");
    let criteria: Vec<TieCriterion> = match &node.value {
        Value::Array(items) => {
            let read: Vec<Option<TieCriterion>> = items
                .iter()
                .enumerate()
                .map(|(idx, item)| {
                    choice(sink, item, &format!("{field}[{idx}]"), "tie criterion", CRITERIA)
                })
                .collect();
            read.into_iter().collect::<Option<_>>()?
        }
        _ => vec![choice(sink, node, &field, "tie criterion", CRITERIA)?],
    };
    TieRule::new(&criteria)
        .map_err(|err| sink.error(&node.origin, &field, FileRule::TieRule, err.to_string()))
        .ok()
}

/// The 2009 runner-up rule (art. 97-1 p. 3): a coefficient and a minimum, both or neither.
fn runner_up(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Option<RunnerUpRule>> {
    let coefficient = if_present(fields.optional("runner_up_coefficient"), |node| {
        exact(sink, node, &fields.field("runner_up_coefficient"))
    });
    let min_seats = if_present(fields.optional("runner_up_min_seats"), |node| {
        count(sink, node, &fields.field("runner_up_min_seats"), "seats", 0)
    });
    match (coefficient?, min_seats?) {
        (Some(coefficient), Some(min_seats)) => {
            Some(Some(RunnerUpRule { coefficient, min_seats: Seats(min_seats) }))
        }
        (None, None) => Some(None),
        (Some(_), None) | (None, Some(_)) => {
            let (given, missing) = match fields.optional("runner_up_coefficient") {
                Some(_) => ("runner_up_coefficient", "runner_up_min_seats"),
                None => ("runner_up_min_seats", "runner_up_coefficient"),
            };
            let origin = fields.optional(given).map_or(fields.origin, |node| node.origin);
            let message = format!("{given} needs {missing} too (art. 97-1 p. 3 as of 2009)");
            sink.error(&origin, &fields.field(given), FileRule::RunnerUp, message);
            None
        }
    }
}

/// Reports an error of [`Rules::new`] on the field it concerns.
fn report_rules_error(sink: &mut Sink<'_>, fields: Fields<'_>, err: &RulesError) {
    let (key, rule) = match err {
        RulesError::RunnerUpNeedsAdmission => ("admit_at_least", FileRule::RunnerUp),
        RulesError::ZeroFirstDivisor => ("first_divisor", FileRule::ExactNumber),
        RulesError::RunnerUpNeedsQuota | RulesError::CoefficientOutOfRange(_) => {
            ("runner_up_coefficient", FileRule::RunnerUp)
        }
        _ => ("method", FileRule::NotApplicable),
    };
    let origin = fields
        .optional(key)
        .or_else(|| fields.optional("runner_up_coefficient"))
        .map_or(fields.origin, |node| node.origin);
    sink.error(&origin, &fields.field(key), rule, err.to_string());
}

#[cfg(test)]
mod tests {
    use crate::document::{Origin, parse_document};
    use crate::field::{Fields, table};

    use super::*;

    fn check(text: &str, expect: &str) {
        let mut sink = Sink::new("r.toml", text, &[]);
        let doc = parse_document(text, &mut sink).expect("valid TOML");
        let node = doc.get("rules").expect("a [rules] table");
        let rules_table = table(&mut sink, node, "rules").expect("a table");
        let fields = Fields { table: rules_table, path: "rules", origin: Origin::File(0) };
        let res = rules(&mut sink, fields, SystemName::List, None);
        let res = match res.and_then(|read| read.rules) {
            Some(rules) if sink.is_empty() => {
                serde_json::to_string(&rules).expect("rules serialise to JSON")
            }
            _ => sink.finish().to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_the_kazakh_rules() {
        check(
            "[rules]\nmethod = \"largest-remainder\"\nquota = \"hare\"\nthreshold = \"7%\"\nties = \"registration\"",
            r#"{"method":{"family":"largest-remainder","quota":{"kind":"hare","rounding":"exact"}},"threshold":{"percent":"7%","base":"valid"},"admit_at_least":0,"runner_up":null,"ties":{"criteria":["registration"]},"lot_seed":null}"#,
        );
    }

    #[test]
    fn options_must_fit_the_method() {
        check(
            "[rules]\nmethod = \"dhondt\"\nquota = \"hare\"\nfirst_divisor = \"1.4\"",
            "r.toml:3: rules.quota: quota applies only to method = \"largest-remainder\" (rule E-17)\n\
             r.toml:4: rules.first_divisor: first_divisor applies only to method = \"modified-sainte-lague\" (rule E-17)",
        );
        check(
            "[rules]\nmethod = \"modified-sainte-lague\"\nfirst_divisor = 1.4",
            "r.toml:3: rules.first_divisor: expected an exact number such as \"1.4\", found the float 1.4; floats are inexact: write first_divisor = \"1.4\" (rule E-6)",
        );
        check(
            "[rules]\nmethod = \"largest-remainder\"",
            "r.toml:1: rules.quota: missing key quota (rule E-4)",
        );
    }

    #[test]
    fn core_rule_errors_point_at_their_field() {
        check(
            "[rules]\nmethod = \"dhondt\"\nadmit_at_least = 2\nrunner_up_coefficient = \"0.7\"\nrunner_up_min_seats = 2",
            "r.toml:4: rules.runner_up_coefficient: the runner-up coefficient (art. 97-1 p. 3, 2009) applies only to largest remainders (rule E-19)",
        );
        check(
            "[rules]\nmethod = \"largest-remainder\"\nquota = \"hare\"\nrunner_up_coefficient = \"0.7\"\nrunner_up_min_seats = 2",
            "r.toml:4: rules.admit_at_least: the runner-up coefficient needs admit_at_least of 2 or more (rule E-19)",
        );
        check(
            "[rules]\nmethod = \"modified-sainte-lague\"\nfirst_divisor = \"0\"",
            "r.toml:3: rules.first_divisor: the first divisor must be positive (rule E-10)",
        );
        check(
            "[rules]\nmethod = \"dhondt\"\nties = [\"lot\", \"lot\"]",
            "r.toml:3: rules.ties: tie criterion lot is listed twice (rule E-18)",
        );
    }
}
