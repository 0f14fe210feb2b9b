//! Weights against R's `survey` package: raking (`rake`), the weighted mean with its
//! linearised standard error and design effect (`svymean(..., deff = TRUE)`), design
//! weights and trimming (`trimWeights`), to 1e-9.
//!
//! Runs `Rscript` (Debian `r-base-core` and `r-cran-survey`, installed by `.ci/run`). When
//! Rscript is missing the test fails under `CI=true` and is reported as not run otherwise.

use std::fmt::Write as _;
use std::process::Command;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use saylau_survey::weights::{self, IntervalMethod, Margin, RakeOptions};

/// The seed's 7 analysis units (respondents) and a population of 12 million voters.
const MACRO_N: [usize; 7] = [182, 238, 243, 229, 83, 115, 110];
const MACRO_SHARE: [f64; 7] = [0.106, 0.063, 0.152, 0.379, 0.155, 0.071, 0.074];
const SEX_SHARE: [f64; 2] = [0.47, 0.53];
const AGE_SHARE: [f64; 4] = [0.27, 0.30, 0.25, 0.18];
const TOWN_SHARE: [f64; 2] = [0.58, 0.42];
const POPULATION: f64 = 12_000_000.0;

struct Sample {
    macro_region: Vec<u16>,
    sex: Vec<u16>,
    age: Vec<u16>,
    town: Vec<u16>,
    voted: Vec<f64>,
}

fn sample() -> Sample {
    let mut rng = ChaCha8Rng::seed_from_u64(2021);
    let mut res =
        Sample { macro_region: vec![], sex: vec![], age: vec![], town: vec![], voted: vec![] };
    for (unit, n) in MACRO_N.iter().enumerate() {
        for _ in 0..*n {
            let unit = u16::try_from(unit).expect("7 units");
            res.macro_region.push(unit);
            // An opt-in sample: more women, more young, more towns than the population.
            res.sex.push(u16::from(rng.random_bool(0.6)));
            let age = rng.random_range(0..10_u16);
            res.age.push(match age {
                0..=3 => 0,
                4..=6 => 1,
                7..=8 => 2,
                _ => 3,
            });
            res.town.push(u16::from(rng.random_bool(0.25)));
            let p = 0.35 + 0.05 * f64::from(unit % 3) + 0.1 * f64::from(age >= 7);
            res.voted.push(f64::from(u8::from(rng.random_bool(p))));
        }
    }
    res
}

fn targets(shares: &[f64]) -> Vec<f64> {
    shares.iter().map(|it| it * POPULATION).collect()
}

fn rscript_output(script: &str) -> Option<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("check.R");
    std::fs::write(&path, script).expect("the R script is written");
    let output = match Command::new("Rscript").arg(&path).output() {
        Ok(output) => output,
        Err(err) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "Rscript is required under CI: {err}"
            );
            eprintln!("r_survey: Rscript not found ({err}); the comparison with R was not run");
            return None;
        }
    };
    assert!(output.status.success(), "Rscript failed: {}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).expect("R prints UTF-8"))
}

fn r_values(output: &str, name: &str) -> Vec<f64> {
    let line = output
        .lines()
        .find(|it| it.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("R printed no {name}: {output}"));
    line.split_whitespace().skip(1).map(|it| it.parse().expect("a number from R")).collect()
}

fn assert_close(name: &str, ours: &[f64], theirs: &[f64], relative: bool) {
    assert_eq!(ours.len(), theirs.len(), "{name}: lengths");
    for (idx, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let scale = if relative { b.abs().max(1.0) } else { 1.0 };
        assert!((a - b).abs() / scale < 1e-9, "{name}[{idx}]: saylau {a} vs R {b}");
    }
}

fn r_vector(name: &str, values: &[u16]) -> String {
    let items: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!("{name} <- c({})\n", items.join(","))
}

fn r_doubles(name: &str, values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|it| format!("{it:e}")).collect();
    format!("{name} <- c({})\n", items.join(","))
}

#[test]
fn weights_that_do_not_converge_are_reported() {
    let sample = sample();
    let (sex, age) = (targets(&SEX_SHARE), targets(&AGE_SHARE));
    let margins = [
        Margin { name: "sex", categories: &sample.sex, targets: &sex },
        Margin { name: "age", categories: &sample.age, targets: &age },
    ];
    let start = vec![1.0; sample.sex.len()];
    let raking = weights::rake(&start, &margins, RakeOptions { max_iterations: 1, epsilon: 1e-12 })
        .expect("consistent margins");
    assert!(!raking.converged);
    assert_eq!(raking.iterations, 1);
    let empty = [Margin { name: "age", categories: &vec![0; sample.sex.len()], targets: &age }];
    let err = weights::rake(&start, &empty, RakeOptions { max_iterations: 10, epsilon: 1.0 })
        .expect_err("age 1-3 have no respondent");
    assert_eq!(
        err.to_string(),
        "margin age: category 1 has a target of 3600000 but no respondent (rule W-2)"
    );
}

#[test]
fn raking_mean_se_and_deff_agree_with_r_survey() {
    let sample = sample();
    let n = sample.voted.len();
    let macro_targets = targets(&MACRO_SHARE);
    let design = weights::design_weights(&Margin {
        name: "macro",
        categories: &sample.macro_region,
        targets: &macro_targets,
    })
    .expect("every unit has respondents");
    let (sex, age, town) = (targets(&SEX_SHARE), targets(&AGE_SHARE), targets(&TOWN_SHARE));
    let margins = [
        Margin { name: "sex", categories: &sample.sex, targets: &sex },
        Margin { name: "age", categories: &sample.age, targets: &age },
        Margin { name: "town", categories: &sample.town, targets: &town },
        Margin { name: "macro", categories: &sample.macro_region, targets: &macro_targets },
    ];
    let options = RakeOptions { max_iterations: 50, epsilon: 1e-10 };
    let raking = weights::rake(&design, &margins, options).expect("the margins are consistent");
    assert!(
        raking.converged && raking.max_margin_gap < 1e-3,
        "{} {}",
        raking.iterations,
        raking.max_margin_gap
    );
    let unweighted = weights::weighted_mean(&sample.voted, &design, None);
    let raked = weights::weighted_mean(&sample.voted, &raking.weights, Some(&raking));
    let trimmed = weights::trim(&raking.weights, 5_000.0, 20_000.0, true);

    let script = r_script(&sample, [&macro_targets, &sex, &age, &town]);
    let Some(output) = rscript_output(&script) else { return };

    assert_close("design weights", &design, &r_values(&output, "design"), true);
    assert_close("raked weights", &raking.weights, &r_values(&output, "raked"), true);
    assert_close("trimmed weights", &trimmed, &r_values(&output, "trimmed"), true);
    assert_close(
        "svymean",
        &[unweighted.mean, unweighted.se, unweighted.deff],
        &r_values(&output, "plain"),
        false,
    );
    assert_close(
        "raked svymean",
        &[raked.mean, raked.se, raked.deff],
        &r_values(&output, "rakedmean"),
        false,
    );
    let (mean_lo, mean_hi) = weights::proportion_interval(&raked, n, 0.95, IntervalMethod::Mean);
    let (logit_lo, logit_hi) =
        weights::proportion_interval(&raked, n, 0.99, IntervalMethod::Xlogit);
    // R's default method ("logit", an intercept-only quasibinomial model) gives the xlogit interval.
    assert_close(
        "svyciprop",
        &[mean_lo, mean_hi, logit_lo, logit_hi, logit_lo, logit_hi],
        &r_values(&output, "ciprop"),
        false,
    );
    assert_eq!(n, 1200);
}

fn join(values: &[f64]) -> String {
    values.iter().map(|it| format!("{it:e}")).collect::<Vec<_>>().join(",")
}

/// The same computation in R.
fn r_script(sample: &Sample, targets: [&[f64]; 4]) -> String {
    let mut script = String::from("suppressMessages(library(survey)); options(digits = 17)\n");
    script += &r_vector("macro", &sample.macro_region);
    script += &r_vector("sex", &sample.sex);
    script += &r_vector("age", &sample.age);
    script += &r_vector("town", &sample.town);
    script += &r_doubles("voted", &sample.voted);
    script += "d <- data.frame(macro = factor(macro), sex = factor(sex), age = factor(age), town = factor(town), voted = voted)\n";
    script += "d$w0 <- 1\n";
    script += "s0 <- svydesign(ids = ~1, weights = ~w0, data = d)\n";
    let _ =
        writeln!(script, "mt <- data.frame(macro = factor(0:6), Freq = c({}))", join(targets[0]));
    script += "ds <- postStratify(s0, ~macro, mt)\n";
    script += "d$w <- weights(ds)\n";
    script += "s <- svydesign(ids = ~1, weights = ~w, data = d)\n";
    let _ = writeln!(script, "st <- data.frame(sex = factor(0:1), Freq = c({}))", join(targets[1]));
    let _ = writeln!(script, "at <- data.frame(age = factor(0:3), Freq = c({}))", join(targets[2]));
    let _ =
        writeln!(script, "tt <- data.frame(town = factor(0:1), Freq = c({}))", join(targets[3]));
    script += "r <- rake(s, list(~sex, ~age, ~town, ~macro), list(st, at, tt, mt), control = list(maxit = 50, epsilon = 1e-10))\n";
    script += "m0 <- svymean(~voted, s, deff = TRUE)\n";
    script += "m <- svymean(~voted, r, deff = TRUE)\n";
    script += "c1 <- svyciprop(~voted, r, method = 'mean', level = 0.95); c2 <- svyciprop(~voted, r, method = 'xlogit', level = 0.99); c3 <- svyciprop(~voted, r, level = 0.99)\n";
    script += "cat('ciprop', confint(c1), confint(c2), confint(c3), '\\n')\n";
    script += "tr <- trimWeights(r, lower = 5000, upper = 20000, strict = TRUE)\n";
    script += "cat('design', weights(s), '\\n'); cat('raked', weights(r), '\\n'); cat('trimmed', weights(tr), '\\n')\n";
    script += "cat('plain', coef(m0), SE(m0), deff(m0), '\\n'); cat('rakedmean', coef(m), SE(m), deff(m), '\\n')\n";
    script
}
