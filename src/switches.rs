//! The four switches one by one and together: the 16 combinations of each switch's flawed-2007
//! and fixed setting, run on one scenario, so the page can say which switch matters (and the
//! tests can check that it says only what the runs show).

use crate::config::{Config, ConfigError};
use crate::metrics::Summary;
use crate::run::Run;
use crate::strategy::{Bundle, RetryPolicy, Strategy};
use serde::Serialize;

/// The switches, in the order of the bits of a combination's index.
pub const SWITCHES: [&str; 4] = ["supernode_choice", "retry", "planner_demand", "overload"];

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum Outcome {
    /// Never below 95% of normal after the trigger.
    Untroubled,
    /// Fell, and was back above 95% at this minute.
    Recovers {
        /// The minute it was back.
        at_min: u32,
    },
    /// Fell below half and was still below half at the end.
    Collapses,
    /// Fell, but neither stayed below half nor came back above 95%.
    Limps,
}

/// One combination's run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Combination {
    /// Which switches are set to their fixed value (the rest to flawed-2007), by name.
    pub fixed: Vec<&'static str>,
    /// The four switches.
    pub strategy: Strategy,
    /// How it ended.
    pub outcome: Outcome,
    /// The run in a few numbers.
    pub summary: Summary,
}

/// The strategy with the switches in `mask` (bit i: [`SWITCHES`]`[i]`) fixed, the rest flawed.
pub fn strategy_of(mask: u32) -> Strategy {
    let (flawed, fixed) = (Bundle::Flawed2007.strategy(), Bundle::Fixed.strategy());
    let bit = |i: u32| mask & (1 << i) != 0;
    Strategy {
        supernode_choice: if bit(0) {
            fixed.supernode_choice
        } else {
            flawed.supernode_choice
        },
        retry: if bit(1) { fixed.retry } else { flawed.retry },
        planner_demand: if bit(2) {
            fixed.planner_demand
        } else {
            flawed.planner_demand
        },
        overload: if bit(3) {
            fixed.overload
        } else {
            flawed.overload
        },
    }
}

impl Outcome {
    /// Its name, as the CLI and the page's tables write it (and serde tags it).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Untroubled => "untroubled",
            Outcome::Recovers { .. } => "recovers",
            Outcome::Collapses => "collapses",
            Outcome::Limps => "limps",
        }
    }
}

/// How a finished run ended.
pub fn outcome(run: &Run) -> Outcome {
    let s = run.summary();
    let last = run.trace().last().map_or(0.0, |x| f64::from(x.online));
    if let Some(at_min) = s.recovered_at_min {
        Outcome::Recovers { at_min }
    } else if s.min_online_fraction >= 0.95 {
        Outcome::Untroubled
    } else if last / s.baseline_online < 0.5 {
        Outcome::Collapses
    } else {
        Outcome::Limps
    }
}

/// All 16 combinations on `base` (its own switches are replaced), from all flawed to all fixed.
pub fn table(base: &Config) -> Result<Vec<Combination>, ConfigError> {
    (0..16).map(|mask| combination(base, mask)).collect()
}

/// The combination `mask` (see [`strategy_of`]) on `base`, run to its end.
pub fn combination(base: &Config, mask: u32) -> Result<Combination, ConfigError> {
    let mut cfg = base.clone();
    cfg.set_strategy(strategy_of(mask));
    let mut run = Run::new(cfg)?;
    run.run_to_end();
    Ok(Combination {
        fixed: (0..4)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| SWITCHES[i as usize])
            .collect(),
        strategy: strategy_of(mask),
        outcome: outcome(&run),
        summary: run.summary(),
    })
}

/// One retry policy in the otherwise fixed network: what each option of the retry switch does
/// where the network survives (in the 2007 network none saves it: a flooded supernode still
/// switches itself off).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RetryRow {
    /// The retry policy.
    pub retry: RetryPolicy,
    /// The four switches: the fixed bundle with this retry.
    pub strategy: Strategy,
    /// How it ended.
    pub outcome: Outcome,
    /// The run in a few numbers (its peak of login attempts among them).
    pub summary: Summary,
}

/// The retry switch's options, in order, each in the fixed network on `base`, run to its end.
pub fn retry_rows(base: &Config) -> Result<Vec<RetryRow>, ConfigError> {
    (0..RetryPolicy::ALL.len() as u32)
        .map(|i| retry_row(base, i))
        .collect()
}

/// Retry option `i` (of [`RetryPolicy::ALL`]) in the fixed network on `base`, run to its end.
pub fn retry_row(base: &Config, i: u32) -> Result<RetryRow, ConfigError> {
    let retry = *RetryPolicy::ALL.get(i as usize).ok_or_else(|| {
        ConfigError::new(
            "retry",
            format!(
                "option {i} is outside the allowed range 0 to {}",
                RetryPolicy::ALL.len() - 1
            ),
        )
    })?;
    let strategy = Strategy {
        retry,
        ..Bundle::Fixed.strategy()
    };
    let mut cfg = base.clone();
    cfg.set_strategy(strategy);
    let mut run = Run::new(cfg)?;
    run.run_to_end();
    Ok(RetryRow {
        retry,
        strategy,
        outcome: outcome(&run),
        summary: run.summary(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_of_the_table_are_the_bundles() {
        assert_eq!(
            strategy_of(0),
            Bundle::Flawed2007.strategy(),
            "nothing fixed"
        );
        assert_eq!(
            strategy_of(15),
            Bundle::Fixed.strategy(),
            "everything fixed"
        );
        let one = strategy_of(1 << 2);
        assert_eq!(one.planner_demand, Bundle::Fixed.strategy().planner_demand);
        assert_eq!(
            one.overload,
            Bundle::Flawed2007.strategy().overload,
            "only the planner"
        );
    }
}
