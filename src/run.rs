//! A run: the simulation and the recorder that keeps its record, stepped together. This is what
//! the CLI, the page's timeline and the tests drive.

use crate::config::{Config, ConfigError};
use crate::live_change::ChangeSet;
use crate::metrics::{Event, Sample, Summary};
use crate::recorder::Recorder;
use crate::sim::Simulation;

/// A simulation and its record.
#[derive(Clone, Debug)]
pub struct Run {
    sim: Simulation,
    recorder: Recorder,
}

impl Run {
    /// A run of `cfg` at its start.
    pub fn new(cfg: Config) -> Result<Self, ConfigError> {
        let sim = Simulation::new(cfg)?;
        let recorder = Recorder::new(&sim);
        Ok(Self { sim, recorder })
    }

    /// Simulates one minute and records it.
    pub fn step(&mut self) {
        self.sim.step();
        self.recorder.observe(&self.sim);
    }

    /// Runs ticks until `t_min` minutes are simulated (or the run ends).
    pub fn step_until(&mut self, t_min: u32) {
        while self.sim.now_min() < t_min && !self.sim.is_finished() {
            self.step();
        }
    }

    /// Simulates one minute, or the part of it that `budget` (client timers, see
    /// [`Simulation::step_within`]) allows; records the minute and returns true once it is done.
    pub fn step_within(&mut self, budget: &mut usize) -> bool {
        let done = self.sim.step_within(budget);
        if done {
            self.recorder.observe(&self.sim);
        }
        done
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        self.step_until(u32::MAX);
    }

    /// The model.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The record.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// Engineers bring up `count` mega-supernodes at the next minute.
    pub fn add_megas(&mut self, count: u32) {
        self.sim.add_megas(count);
    }

    /// From minute `at_min` on, the four switches are `strategy` (see
    /// [`Simulation::change_live_at`]); refused for a minute already simulated.
    pub fn change_switches_at(
        &mut self,
        at_min: u32,
        strategy: crate::strategy::Strategy,
    ) -> Result<(), ConfigError> {
        let before = self.sim.strategy_before(at_min);
        self.change_live(at_min, ChangeSet::between(before, strategy))
    }

    /// From minute `at_min` on, the switches `to` names take their values (see
    /// [`Simulation::change_live_at`]).
    pub fn change_live(&mut self, at_min: u32, to: ChangeSet) -> Result<(), ConfigError> {
        self.sim.change_live_at(at_min, to)
    }

    /// The run's config.
    pub fn config(&self) -> &Config {
        self.sim.config()
    }

    /// Minutes simulated so far.
    pub fn now_min(&self) -> u32 {
        self.sim.now_min()
    }

    /// True when the run has reached its `duration_h`.
    pub fn is_finished(&self) -> bool {
        self.sim.is_finished()
    }

    /// One sample a simulated minute so far.
    pub fn trace(&self) -> &[Sample] {
        self.recorder.trace()
    }

    /// Notable moments so far.
    pub fn events(&self) -> &[Event] {
        self.recorder.events()
    }

    /// The run so far in a few numbers.
    pub fn summary(&self) -> Summary {
        self.recorder.summary()
    }

    /// A digest of the trace so far: equal digests mean identical traces.
    pub fn trace_digest(&self) -> u64 {
        self.recorder.trace_digest()
    }

    /// A copy of the run without its trace: a timeline keeps many checkpoints of one run, and
    /// they share its one trace (see [`Run::restore_trace`]).
    pub fn checkpoint(&mut self) -> Run {
        Run {
            sim: self.sim.clone(),
            recorder: self.recorder.without_trace(),
        }
    }

    /// Gives a checkpoint its trace back from `trace`, a longer trace of the same run (the
    /// samples before this run's minute are taken from it).
    pub fn restore_trace(&mut self, trace: &[Sample]) {
        self.recorder.restore_trace(trace, self.sim.now_min());
    }

    /// Heap bytes the model holds (the record not included).
    pub fn state_bytes(&self) -> usize {
        self.sim.state_bytes()
    }
}
