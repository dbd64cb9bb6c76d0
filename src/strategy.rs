//! The network's allocation strategy: four independent switches and the named bundles of them.
//!
//! Each switch is defined beside the behaviour it selects: the supernode choice in
//! `hostcache.rs`, the retry in `retry.rs`, the planner's demand in `planner.rs`, the overload
//! behaviour in `supernode.rs`. Here they come together.
//!
//! The real 2007 bug was never published; `flawed-2007` is our hypothesis of it, built from what
//! Skype said ("not tuned to take into account a combination of high load and supernode
//! rebooting", "prevented the self-healing function from working quickly").

pub use crate::hostcache::{SupernodeChoice, pick};
pub use crate::planner::PlannerDemand;
pub use crate::retry::RetryPolicy;
pub use crate::supernode::Overload;
use serde::{Deserialize, Serialize};

/// Defines a knob enum with its kebab-case names, used alike by serde, the URL and the CLI.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
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

pub(crate) use named_enum;

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
