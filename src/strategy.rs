//! The network's allocation strategy: four independent switches and the named bundles of them.
//!
//! The real 2007 bug was never published; `flawed-2007` is our hypothesis of it, built from what
//! Skype said ("not tuned to take into account a combination of high load and supernode
//! rebooting", "prevented the self-healing function from working quickly").

use serde::{Deserialize, Serialize};

/// Defines a knob enum with its kebab-case names, used alike by serde, the URL and the CLI.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }
        impl $name {
            /// Every value's name, in order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// This value's name.
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $text,)+ }
            }
            /// The value with this name, if any.
            pub fn from_name(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

named_enum! {
    /// How a logging-in client picks a supernode from its host cache.
    SupernodeChoice {
        /// The first live entry, whatever its load: every client keeps knocking on the same door.
        FirstLive = "first-live",
        /// A live entry chosen uniformly at random.
        Random = "random",
        /// The less loaded of two random live entries, by the load hint in the cache.
        BestOfTwo = "best-of-two",
    }
}

named_enum! {
    /// How long a client waits after a failed login before trying again.
    RetryPolicy {
        /// Always `retry_base_min`, no jitter: failed clients retry in lock-step.
        Fixed = "fixed",
        /// `retry_base_min * 2^failures`, capped at `retry_cap_min`, no jitter.
        Exponential = "exponential",
        /// Uniform in `[0, min(cap, base * 2^failures)]` ("full jitter", Brooker 2015).
        ExponentialJitter = "exponential-jitter",
    }
}

named_enum! {
    /// What demand the self-healing planner sizes the supernode core for.
    PlannerDemand {
        /// Attached clients only: a storm of failed logins looks like no demand at all.
        Attached = "attached",
        /// Attached clients plus those waiting to log in.
        AttachedWaiting = "attached-waiting",
    }
}

named_enum! {
    /// What a supernode does when flooded with more handshakes than it can take.
    Overload {
        /// Past `flood_factor * handshakes_per_min` attempts in a minute it drops its role and
        /// every attached client (the self-protection of the 2010 post-mortem).
        SwitchOff = "switch-off",
        /// Past the flood threshold it refuses every further handshake that minute but keeps
        /// its role and its clients.
        Shed = "shed",
        /// Never floods: beyond its handshake limit it answers "busy" with a fresh list of
        /// supernodes, so the client's next try goes elsewhere.
        AdmissionControl = "admission-control",
    }
}

named_enum! {
    /// The named bundles of the four switches.
    Bundle {
        /// Our hypothesis of the 2007 bug.
        Flawed2007 = "flawed-2007",
        /// What a reasonable first design does.
        Naive = "naive",
        /// What the literature recommends (and roughly what Skype's fix tuned).
        Fixed = "fixed",
    }
}

/// The four switches together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    /// How a client picks a supernode.
    pub supernode_choice: SupernodeChoice,
    /// How long a client waits before retrying.
    pub retry: RetryPolicy,
    /// What the self-healing planner counts as demand.
    pub planner_demand: PlannerDemand,
    /// What a flooded supernode does.
    pub overload: Overload,
}

impl Bundle {
    /// The switches of this bundle.
    pub fn strategy(self) -> Strategy {
        use {Overload::*, PlannerDemand::*, RetryPolicy::*, SupernodeChoice::*};
        match self {
            Bundle::Flawed2007 => Strategy {
                supernode_choice: FirstLive,
                retry: Fixed,
                planner_demand: Attached,
                overload: SwitchOff,
            },
            Bundle::Naive => Strategy {
                supernode_choice: Random,
                retry: Exponential,
                planner_demand: AttachedWaiting,
                overload: Shed,
            },
            Bundle::Fixed => Strategy {
                supernode_choice: BestOfTwo,
                retry: ExponentialJitter,
                planner_demand: AttachedWaiting,
                overload: AdmissionControl,
            },
        }
    }

    /// The bundle these switches make up, if they are one.
    pub fn of(strategy: Strategy) -> Option<Bundle> {
        [Bundle::Flawed2007, Bundle::Naive, Bundle::Fixed]
            .into_iter()
            .find(|b| b.strategy() == strategy)
    }
}

/// Picks one of the live host-cache entries `live` (non-empty) by the supernode-choice switch;
/// `load(s)` is the load hint of entry `s` and `draw(n)` a uniform index below `n`.
/// `first-live` takes `live[0]`: the caller lists entries in cache order.
pub fn pick(
    choice: SupernodeChoice,
    live: &[u32],
    load: impl Fn(u32) -> f64,
    mut draw: impl FnMut(usize) -> usize,
) -> u32 {
    match (choice, live.len()) {
        (_, 0 | 1) | (SupernodeChoice::FirstLive, _) => live[0],
        (SupernodeChoice::Random, n) => live[draw(n)],
        (SupernodeChoice::BestOfTwo, n) => {
            // Two distinct entries: the second skips the first.
            let i = draw(n);
            let j = (i + 1 + draw(n - 1)) % n;
            let (a, b) = (live[i], live[j]);
            if load(b) < load(a) { b } else { a }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &n in RetryPolicy::NAMES {
            let v = RetryPolicy::from_name(n).map(RetryPolicy::name);
            assert_eq!(v, Some(n), "retry policy name {n} must round-trip");
        }
        assert_eq!(
            Overload::from_name("explode"),
            None,
            "unknown names are rejected"
        );
    }

    #[test]
    fn bundles_are_told_apart() {
        for &n in Bundle::NAMES {
            let b = Bundle::from_name(n).map(|b| Bundle::of(b.strategy()));
            assert_eq!(
                b,
                Some(Bundle::from_name(n)),
                "bundle {n} recognised from its switches"
            );
        }
        let mut mixed = Bundle::Fixed.strategy();
        mixed.retry = RetryPolicy::Fixed;
        assert_eq!(Bundle::of(mixed), None, "a mix of switches is no bundle");
    }
}
