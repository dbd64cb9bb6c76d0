//! The timeline behind the page's scrubber: a run with checkpoints, so time can go back.
//!
//! Checkpoints are copies of the run (without its trace) every `every_min` minutes, as many as a
//! memory budget holds; seeking back restores the nearest one at or before the minute asked for,
//! and stepping on from it replays the same run (the engine is deterministic). The trace of the
//! furthest minute reached is kept once, so a rewound run knows its future and its checkpoints
//! need no traces of their own.

use crate::config::ConfigError;
use crate::live_change::ChangeSet;
use crate::metrics::Sample;
use crate::run::Run;

/// Most checkpoints a timeline keeps, whatever the budget.
const MAX_CHECKPOINTS: usize = 400;

/// A run that can go back in time.
#[derive(Clone, Debug)]
pub struct Timeline {
    run: Run,
    /// Copies of the run at multiples of `every_min` minutes, oldest first. After a rewind the
    /// ones ahead of now are still this run's future.
    checkpoints: Vec<Run>,
    every_min: u32,
    /// The trace of the furthest minute reached.
    known: Vec<Sample>,
}

impl Timeline {
    /// A timeline of `run` (at its start) whose checkpoints take at most about `budget_bytes`:
    /// as many as fit, spaced in whole tens of minutes (at least the start is kept).
    pub fn new(mut run: Run, budget_bytes: usize) -> Self {
        let fits = (budget_bytes / run.state_bytes().max(1)).clamp(1, MAX_CHECKPOINTS) as u32;
        let every_min = run
            .config()
            .duration_ticks()
            .div_ceil(fits)
            .next_multiple_of(10);
        Self {
            checkpoints: vec![run.checkpoint()],
            every_min,
            known: Vec::new(),
            run,
        }
    }

    /// The run at the current minute.
    pub fn run(&self) -> &Run {
        &self.run
    }

    /// Minutes between checkpoints.
    pub fn every_min(&self) -> u32 {
        self.every_min
    }

    /// How many checkpoints are kept.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Simulates until `t_min` minutes have passed (or the run ends), keeping checkpoints.
    pub fn step_until(&mut self, t_min: u32) {
        let mut unlimited = usize::MAX;
        self.step_within(t_min, &mut unlimited);
    }

    /// Simulates towards `t_min` while `budget` (client timers handled, see
    /// [`crate::sim::Simulation::step_within`]) lasts, keeping checkpoints; may stop inside a
    /// minute, which the next call finishes.
    pub fn step_within(&mut self, t_min: u32, budget: &mut usize) {
        while self.run.now_min() < t_min && !self.run.is_finished() {
            if !self.run.step_within(budget) {
                break;
            }
            let now = self.run.now_min();
            if now % self.every_min == 0 {
                let at = self.checkpoints.partition_point(|c| c.now_min() < now);
                if self.checkpoints.get(at).is_none_or(|c| c.now_min() != now) {
                    self.checkpoints.insert(at, self.run.checkpoint());
                }
            }
        }
        let trace = self.run.trace();
        if trace.len() > self.known.len() {
            self.known.extend_from_slice(&trace[self.known.len()..]);
        }
    }

    /// Jumps to the nearest checkpoint at or before `t_min` when that is closer than going on
    /// from now (always, for a time in the past); then [`Timeline::step_until`] finishes the
    /// way. Returns the minute it jumped to (or now).
    pub fn seek(&mut self, t_min: u32) -> u32 {
        let now = self.run.now_min();
        let at = self.checkpoints.partition_point(|c| c.now_min() <= t_min);
        if let Some(cp) = at.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            if t_min < now || cp.now_min() > now {
                self.run = cp.clone();
                self.run.restore_trace(&self.known);
            }
        }
        self.run.now_min()
    }

    /// From minute `at_min` (now or later) on, the switches `to` names take their values: the
    /// run forks. The minutes before stay as they were; the future known beyond now is
    /// forgotten (it was the run without the change), and every checkpoint kept replays the
    /// change. Refused as [`Run::change_live`] refuses, and then nothing changes.
    pub fn change_live(&mut self, at_min: u32, to: ChangeSet) -> Result<(), ConfigError> {
        self.run.change_live(at_min, to)?;
        let now = self.run.now_min();
        self.checkpoints.retain(|c| c.now_min() <= now);
        for c in &mut self.checkpoints {
            // Each is at or before now, so before `at_min`, with the same changes so far.
            c.change_live(at_min, to)?;
        }
        self.known.truncate(now as usize);
        Ok(())
    }

    /// The trace up to the furthest minute this run has reached, even after going back.
    pub fn known_trace(&self) -> &[Sample] {
        let now = self.run.trace();
        if self.known.len() >= now.len() {
            &self.known
        } else {
            now
        }
    }

    /// The furthest minute this run has reached (the scrubber's known range).
    pub fn horizon_min(&self) -> u32 {
        (self.known.len() as u32).max(self.run.now_min())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn timeline(clients: u32, budget: usize) -> Timeline {
        let run = Run::new(Config {
            clients,
            ..Config::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        Timeline::new(run, budget)
    }

    #[test]
    fn rewinding_and_playing_on_gives_the_same_run() {
        let mut tl = timeline(2_000, 64 << 20);
        tl.step_until(500);
        let straight = tl.run().trace().to_vec();
        let summary = tl.run().summary();
        let jumped = tl.seek(150);
        assert!(
            jumped <= 150 && jumped + tl.every_min() > 150,
            "back to the checkpoint at or before 150: {jumped}"
        );
        assert_eq!(
            tl.run().trace().len(),
            jumped as usize,
            "the trace up to there"
        );
        assert_eq!(tl.horizon_min(), 500, "the future is still known");
        tl.step_until(500);
        assert_eq!(
            tl.run().trace(),
            &straight[..],
            "the same run, sample by sample"
        );
        assert_eq!(tl.run().summary(), summary, "and the same summary");
    }

    #[test]
    fn seeking_ahead_jumps_to_a_known_checkpoint_not_past_it() {
        let mut tl = timeline(2_000, 64 << 20);
        tl.step_until(600);
        tl.seek(0);
        assert_eq!(tl.run().now_min(), 0, "rewound to the start");
        let to = tl.seek(455);
        assert!(
            to > 0 && to <= 455 && to % tl.every_min() == 0,
            "jumped ahead to a checkpoint: {to}"
        );
        let unknown = tl.seek(5_000);
        assert!(
            unknown <= 600,
            "no checkpoint beyond the furthest minute reached: {unknown}"
        );
    }

    #[test]
    fn the_budget_bounds_the_checkpoints() {
        let small = timeline(2_000, 1);
        assert_eq!(small.checkpoints(), 1, "a tiny budget keeps only the start");
        assert_eq!(
            small.every_min(),
            small.run().config().duration_ticks().next_multiple_of(10),
            "and spaces the rest past the end"
        );
        let mut roomy = timeline(2_000, 64 << 20);
        let mut tight = timeline(2_000, 10 * roomy.run().state_bytes());
        roomy.step_until(2_000);
        tight.step_until(2_000);
        assert!(
            tight.checkpoints() <= 11 && roomy.checkpoints() > tight.checkpoints(),
            "{} checkpoints in a budget of ten runs, {} in a large one",
            tight.checkpoints(),
            roomy.checkpoints()
        );
    }
}
