//! Eligibility rule sets and candidate files: the bundled ones read, TOML and CSV agree,
//! and bad files report every problem with its line and rule.

use saylau_core::law::date::Date;
use saylau_core::law::eligibility::{Office, eligibility};
use saylau_formats::{
    parse_candidates, parse_candidates_csv, parse_rule_set, read_candidates, read_rule_set,
};

use crate::data_dir;

#[test]
fn bundled_rule_sets_and_candidates_read() {
    let law = read_rule_set(&data_dir().join("kz/eligibility-law-2021.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let proposed = read_rule_set(&data_dir().join("kz/eligibility-proposed.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let kinds = |rules: &saylau_core::law::eligibility::RuleSet| {
        rules.rules().iter().map(|rule| rule.requirement.kind()).collect::<Vec<_>>().join(" ")
    };
    assert_eq!(
        kinds(&law),
        "age education experience criminal-record corruption signatures deposit security-check tax-declaration signature-sheets nominees"
    );
    assert_eq!(
        kinds(&proposed),
        "age education criminal-record corruption deposit tax-declaration signature-sheets local-residence no-party-post nominees"
    );
    assert!(law.rules().iter().all(|rule| !rule.article.is_empty() && !rule.seed.is_empty()));
    let toml =
        read_candidates(&data_dir().join("kz/examples/akim-candidates-synthetic.toml"), None, None)
            .unwrap_or_else(|err| panic!("{err}"));
    assert!(toml.meta.synthetic);
    let day = Date::parse("2021-07-25").expect("a date");
    let csv = read_candidates(
        &data_dir().join("kz/examples/akim-candidates-synthetic.csv"),
        Some(day),
        None,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        toml.candidates, csv.candidates,
        "the TOML and CSV examples hold the same candidates"
    );
    let report = eligibility(&law, &toml.candidates);
    assert_eq!((report.eligible, report.ineligible), (5, 6));
}

#[test]
fn a_bad_rule_set_reports_every_problem() {
    let text = r#"[rule_set]
id = "x"
name = "x"
status = "maybe"

[[rules]]
kind = "age"
min_years = 25
article = "art. 1"
seed = "line 1"

[[rules]]
kind = "deposit"
amount_kzt = 42500.0
article = "art. 113-5"
seed = "line 1635"

[[rules]]
kind = "age"
min_years = 18
article = "art. 1"
seed = "line 1"

[[rules]]
kind = "height"
article = ""

[[rules]]
kind = "signatures"
self_nominee_share = 1
article = "art. 113-4"
seed = "line 1631"
colour = "red"
"#;
    let diagnostics = parse_rule_set("rules.toml", text).expect_err("a bad rule set");
    insta::assert_snapshot!(diagnostics, @r#"
        rules.toml:4: rule_set.status: unknown status "maybe" (expected one of law, proposal) (rule E-8)
        rules.toml:14: rules[1].amount_kzt: expected a whole number of tenge, found the float 42500.0; floats are inexact (rule E-6)
        rules.toml:18: rules[2].kind: the kind age is given twice (rule E-29)
        rules.toml:24: rules[3].seed: missing key seed (rule E-4)
        rules.toml:25: rules[3].kind: unknown rule kind "height" (expected one of age, education, experience, criminal-record, corruption, signatures, deposit, nominees, security-check, tax-declaration, signature-sheets, local-residence, no-party-post, party-nominee, citizen-by-birth, state-language, country-residence, public-service) (rule E-8)
        rules.toml:26: rules[3].article: must not be empty (rule E-14)
        rules.toml:30: rules[4].self_nominee_share: expected a percentage such as "7%", found the integer 1: write self_nominee_share = "1%" (rule E-5)
        rules.toml:33: rules[4].colour: unknown key colour (expected one of: kind, article, seed, note, self_nominee_share) (rule E-3)
        "#);
}

#[test]
fn a_bad_candidates_file_reports_every_problem() {
    let text = r#"[akim_election]
name = "x"
day = "2021-02-29"
synthetic = true

[[candidates]]
name = "A"
race = "r"
birth_date = 1990-01-01
age = 31
education = "doctorate"
civil_service_years = -1
management_years = 0
criminal_record = "no"
corruption_offence = false
nomination = "self"
deposit_kzt = 42500
race_voters = 100

[[candidates]]
name = "B"
race = "r"
age = 40
education = "higher"
civil_service_years = 1
management_years = 0
criminal_record = false
corruption_offence = false
nomination = "party"
deposit_kzt = 42500
race_voters = 120
"#;
    let diagnostics = parse_candidates("candidates.toml", text).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
        candidates.toml:3: akim_election.day: 2021-02-29 is not a day of the calendar (rule E-25)
        candidates.toml:9: candidates[0].birth_date: give birth_date or age, not both (rule E-27)
        candidates.toml:11: candidates[0].education: unknown education level "doctorate" (expected one of basic, secondary, vocational, higher) (rule E-8)
        candidates.toml:12: candidates[0].civil_service_years: expected a whole number of years, found -1 (rule E-11)
        candidates.toml:14: candidates[0].criminal_record: expected true or false, found the string "no" (rule E-5)
        "#);
}

#[test]
fn a_bad_csv_reports_rows_by_line() {
    let day = Date::parse("2021-07-25").expect("a date");
    let text = "name,race,birth_date,education,civil_service_years,management_years,criminal_record,corruption_offence,nomination,deposit_kzt,race_voters\n\
                A,r,1990-01-01,higher,1,0,false,false,self,42500,100\n\
                B,r,1990-01-01,higher,1,0,false,false\n\
                C,r,,higher,1,0,false,false,self,42500,100\n\
                D,r,1990-01-01,higher,1,0,false,false,self,42500,99\n\
                E,r,2021-07-26,higher,1,0,false,false,self,42500,100\n";
    let diagnostics =
        parse_candidates_csv("c.csv", text, day, Office::Akim).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
        c.csv:3: this row has 8 fields, the header has 11 columns (rule E-26)
        c.csv:4: candidates[2].birth_date: give birth_date or age (rule E-27)
        c.csv:5: candidates[3].race_voters: race r has 99 voters here, 100 for an earlier candidate (rule E-28)
        c.csv:6: candidates[4].birth_date: born on 2021-07-26, after election day 2021-07-25 (rule E-27)
        "#);
}

#[test]
fn minor_discrepancies_are_refusals_under_the_law_and_corrections_under_the_proposal() {
    let law = read_rule_set(&data_dir().join("kz/eligibility-law-2021.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let proposed = read_rule_set(&data_dir().join("kz/eligibility-proposed.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let day = Date::parse("2021-07-25").expect("a date");
    let file = read_candidates(
        &data_dir().join("kz/examples/akim-candidates-registration-synthetic.csv"),
        Some(day),
        None,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let verdicts = |rules| {
        let report = eligibility(rules, &file.candidates);
        report
            .candidates
            .iter()
            .map(|check| {
                let failed: Vec<&str> = check.failures.iter().map(|it| it.rule).collect();
                let fix: Vec<String> = check
                    .corrections
                    .iter()
                    .map(|it| format!("{} in {} days", it.rule, it.within_days))
                    .collect();
                format!("{}: [{}] [{}]", check.name, failed.join(" "), fix.join(" "))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        verdicts(&law),
        [
            "Abdrakhmanov Yerlan: [] []",
            "Baimukhanova Zhanar: [tax-declaration] []",
            "Seitkali Nurbol: [signature-sheets] []",
            "Kenzhebekov Aidos: [security-check] []",
            "Mukhametova Asem: [tax-declaration] []",
        ]
    );
    assert_eq!(
        verdicts(&proposed),
        [
            "Abdrakhmanov Yerlan: [no-party-post] []",
            "Baimukhanova Zhanar: [] [tax-declaration in 5 days]",
            "Seitkali Nurbol: [local-residence] [signature-sheets in 5 days]",
            "Kenzhebekov Aidos: [] []",
            "Mukhametova Asem: [tax-declaration] []",
        ]
    );
    let bad = parse_rule_set(
        "r.toml",
        "[rule_set]\nid = \"x\"\nname = \"x\"\nstatus = \"proposal\"\n\n[[rules]]\nkind = \"tax-declaration\"\nminor = \"correctable\"\narticle = \"a\"\nseed = \"s\"\n\n[[rules]]\nkind = \"signature-sheets\"\nminor = \"refusal\"\ncorrect_within_days = 3\narticle = \"a\"\nseed = \"s\"\n",
    )
    .expect_err("rejected");
    let got: Vec<String> = bad.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "r.toml:6: rules[0].correct_within_days: missing key correct_within_days (rule E-4)",
            "r.toml:15: rules[1].correct_within_days: correct_within_days applies only to minor = \"correctable\" (rule E-17)",
        ]
    );
}

#[test]
fn every_office_has_a_law_and_a_proposal_bundled() {
    let kinds = |path: &str| {
        let set = read_rule_set(&data_dir().join(path)).unwrap_or_else(|err| panic!("{err}"));
        assert!(set.rules().iter().all(|rule| !rule.article.is_empty() && !rule.seed.is_empty()));
        let kinds: Vec<&str> = set.rules().iter().map(|rule| rule.requirement.kind()).collect();
        (set.office().as_str(), set.status(), kinds.join(" "))
    };
    use saylau_core::law::eligibility::RuleSetStatus::{Law, Proposal};
    assert_eq!(
        kinds("kz/eligibility/mazhilis-law-2021.toml"),
        ("mazhilis", Law, "age country-residence party-nominee criminal-record corruption".into())
    );
    assert_eq!(
        kinds("kz/eligibility/mazhilis-proposed.toml"),
        ("mazhilis", Proposal, "age criminal-record corruption".into())
    );
    assert_eq!(
        kinds("kz/eligibility/maslikhat-law-2021.toml"),
        ("maslikhat", Law, "age party-nominee criminal-record corruption".into())
    );
    assert_eq!(
        kinds("kz/eligibility/maslikhat-proposed.toml"),
        ("maslikhat", Proposal, "age criminal-record corruption".into())
    );
    assert_eq!(
        kinds("kz/eligibility/president-law-2019.toml"),
        (
            "president",
            Law,
            "age citizen-by-birth state-language country-residence education public-service security-check criminal-record corruption".into()
        )
    );
    assert_eq!(
        kinds("kz/eligibility/president-proposed.toml"),
        (
            "president",
            Proposal,
            "age citizen-by-birth state-language education criminal-record corruption".into()
        )
    );
    // The akim files name no office: a rural akim's, as before offices existed.
    assert_eq!(kinds("kz/eligibility-law-2021.toml").0, "akim");
    let file = read_candidates(
        &data_dir().join("kz/examples/president-candidates-synthetic.toml"),
        None,
        None,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(file.meta.office, Office::President);
    let diplomat = &file.candidates.candidates()[1];
    assert_eq!(diplomat.years_in_country.map(|it| it.0), Some(9));
    assert_eq!(diplomat.citizen_by_birth, Some(true));
    let file = read_candidates(
        &data_dir().join("kz/examples/maslikhat-candidates-synthetic.csv"),
        Some(Date::parse("2021-01-10").expect("a date")),
        Some(Office::Maslikhat),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(file.meta.office, Office::Maslikhat);
}

#[test]
fn an_election_table_names_a_known_office_and_comes_once() {
    let candidate = r#"
[[candidates]]
name = "A"
race = "r"
age = 40
education = "higher"
civil_service_years = 1
management_years = 0
criminal_record = false
corruption_offence = false
nomination = "party"
deposit_kzt = 0
race_voters = 100
years_in_country = -3
state_language = "yes"
"#;
    let text = format!(
        "[office_election]\nname = \"x\"\noffice = \"senate\"\nday = 2021-01-10\nsynthetic = true\n{candidate}"
    );
    let diagnostics = parse_candidates("c.toml", &text).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
        c.toml:3: office_election.office: unknown office "senate" (expected one of akim, mazhilis, maslikhat, president) (rule E-8)
        c.toml:19: candidates[0].years_in_country: expected a whole number of years, found -3 (rule E-11)
        c.toml:20: candidates[0].state_language: expected true or false, found the string "yes" (rule E-5)
        "#);
    let both = format!(
        "[office_election]\nname = \"x\"\noffice = \"mazhilis\"\nday = 2021-01-10\nsynthetic = true\n[akim_election]\nname = \"y\"\nday = 2021-01-10\nsynthetic = true\n{candidate}"
    );
    let diagnostics = parse_candidates("c.toml", &both).expect_err("two headers");
    assert!(
        diagnostics.to_string().contains("give [office_election] or [akim_election], not both")
    );
    let akim_office = "[akim_election]\nname = \"x\"\noffice = \"mazhilis\"\nday = 2021-01-10\nsynthetic = true\n";
    let diagnostics =
        parse_candidates("c.toml", &format!("{akim_office}{candidate}")).expect_err("no office");
    assert!(
        diagnostics.to_string().contains("akim_election.office: unknown key office"),
        "{diagnostics}"
    );
}
