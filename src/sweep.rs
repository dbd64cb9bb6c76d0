//! A grid of runs over two settings, with several seeds a cell: the stability map's data and
//! `loginstorm sweep`'s rows. Each row is one cell and one seed, numbered in a fixed order (y,
//! then x, then seed), so any slice of the numbers (a shard) is computed and printed alone and
//! the slices, in order, make the whole sweep.

use crate::config::{Config, ConfigError};
use crate::knob::KnobInfo;
use crate::run::Run;
use crate::switches::{Outcome, outcome};
use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;

/// Most values an axis may have.
pub const MAX_STEPS: u32 = 1000;
/// Most seeds a cell may have.
pub const MAX_SEEDS: u32 = 1000;

/// One axis of the grid: a numeric setting from `from` to `to` in `steps` evenly spaced values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The setting's name, as in `--set`.
    pub knob: &'static str,
    /// The first value.
    pub from: f64,
    /// The last value.
    pub to: f64,
    /// How many values, ends included.
    pub steps: u32,
    /// The setting counts whole things: its values are rounded.
    pub whole: bool,
}

impl Axis {
    /// Reads `KNOB=FROM..TO:STEPS` (given as argument `flag`), naming the part that is wrong.
    pub fn parse(flag: &str, spec: &str) -> Result<Axis, ConfigError> {
        let err = |m: String| ConfigError::new(flag, m);
        let (name, rest) = spec
            .split_once('=')
            .ok_or_else(|| err(format!("'{spec}' is not KNOB=FROM..TO:STEPS")))?;
        let knob = numeric_knob(name.trim()).map_err(err)?;
        let (range, steps) = rest
            .split_once(':')
            .ok_or_else(|| err(format!("'{rest}' lacks ':STEPS', the number of values")))?;
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| err(format!("'{range}' is not FROM..TO")))?;
        let (lo, hi) = (knob.min.unwrap_or(0.0), knob.max.unwrap_or(0.0));
        let bound = |what: &str, text: &str| -> Result<f64, ConfigError> {
            let v: f64 = text
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| err(format!("{what} '{text}' is not a number")))?;
            if v < lo || v > hi {
                return Err(err(format!(
                    "{what} {v} is outside {}'s allowed range {lo} to {hi}",
                    knob.name
                )));
            }
            Ok(v)
        };
        let (from, to) = (bound("FROM", from)?, bound("TO", to)?);
        let steps = steps
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|s| (1..=MAX_STEPS).contains(s))
            .ok_or_else(|| {
                err(format!(
                    "STEPS '{steps}' is not a whole number from 1 to {MAX_STEPS}"
                ))
            })?;
        Ok(Axis {
            knob: knob.name,
            from,
            to,
            steps,
            whole: knob.whole,
        })
    }

    /// Value `i` (0-based) as `--set` takes it: evenly spaced, rounded for a whole-number knob,
    /// and free of float noise (0.3, not 0.30000000000000004; six decimals at most).
    pub fn value(&self, i: u32) -> String {
        let share = if self.steps > 1 {
            f64::from(i) / f64::from(self.steps - 1)
        } else {
            0.0
        };
        let v = self.from + (self.to - self.from) * share;
        if self.whole {
            format!("{:.0}", v.round())
        } else {
            format!("{}", (v * 1e6).round() / 1e6)
        }
    }
}

/// The numeric setting `name`, or why it cannot be an axis.
fn numeric_knob(name: &str) -> Result<KnobInfo, String> {
    let knobs = Config::knobs();
    let numeric = || {
        knobs
            .iter()
            .filter(|k| k.choices.is_empty())
            .map(|k| k.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match knobs.iter().find(|k| k.name == name) {
        None => Err(format!(
            "'{name}' is not a setting; the numeric settings are {}",
            numeric()
        )),
        Some(k) if !k.choices.is_empty() => Err(format!(
            "'{name}' takes words ({}), not numbers; the numeric settings are {}",
            k.choices.join(", "),
            numeric()
        )),
        Some(k) => Ok(k.clone()),
    }
}

/// A grid of runs: `base` with `x` and `y` set, each cell run with `seeds` seeds from base's own.
#[derive(Clone, Debug)]
pub struct Sweep {
    base: Config,
    x: Axis,
    y: Axis,
    seeds: u32,
}

/// One row of a sweep: a cell, a seed and how its run went.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The x value, as set.
    pub x: String,
    /// The y value, as set.
    pub y: String,
    /// The run's seed.
    pub seed: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// The run in a few numbers.
    pub summary: crate::metrics::Summary,
}

impl Sweep {
    /// A sweep, checked whole before anything runs: every cell's config must be valid (a pair
    /// of values can break a rule that ties two settings together).
    pub fn new(base: Config, x: Axis, y: Axis, seeds: u32) -> Result<Sweep, ConfigError> {
        if x.knob == y.knob {
            return Err(ConfigError::new(
                "--y",
                format!("'{}' is already the x axis; choose another setting", y.knob),
            ));
        }
        if !(1..=MAX_SEEDS).contains(&seeds) {
            return Err(ConfigError::new(
                "--seeds",
                format!("{seeds} is not a whole number from 1 to {MAX_SEEDS}"),
            ));
        }
        let sweep = Sweep { base, x, y, seeds };
        for yi in 0..sweep.y.steps {
            for xi in 0..sweep.x.steps {
                sweep.cell_config(xi, yi)?.validate()?;
            }
        }
        Ok(sweep)
    }

    /// Rows in all: cells times seeds.
    pub fn len(&self) -> usize {
        self.x.steps as usize * self.y.steps as usize * self.seeds as usize
    }

    /// Never: an axis has at least one value and a cell at least one seed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Slice `k` (0-based) of `n`: contiguous rows, the slices in order covering every row once.
    pub fn shard(&self, k: u32, n: u32) -> Result<Range<usize>, ConfigError> {
        if n == 0 || k >= n {
            return Err(ConfigError::new(
                "--shard",
                format!("'{k}/{n}' needs N at least 1 and K from 0 to N-1"),
            ));
        }
        let at = |i: u32| self.len() * i as usize / n as usize;
        Ok(at(k)..at(k + 1))
    }

    /// The config of cell (`xi`, `yi`), before its seed.
    fn cell_config(&self, xi: u32, yi: u32) -> Result<Config, ConfigError> {
        let mut cfg = self.base.clone();
        cfg.set(self.x.knob, &self.x.value(xi))?;
        cfg.set(self.y.knob, &self.y.value(yi))?;
        Ok(cfg)
    }

    /// Runs row `i` (see the module's order) to its end.
    pub fn row(&self, i: usize) -> Result<Row, ConfigError> {
        let seeds = self.seeds as usize;
        let (cell, j) = (i / seeds, i % seeds);
        let steps = self.x.steps as usize;
        let (xi, yi) = ((cell % steps) as u32, (cell / steps) as u32);
        let mut cfg = self.cell_config(xi, yi)?;
        cfg.seed = self.base.seed.wrapping_add(j as u64);
        let mut run = Run::new(cfg)?;
        run.run_to_end();
        Ok(Row {
            x: self.x.value(xi),
            y: self.y.value(yi),
            seed: run.config().seed,
            outcome: outcome(&run),
            summary: run.summary(),
        })
    }

    /// The CSV header: the two settings by name, the seed, the outcome, the summary's columns.
    pub fn header(&self) -> String {
        format!(
            "{},{},seed,outcome,recovered_at_min,min_online_fraction,minutes_below_half,\
             user_hours_lost,peak_login_attempts_per_min,min_supernode_fraction,\
             baseline_online,users_per_client\n",
            self.x.knob, self.y.knob
        )
    }
}

impl Row {
    /// The row as a CSV line (see [`Sweep::header`]).
    pub fn csv(&self) -> String {
        let s = &self.summary;
        let word = self.outcome.name();
        let at = match self.outcome {
            Outcome::Recovers { at_min } => Some(at_min),
            _ => None,
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{},{},{},{word},{},{},{},{},{},{},{},{}",
            self.x,
            self.y,
            self.seed,
            at.map_or(String::new(), |m| m.to_string()),
            s.min_online_fraction,
            s.minutes_below_half,
            s.user_hours_lost,
            s.peak_login_attempts_per_min,
            s.min_supernode_fraction,
            s.baseline_online,
            s.users_per_client
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::build_config;

    fn err(flag: &str, spec: &str) -> String {
        match Axis::parse(flag, spec) {
            Ok(a) => panic!("{spec} parsed as {a:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn an_axis_reads_knob_range_and_steps_and_spaces_its_values_evenly() {
        let a = Axis::parse("--x", "reboot_share=0.1..0.9:5").unwrap_or_else(|e| panic!("{e}"));
        let v: Vec<_> = (0..5).map(|i| a.value(i)).collect();
        assert_eq!(v, ["0.1", "0.3", "0.5", "0.7", "0.9"]);
        let w = Axis::parse("--y", "reboot_window_min=10..100:4").unwrap_or_else(|e| panic!("{e}"));
        let v: Vec<_> = (0..4).map(|i| w.value(i)).collect();
        assert_eq!(
            v,
            ["10", "40", "70", "100"],
            "whole-number settings rounded"
        );
        let one = Axis::parse("--x", "seed=7..7:1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(one.value(0), "7");
    }

    #[test]
    fn a_bad_axis_names_the_part_that_is_wrong() {
        assert!(err("--x", "reboot_share").contains("not KNOB=FROM..TO:STEPS"));
        assert!(err("--x", "nonsense=1..2:3").contains("'nonsense' is not a setting"));
        assert!(err("--x", "retry=1..2:3").contains("takes words"));
        assert!(err("--x", "reboot_share=0..1").contains("lacks ':STEPS'"));
        assert!(err("--x", "reboot_share=0-1:3").contains("'0-1' is not FROM..TO"));
        assert!(err("--x", "reboot_share=a..1:3").contains("FROM 'a' is not a number"));
        assert!(err("--y", "reboot_share=0..5:3").contains("TO 5 is outside reboot_share's"));
        assert!(err("--y", "reboot_share=0..1:0").contains("STEPS '0'"));
        assert!(err("--y", "reboot_share=0..1:x").starts_with("--y"));
    }

    fn small() -> Sweep {
        let base = build_config("aug-2007", [("clients", "500"), ("duration_h", "12")])
            .unwrap_or_else(|e| panic!("{e}"));
        let x = Axis::parse("--x", "reboot_share=0..0.8:3").unwrap_or_else(|e| panic!("{e}"));
        let y =
            Axis::parse("--y", "reboot_window_min=10..1440:2").unwrap_or_else(|e| panic!("{e}"));
        Sweep::new(base, x, y, 2).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rows_go_by_y_then_x_then_seed_and_each_runs_its_own_cell() {
        let s = small();
        assert_eq!(s.len(), 12);
        let rows: Vec<Row> = (0..s.len())
            .map(|i| s.row(i).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let keys: Vec<_> = rows
            .iter()
            .map(|r| (r.y.as_str(), r.x.as_str(), r.seed))
            .collect();
        assert_eq!(keys[0], ("10", "0", 2007));
        assert_eq!(keys[1], ("10", "0", 2008), "seeds from the base's own");
        assert_eq!(keys[2], ("10", "0.4", 2007));
        assert_eq!(keys[11], ("1440", "0.8", 2008));
        // No update at all: untroubled; most PCs restarting within ten minutes: not.
        assert_eq!(rows[0].outcome, Outcome::Untroubled);
        assert_ne!(rows[4].outcome, Outcome::Untroubled, "{:?}", rows[4]);
        assert_eq!(s.row(4), s.row(4), "a row is a function of its number");
    }

    #[test]
    fn shards_cover_every_row_once_in_order() {
        let s = small();
        for n in 1..=13 {
            let mut next = 0;
            for k in 0..n {
                let r = s.shard(k, n).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(r.start, next, "shard {k}/{n} starts where the last ended");
                next = r.end;
            }
            assert_eq!(next, s.len(), "{n} shards end at the last row");
        }
        assert!(s.shard(3, 3).is_err());
        assert!(s.shard(0, 0).is_err());
    }

    #[test]
    fn a_grid_with_an_invalid_cell_is_refused_before_anything_runs() {
        let base = build_config("aug-2007", [("clients", "500")]).unwrap_or_else(|e| panic!("{e}"));
        let x = Axis::parse("--x", "retry_base_min=1..60:2").unwrap_or_else(|e| panic!("{e}"));
        let y = Axis::parse("--y", "retry_cap_min=1..60:2").unwrap_or_else(|e| panic!("{e}"));
        let e = Sweep::new(base.clone(), x.clone(), y, 1).err();
        assert!(e.is_some(), "a base above its cap is refused");
        let same = Sweep::new(base, x.clone(), x, 1)
            .err()
            .map(|e| e.to_string());
        assert!(same.is_some_and(|m| m.contains("already the x axis")));
    }
}
