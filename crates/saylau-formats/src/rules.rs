//! Reading the `[rules]` table into core [`Rules`]: method, quota, threshold, ties.
//!
//! Every option is checked on its own first (its kind and its exact value), then against
//! the method it must fit (a quota only for largest remainders, a first divisor only for
//! modified Sainte-Laguë), and finally by [`Rules::new`], whose errors become diagnostics
//! on the field they concern.

use saylau_core::divisor::Divisor;
use saylau_core::lot::LotSeed;
use saylau_core::method::{Method, Rules, RulesConfig, RulesError, RunnerUpRule};
use saylau_core::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::threshold::{Threshold, ThresholdBase};
use saylau_core::tie::{TieCriterion, TieRule};
use saylau_core::votes::Seats;

use crate::diagnostic::Sink;
use crate::document::{Origin, Value};
use crate::field::{Fields, choice, count, exact, if_present, percent, text};
use crate::rule;

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
];

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

/// Reads `[rules]`; `None` when something was reported.
pub(crate) fn rules(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Rules> {
    fields.check_keys(sink, KEYS);
    let method = method(sink, fields);
    let threshold = threshold(sink, fields);
    let admit_at_least = if_present(fields.optional("admit_at_least"), |node| {
        count(sink, node, &fields.field("admit_at_least"), "lists", 0)
    });
    let ties = ties(sink, fields);
    let lot_seed = if_present(fields.optional("lot_seed"), |node| {
        text(sink, node, &fields.field("lot_seed")).map(|seed| LotSeed::new(&seed))
    });
    let runner_up = runner_up(sink, fields);
    let config = RulesConfig {
        method: method?,
        threshold: threshold?,
        admit_at_least: admit_at_least?.unwrap_or(0),
        runner_up: runner_up?,
        ties: ties?,
        lot_seed: lot_seed?,
    };
    Rules::new(config).map_err(|err| report_rules_error(sink, fields, &err)).ok()
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
        sink.error(&node.origin, &fields.field(key), rule::NOT_APPLICABLE, message);
    }
}

/// The threshold and its base (`valid` by default); `Some(None)` when there is none.
fn threshold(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Option<Threshold>> {
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
        .map_err(|err| sink.error(&node.origin, &field, rule::TIE_RULE, err.to_string()))
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
            sink.error(&origin, &fields.field(given), rule::RUNNER_UP, message);
            None
        }
    }
}

/// Reports an error of [`Rules::new`] on the field it concerns.
fn report_rules_error(sink: &mut Sink<'_>, fields: Fields<'_>, err: &RulesError) {
    let (key, rule) = match err {
        RulesError::RunnerUpNeedsAdmission => ("admit_at_least", rule::RUNNER_UP),
        RulesError::ZeroFirstDivisor => ("first_divisor", rule::EXACT_NUMBER),
        RulesError::RunnerUpNeedsQuota | RulesError::CoefficientOutOfRange(_) => {
            ("runner_up_coefficient", rule::RUNNER_UP)
        }
        _ => ("method", rule::NOT_APPLICABLE),
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
        let res = rules(&mut sink, fields);
        let res = match res {
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
