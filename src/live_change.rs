//! Changes pushed to the live network during a run: "what if they had pushed the fix at 06:20?".
//! A change sets switches, or a supernode's limits (clients it serves, handshakes it takes a
//! minute), from a minute on. A knob of the run (`live_changes`), so a link, the CLI and a sweep
//! replay the same fork as the page: the minutes before a change are the run without it (the
//! engine is deterministic), and from the change's minute on what it names takes its new value
//! (see [`crate::sim::Simulation::change_live_at`]).
//!
//! Written as text like `380:overload=admission-control,retry=exponential-jitter;600:supernode_capacity=500`
//! (`none` for no change): each change is a minute and what it sets, the rest keep the values
//! they had; minutes strictly increase.

use crate::knob::KnobValue;
use crate::strategy::{Overload, PlannerDemand, RetryPolicy, Strategy, SupernodeChoice};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Most changes one run holds (a reader forking a fork a few times; a fixed size keeps the
/// knob a plain value).
pub const MOST_CHANGES: usize = 4;

/// Latest minute a change may be at (the longest run: 14 days).
pub const LATEST_MIN: u32 = 20_160;

/// Settings a change may set besides the switches, with their ranges (as the knobs have them):
/// the limits of an ordinary supernode, which a software update can raise or lower.
const LIMITS: [(&str, u32, u32); 2] = [
    ("supernode_capacity", 2, 10_000),
    ("handshakes_per_min", 1, 10_000),
];

/// What one change sets (`None`: as before).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// How a client picks a supernode.
    pub supernode_choice: Option<SupernodeChoice>,
    /// How a client waits before retrying.
    pub retry: Option<RetryPolicy>,
    /// What the planner counts as demand.
    pub planner_demand: Option<PlannerDemand>,
    /// What a flooded supernode does.
    pub overload: Option<Overload>,
    /// Clients an ordinary supernode serves at once.
    pub supernode_capacity: Option<u32>,
    /// New handshakes an ordinary supernode accepts each minute.
    pub handshakes_per_min: Option<u32>,
}

impl ChangeSet {
    /// `before` with these switches set.
    pub fn apply(self, before: Strategy) -> Strategy {
        Strategy {
            supernode_choice: self.supernode_choice.unwrap_or(before.supernode_choice),
            retry: self.retry.unwrap_or(before.retry),
            planner_demand: self.planner_demand.unwrap_or(before.planner_demand),
            overload: self.overload.unwrap_or(before.overload),
        }
    }

    /// The switches that differ between `before` and `after`.
    pub fn between(before: Strategy, after: Strategy) -> Self {
        fn differs<T: PartialEq>(a: T, b: T) -> Option<T> {
            (a != b).then_some(b)
        }
        Self {
            supernode_choice: differs(before.supernode_choice, after.supernode_choice),
            retry: differs(before.retry, after.retry),
            planner_demand: differs(before.planner_demand, after.planner_demand),
            overload: differs(before.overload, after.overload),
            ..Self::default()
        }
    }

    fn is_empty(self) -> bool {
        self == Self::default()
    }

    /// Sets switch `name` from text; an error says what is wrong.
    fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        fn word<T: KnobValue>(name: &str, value: &str) -> Result<T, String> {
            T::parse_knob(value).ok_or_else(|| {
                format!(
                    "'{value}' is not a value of {name}; choose one of {}",
                    T::choices().join(", ")
                )
            })
        }
        match name {
            "supernode_choice" => self.supernode_choice = Some(word(name, value)?),
            "retry" => self.retry = Some(word(name, value)?),
            "planner_demand" => self.planner_demand = Some(word(name, value)?),
            "overload" => self.overload = Some(word(name, value)?),
            _ => {
                let (_, lo, hi) = LIMITS.iter().find(|(n, ..)| *n == name).ok_or_else(|| {
                    format!(
                        "'{name}' cannot change during a run; what can: supernode_choice, retry, planner_demand, overload, supernode_capacity, handshakes_per_min"
                    )
                })?;
                let v = value
                    .parse::<u32>()
                    .ok()
                    .filter(|v| (*lo..=*hi).contains(v))
                    .ok_or_else(|| {
                        format!("{name}: '{value}' is not a whole number from {lo} to {hi}")
                    })?;
                if name == "supernode_capacity" {
                    self.supernode_capacity = Some(v);
                } else {
                    self.handshakes_per_min = Some(v);
                }
            }
        }
        Ok(())
    }

    fn write(self, out: &mut String) {
        let parts = [
            (
                "supernode_choice",
                self.supernode_choice.map(|v| v.name().to_owned()),
            ),
            ("retry", self.retry.map(|v| v.name().to_owned())),
            (
                "planner_demand",
                self.planner_demand.map(|v| v.name().to_owned()),
            ),
            ("overload", self.overload.map(|v| v.name().to_owned())),
            (
                "supernode_capacity",
                self.supernode_capacity.map(|v| v.to_string()),
            ),
            (
                "handshakes_per_min",
                self.handshakes_per_min.map(|v| v.to_string()),
            ),
        ];
        let mut first = true;
        for (name, value) in parts {
            if let Some(v) = value {
                if !first {
                    out.push(',');
                }
                first = false;
                let _ = write!(out, "{name}={v}");
            }
        }
    }
}

/// One change: from minute `at_min` on, the switches in `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveChange {
    /// The first minute the new switches act in (minutes from the run's start).
    pub at_min: u32,
    /// The switches it sets.
    pub to: ChangeSet,
}

/// The changes of one run, in order of their minutes (at most [`MOST_CHANGES`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LiveChanges {
    list: [Option<LiveChange>; MOST_CHANGES],
}

impl LiveChanges {
    /// The changes, earliest first.
    pub fn iter(&self) -> impl Iterator<Item = LiveChange> + '_ {
        self.list.iter().flatten().copied()
    }

    /// How many changes there are.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// True when the run has no change.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The switches in force from each change's minute on, for a run whose switches start as
    /// `start`: `(minute, switches)` pairs, earliest first.
    pub fn schedule(&self, start: Strategy) -> Vec<(u32, Strategy)> {
        let mut now = start;
        self.iter()
            .map(|c| {
                now = c.to.apply(now);
                (c.at_min, now)
            })
            .collect()
    }

    /// These changes and one more, `change`, which must come after the last, or replaces the
    /// last if it is at the same minute (a slider moved key by key); `None` if it comes before
    /// it, or if there is no room.
    pub fn and_then(&self, change: LiveChange) -> Option<Self> {
        let n = self.len();
        let last = self.iter().last();
        if last.is_some_and(|l| l.at_min == change.at_min) {
            let mut out = *self;
            out.list[n - 1] = Some(change);
            return Some(out);
        }
        if n == MOST_CHANGES || last.is_some_and(|c| c.at_min > change.at_min) {
            return None;
        }
        let mut out = *self;
        out.list[n] = Some(change);
        Some(out)
    }

    /// Reads changes from text; the error says what is wrong, in words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let mut out = Self::default();
        if text.is_empty() || text == "none" {
            return Ok(out);
        }
        let changes: Vec<&str> = text.split(';').collect();
        if changes.len() > MOST_CHANGES {
            return Err(format!(
                "{} changes; a run holds at most {MOST_CHANGES}",
                changes.len()
            ));
        }
        for (i, one) in changes.into_iter().enumerate() {
            let (at, switches) = one
                .split_once(':')
                .ok_or_else(|| format!("'{one}' is not MINUTE:name=value[,name=value...]"))?;
            let at_min: u32 = at
                .trim()
                .parse()
                .ok()
                .filter(|m| *m <= LATEST_MIN)
                .ok_or_else(|| format!("'{at}' is not a minute from 0 to {LATEST_MIN}"))?;
            let mut to = ChangeSet::default();
            for pair in switches.split(',') {
                let (name, value) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("'{pair}' is not switch=value"))?;
                to.set(name.trim(), value.trim())?;
            }
            if to.is_empty() {
                return Err(format!("the change at minute {at_min} sets nothing"));
            }
            if let Some(prev) = out.list[..i].iter().flatten().last() {
                if prev.at_min >= at_min {
                    return Err(format!(
                        "minute {at_min} comes after minute {}; changes go in order of their minutes",
                        prev.at_min
                    ));
                }
            }
            out.list[i] = Some(LiveChange { at_min, to });
        }
        Ok(out)
    }
}

impl std::fmt::Display for LiveChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut out = String::new();
        for (i, c) in self.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            let _ = write!(out, "{}:", c.at_min);
            c.to.write(&mut out);
        }
        f.write_str(&out)
    }
}

impl TryFrom<String> for LiveChanges {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<LiveChanges> for String {
    fn from(c: LiveChanges) -> String {
        c.to_string()
    }
}

impl KnobValue for LiveChanges {
    fn parse_knob(s: &str) -> Option<Self> {
        Self::parse(s).ok()
    }
    fn explain(s: &str) -> Option<String> {
        Self::parse(s).err()
    }
    fn show(&self) -> String {
        self.to_string()
    }
    fn scale(&self) -> Option<f64> {
        None
    }
    fn example() -> Option<&'static str> {
        Some("380:retry=exponential-jitter,overload=admission-control")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::Bundle;

    #[test]
    fn text_round_trips() {
        for text in [
            "none",
            "380:overload=admission-control",
            "380:retry=exponential-jitter,overload=admission-control;600:supernode_choice=random",
            "100:overload=shed,supernode_capacity=500,handshakes_per_min=40",
        ] {
            let parsed = LiveChanges::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed.to_string(), text, "{text} reads and writes the same");
        }
    }

    #[test]
    fn bad_text_is_refused_with_its_reason() {
        for (text, says) in [
            ("380", "MINUTE:name"),
            ("x:retry=fixed", "'x' is not a minute"),
            ("99999:retry=fixed", "from 0 to 20160"),
            ("10:retry=sometimes", "choose one of fixed"),
            ("10:colour=red", "'colour' cannot change during a run"),
            ("10:supernode_capacity=1", "from 2 to 10000"),
            ("10:retry", "not switch=value"),
            ("600:retry=fixed;300:retry=exponential", "go in order"),
            (
                "1:retry=fixed;2:retry=fixed;3:retry=fixed;4:retry=fixed;5:retry=fixed",
                "at most 4",
            ),
        ] {
            let err = LiveChanges::parse(text).err().unwrap_or_default();
            assert!(err.contains(says), "{text}: '{err}' should say '{says}'");
        }
    }

    #[test]
    fn a_change_at_the_last_ones_minute_replaces_it_and_an_earlier_one_is_refused() {
        let c = LiveChanges::parse("100:overload=shed").unwrap_or_else(|e| panic!("{e}"));
        let again = LiveChange {
            at_min: 100,
            to: ChangeSet {
                retry: Some(RetryPolicy::Exponential),
                ..ChangeSet::default()
            },
        };
        let replaced = c.and_then(again).map(|x| x.to_string());
        assert_eq!(
            replaced.as_deref(),
            Some("100:retry=exponential"),
            "replaced whole"
        );
        let earlier = LiveChange {
            at_min: 99,
            ..again
        };
        assert_eq!(c.and_then(earlier), None, "before the last: refused");
    }

    #[test]
    fn each_change_sets_only_its_switches() {
        let c = LiveChanges::parse("100:overload=shed;200:retry=exponential")
            .unwrap_or_else(|e| panic!("{e}"));
        let start = Bundle::Flawed2007.strategy();
        let plan = c.schedule(start);
        assert_eq!(plan.len(), 2);
        assert_eq!(
            (plan[0].1.overload, plan[0].1.retry),
            (Overload::Shed, start.retry)
        );
        assert_eq!(
            (plan[1].1.overload, plan[1].1.retry),
            (Overload::Shed, RetryPolicy::Exponential),
            "the second keeps the first's overload"
        );
        assert_eq!(
            ChangeSet::between(start, plan[1].1).apply(start),
            plan[1].1,
            "the difference of two switch sets leads from one to the other"
        );
    }
}
