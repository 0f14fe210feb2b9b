//! The whole Mazhilis of 107 elected directly (the 9 seats of the Assembly of the People
//! dropped, as the seed recommends) under its 17-district and 50/50 plans: the seats add
//! up to 107, and the district magnitudes and list seats are the Hare largest remainders
//! this test recomputes on its own from the populations and votes in the output.

use serde_json::Value;

use crate::command::saylau;

fn allocate_json(path: &str) -> Value {
    let output = saylau(&["allocate", path, "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// Hare largest remainders of `seats` over `weights`, ties to the earlier entry.
fn hare(seats: u64, weights: &[u64]) -> Vec<u64> {
    let total: u64 = weights.iter().sum();
    let mut res: Vec<u64> = weights.iter().map(|w| w * seats / total).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Remainders compared exactly: (w * seats) mod total, over the same denominator.
    order.sort_by_key(|&idx| std::cmp::Reverse(weights[idx] * seats % total));
    let left = seats - res.iter().sum::<u64>();
    for &idx in order.iter().take(usize::try_from(left).expect("few seats")) {
        res[idx] += 1;
    }
    res
}

fn numbers(values: &Value, key: &str) -> Vec<u64> {
    values.as_array().expect("an array").iter().map(|it| it[key].as_u64().expect(key)).collect()
}

#[test]
fn seventeen_districts_share_the_107_seats_by_population() {
    let report = allocate_json("data/kz/reform-107-17-districts.toml");
    assert_eq!(report["seats"], 107);
    let districts = &report["districts"];
    assert_eq!(districts.as_array().expect("districts").len(), 17);
    let magnitudes = numbers(districts, "magnitude");
    assert_eq!(magnitudes, hare(107, &numbers(districts, "population")));
    // Almaty city, the largest district, elects 12; no district elects fewer than 3.
    assert_eq!(magnitudes.iter().max(), Some(&12));
    assert_eq!(magnitudes.iter().min(), Some(&3));
    for district in districts.as_array().expect("districts") {
        let seats: u64 = numbers(&district["lists"], "seats").iter().sum();
        assert_eq!(Some(seats), district["magnitude"].as_u64(), "{}", district["id"]);
    }
    let total: u64 = numbers(&report["lists"], "seats").iter().sum();
    assert_eq!(total, 107);
}

#[test]
fn the_50_50_plan_elects_54_from_lists_and_53_in_districts() {
    let report = allocate_json("data/kz/reform-107-mixed-50-50.toml");
    assert_eq!(report["seats"], 107);
    let lists = &report["lists"];
    let votes = numbers(lists, "votes");
    let valid: u64 = votes.iter().sum();
    // 7 % of the valid votes (the threshold of January 2021).
    let admitted: Vec<u64> =
        votes.iter().map(|&v| if v * 100 >= valid * 7 { v } else { 0 }).collect();
    let list_seats = hare(54, &admitted);
    assert_eq!(list_seats, [42, 7, 5, 0, 0]);
    // The national leader takes the 53 single-member seats in the model.
    let mut expected = list_seats;
    expected[0] += 53;
    assert_eq!(numbers(lists, "seats"), expected);
}
