//! Registration regimes and membership files: the bundled ones read, and bad files report
//! every problem with its line and rule.

use saylau_formats::{parse_membership, read_membership, read_regimes};

use crate::data_dir;

#[test]
fn bundled_regimes_and_memberships_read() {
    let regimes = read_regimes(&data_dir().join("kz/party-registration.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let sets: Vec<(&str, usize)> =
        regimes.region_sets.iter().map(|set| (set.id.as_str(), set.regions.len())).collect();
    assert_eq!(sets, [("14+3", 17), ("17+3", 20)]);
    let ids: Vec<&str> = regimes.regimes.iter().map(|regime| regime.id.as_str()).collect();
    assert_eq!(
        ids,
        ["law-2002", "law-2009", "law-2020", "law-2023", "proposed-1000", "proposed-3000"]
    );
    for name in ["party-membership-synthetic.toml", "party-membership-cities-synthetic.toml"] {
        let file =
            read_membership(&data_dir().join("kz/examples").join(name), &regimes.region_sets)
                .unwrap_or_else(|err| panic!("{err}"));
        assert!(file.synthetic, "{name}");
    }
}

#[test]
fn a_bad_membership_reports_every_problem() {
    let regimes = read_regimes(&data_dir().join("kz/party-registration.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let text = r#"[party]
name = "x"
synthetic = true
region_set = "14+3"
initiative_group = -5

[members]
akmola = 700
atlantis = 10
aktobe = "many"

[congress]
akmola = 10
"#;
    let diagnostics =
        parse_membership("m.toml", text, &regimes.region_sets).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
        m.toml:5: party.initiative_group: expected a whole number of people, found -5 (rule E-11)
        m.toml:7: members.almaty-region: the region almaty-region (Almaty Region) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.atyrau: the region atyrau (Atyrau) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.west-kazakhstan: the region west-kazakhstan (West Kazakhstan) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.zhambyl: the region zhambyl (Zhambyl) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.karaganda: the region karaganda (Karaganda) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.kostanay: the region kostanay (Kostanay) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.kyzylorda: the region kyzylorda (Kyzylorda) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.mangystau: the region mangystau (Mangystau) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.pavlodar: the region pavlodar (Pavlodar) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.north-kazakhstan: the region north-kazakhstan (North Kazakhstan) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.turkistan: the region turkistan (Turkistan) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.east-kazakhstan: the region east-kazakhstan (East Kazakhstan) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.astana-city: the region astana-city (Nur-Sultan (Astana) city) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.almaty-city: the region almaty-city (Almaty city) is missing: write 0 if it has none (rule E-31)
        m.toml:7: members.shymkent-city: the region shymkent-city (Shymkent city) is missing: write 0 if it has none (rule E-31)
        m.toml:9: members.atlantis: atlantis is not a region of the set 14+3 (rule E-31)
        m.toml:10: members.aktobe: expected a whole number of people, found the string "many" (rule E-5)
        "#);
    let unknown = "[party]\nname = \"x\"\nsynthetic = false\nregion_set = \"15+2\"\n[members]\n";
    let diagnostics =
        parse_membership("m.toml", unknown, &regimes.region_sets).expect_err("an unknown set");
    insta::assert_snapshot!(diagnostics, @r#"
        m.toml:4: party.region_set: unknown region set "15+2" (expected one of 14+3, 17+3) (rule E-31)
        "#);
}
