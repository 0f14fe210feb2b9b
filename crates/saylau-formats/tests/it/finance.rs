//! Finance rule sets and ledgers: the bundled ones read with every value's source, and
//! bad ledgers report every problem with its file, line, field and rule.

use saylau_core::law::finance::{EntryKind, FinanceRules, Limit, Source, check};
use saylau_formats::{parse_finance_rules, parse_ledger, read_finance_rules, read_ledger};

use crate::data_dir;

fn rules(name: &str) -> FinanceRules {
    read_finance_rules(&data_dir().join("kz/finance").join(name))
        .unwrap_or_else(|err| panic!("{err}"))
        .rules
}

fn kinds(rules: &FinanceRules) -> String {
    rules.rules().iter().map(|rule| rule.limit.kind()).collect::<Vec<_>>().join(" ")
}

#[test]
fn bundled_rule_sets_cite_the_seed_and_mark_their_scenarios() {
    let law_akim = rules("law-2021-akim.toml");
    let proposal_akim = rules("proposal-akim-rec19.toml");
    let law_party = rules("law-2021-party.toml");
    let proposal_party = rules("proposal-party-rec16-23.toml");
    assert_eq!(kinds(&law_akim), "sources spending-limit");
    assert_eq!(
        kinds(&proposal_akim),
        "sources donation-cap in-kind-valued own-funds-cap spending-limit reports"
    );
    assert_eq!(kinds(&law_party), "", "the seed cites no limit of the law on party donations");
    assert_eq!(
        kinds(&proposal_party),
        "sources donation-cap in-kind-valued spending-limit separate-accounts reports audit-before-admission"
    );
    // The law's values are the seed's: state money only, KZT 220,000 (lines 1788-1795).
    assert_eq!(law_akim.rules()[0].limit, Limit::Sources { allowed: vec![Source::State] });
    assert!(law_akim.rules().iter().all(|rule| rule.scenario.is_none()));
    // Recommendation 23: donations from individuals only; no scenario needed.
    assert_eq!(
        proposal_party.rules()[0].limit,
        Limit::Sources { allowed: vec![Source::State, Source::MembershipFee, Source::Individual] }
    );
    // Every amount or period the seed does not give is a marked scenario parameter.
    for set in [&proposal_akim, &proposal_party] {
        for rule in set.rules() {
            assert!(!rule.article.is_empty() && rule.seed.starts_with("line"), "{rule:?}");
            let valued = matches!(
                rule.limit,
                Limit::DonationCap { .. }
                    | Limit::OwnFundsCap { .. }
                    | Limit::SpendingLimit { .. }
                    | Limit::Reports { .. }
            );
            if valued {
                assert!(
                    rule.scenario.is_some(),
                    "{} in {} has no scenario",
                    rule.limit.kind(),
                    set.id()
                );
            }
        }
    }
}

#[test]
fn sample_ledgers_under_law_and_proposal() {
    let akim = read_ledger(&data_dir().join("kz/examples/finance-ledger-akim-synthetic.csv"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(akim.entries().len(), 16);
    assert_eq!(akim.entries()[0].kind, EntryKind::Audit);
    assert_eq!(akim.entries()[0].line, 2, "lines count the header");
    let codes = |rules: &FinanceRules| {
        let report = check(rules, &akim);
        report
            .outcomes
            .iter()
            .map(|it| format!("{}:{}", it.code, it.findings.len()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(codes(&rules("law-2021-akim.toml")), "CF-1:8 CF-5:3");
    assert_eq!(
        codes(&rules("proposal-akim-rec19.toml")),
        "CF-1:0 CF-2:1 CF-3:1 CF-4:1 CF-5:0 CF-7:3"
    );
    let party = read_ledger(&data_dir().join("kz/examples/finance-ledger-party-synthetic.csv"))
        .unwrap_or_else(|err| panic!("{err}"));
    let report = check(&rules("proposal-party-rec16-23.toml"), &party);
    let found: Vec<String> = report
        .outcomes
        .iter()
        .flat_map(|it| {
            it.findings.iter().map(|f| format!("{} line {:?}: {}", f.code, f.line, f.found))
        })
        .collect();
    assert_eq!(
        found,
        [
            "CF-1 line Some(5): 150000000 KZT from legal-entity \"Steppe Holding JSC\"",
            "CF-2 line Some(5): a donation of 150000000 KZT from legal-entity \"Steppe Holding JSC\"",
            "CF-2 line Some(6): a donation of 50000000 KZT from individual \"Iskakova Dana\"",
            "CF-6 line Some(2): a membership fee to account fees-0001, which also receives donations",
            "CF-6 line Some(3): a membership fee to account fees-0001, which also receives donations",
            "CF-6 line Some(7): a donation to account fees-0001, which also receives membership fees",
            "CF-6 line Some(9): a donation without an account",
            "CF-7 line Some(11): reported on 2021-04-20, 131 days later",
            "CF-7 line Some(13): reported on 2021-04-20, 99 days later",
            "CF-8 line Some(8): admitted on 2020-11-20, audited only on 2020-12-15",
        ]
    );
    assert_eq!(report.totals.spending, 855_000_000);
    let law = check(&rules("law-2021-party.toml"), &party);
    assert_eq!(law.findings, 0);
}

#[test]
fn bad_ledgers_name_file_line_field_and_rule() {
    let header = "date,kind,donor_type,counterparty,amount_kzt,in_kind,account,reported_on,note\n";
    let check_bad = |rows: &str, expect: &[&str]| {
        let err = parse_ledger("l.csv", &format!("{header}{rows}")).expect_err("rejected");
        let got: Vec<String> = err.0.iter().map(ToString::to_string).collect();
        assert_eq!(got, expect, "{rows}");
    };
    check_bad(
        "2021-07-40,donation,individual,A,100,,,,\n",
        &["l.csv:2: entries[0].date: 2021-07-40 is not a day of the calendar (rule E-25)"],
    );
    check_bad(
        "2021-07-01,donation,,A,100,,,,\n2021-07-02,spending,,B,,,,,\n",
        &[
            "l.csv:2: entries[0].donor_type: a donation needs donor_type (individual, legal-entity, foreign or anonymous) (rule E-4)",
            "l.csv:3: entries[1].amount_kzt: money received or spent needs amount_kzt (rule E-4)",
        ],
    );
    check_bad(
        "2021-07-01,own-funds,,me,100,true,,,\n2021-07-01,audit,,,5,,,,\n2021-07-03,state,,S,1,,,2021-07-02,\n",
        &[
            "l.csv:2: entries[0].in_kind: only a donation can be in kind (rule E-17)",
            "l.csv:3: entries[1].amount_kzt: an audit carries no amount_kzt (rule E-17)",
            "l.csv:4: entries[2].reported_on: reported on 2021-07-02, before the entry's date 2021-07-03 (rule E-25)",
        ],
    );
    check_bad(
        "2021-07-01,admission,,,,,,,\n2021-07-02,admission,,,,,,,\n2021-07-03,gift,,,-5,,,,\n",
        &[
            "l.csv:3: entries[1].kind: a second admission; the first is entry 0 (rule E-33)",
            "l.csv:4: entries[2].kind: unknown entry kind \"gift\" (expected one of donation, membership-fee, own-funds, state, spending, audit, admission) (rule E-8)",
            "l.csv:4: entries[2].amount_kzt: expected a whole, non-negative amount of tenge, found -5 (rule E-41)",
        ],
    );
    let rules_err = parse_finance_rules(
        "r.toml",
        "[finance_rules]\nid = \"x\"\nname = \"x\"\nstatus = \"law\"\nscope = \"party\"\n\n[[rules]]\nkind = \"sources\"\nallowed = [\"state\", \"state\"]\narticle = \"a\"\nseed = \"s\"\n\n[[rules]]\nkind = \"donation-cap\"\nmax_kzt = 1.5\narticle = \"a\"\nseed = \"s\"\n",
    )
    .expect_err("rejected");
    let got: Vec<String> = rules_err.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "r.toml:9: rules[0].allowed[1]: the source state is given twice (rule E-29)",
            "r.toml:15: rules[1].max_kzt: expected a whole amount of tenge, found the float 1.5; floats are inexact (rule E-6)",
        ]
    );
}

#[test]
fn every_rule_code_is_documented() {
    let doc = std::fs::read_to_string(data_dir().join("../docs/finance-format.md"))
        .unwrap_or_else(|err| panic!("docs/finance-format.md: {err}"));
    let limits = [
        Limit::Sources { allowed: vec![Source::State] },
        Limit::DonationCap { max: saylau_core::law::funding::Tenge(1) },
        Limit::InKindValued,
        Limit::OwnFundsCap { max: saylau_core::law::funding::Tenge(1) },
        Limit::SpendingLimit { max: saylau_core::law::funding::Tenge(1) },
        Limit::SeparateAccounts,
        Limit::Reports { within_days: 1 },
        Limit::AuditBeforeAdmission,
    ];
    for (idx, limit) in limits.iter().enumerate() {
        assert_eq!(limit.code(), format!("CF-{}", idx + 1));
        let row = format!("| `{}` | `{}`", limit.code(), limit.kind());
        assert!(doc.contains(&row), "docs/finance-format.md has no row {row}");
    }
}
