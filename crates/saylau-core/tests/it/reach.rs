//! Property tests that count how many generated cases reached their assertions (shared:
//! saylau-formats and saylau-stats include this file with `#[path]`).
//!
//! A property that returns early for most inputs (nothing admitted, a zero quota, an
//! allocation refused) passes while testing almost nothing. [`check`] runs a property
//! like `proptest!` does and then fails unless at least 90 % of the generated cases
//! reached the property's assertions, as the property reports with [`Reached`].
//! [`properties!`] writes such tests in `proptest!`'s own syntax:
//!
//! ```ignore
//! properties! {
//!     cases = Some(384);
//!     fn name(a in strategy_a(), (b, c) in strategy_bc()) { holds(a, b, c) }
//! }
//! ```

use std::cell::Cell;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Whether a generated case reached the property's assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reached {
    /// The assertions ran (and held).
    Yes,
    /// The case fell outside the property (an early return): it tested nothing.
    No,
}

/// The least share of generated cases, in percent, that must reach the assertions.
const MIN_REACHED_PERCENT: u32 = 90;

/// Runs `property` on `cases` values of `strategy` (proptest's default when `None`, or
/// `PROPTEST_CASES`), fails on the first case that fails, shrunk, and then fails unless at
/// least 90 % of the cases reached their assertions.
pub(crate) fn check<S: Strategy<Value: std::fmt::Debug>>(
    name: &str,
    cases: Option<u32>,
    strategy: S,
    property: impl Fn(S::Value) -> Result<Reached, TestCaseError>,
) {
    let defaults = Config::default();
    let config =
        Config { cases: cases.unwrap_or(defaults.cases), failure_persistence: None, ..defaults };
    let mut runner = TestRunner::new(config);
    let (total, reached) = (Cell::new(0u32), Cell::new(0u32));
    let res = runner.run(&strategy, |value| {
        total.set(total.get() + 1);
        let outcome = property(value)?;
        if outcome == Reached::Yes {
            reached.set(reached.get() + 1);
        }
        Ok(())
    });
    if let Err(err) = res {
        panic!("{name}: {err}");
    }
    let (total, reached) = (total.get(), reached.get());
    assert!(
        u64::from(reached) * 100 >= u64::from(total) * u64::from(MIN_REACHED_PERCENT),
        "{name}: only {reached} of {total} generated cases reached the assertions \
         (at least {MIN_REACHED_PERCENT} % must): the strategy generates mostly cases \
         the property skips"
    );
    eprintln!("{name}: {reached} of {total} cases reached the assertions");
}

/// `#[test]`s in `proptest!`'s syntax whose bodies return `Result<Reached, TestCaseError>`,
/// run by [`check`] with `cases` cases (`None`: proptest's default).
macro_rules! properties {
    (cases = $cases:expr; $(fn $name:ident($($pat:pat in $strategy:expr),+ $(,)?) $body:block)*) => {
        $(
            #[test]
            fn $name() {
                $crate::reach::check(stringify!($name), $cases, ($($strategy,)+), |($($pat,)+)| $body);
            }
        )*
    };
}

pub(crate) use properties;
