//! What is documented about the two outages, as milestones the charts draw beside the model
//! (MODEL.md Part 1 and Part 4). Minutes count from each preset's start: Thursday 16 August 2007
//! and Wednesday 22 December 2010, 00:00 UTC.

use serde::Serialize;

/// A documented moment or stretch of an outage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Milestone {
    /// Its first minute.
    pub from_min: u32,
    /// Its last minute (the same as the first for a moment).
    pub to_min: u32,
    /// Real users online then, lowest and highest (`None`: the record gives no count).
    pub users: Option<[f64; 2]>,
    /// What the record says, in a few words, with its source.
    pub label: &'static str,
}

/// August 2007 (Skype's Heartbeat blog, Villu Arak, "What happened on August 16", and its FAQ).
pub const AUG_2007: &[Milestone] = &[
    Milestone {
        from_min: 6 * 60,
        to_min: 6 * 60,
        users: None,
        label: "Trouble begins early on Thursday (Skype)",
    },
    Milestone {
        from_min: 12 * 60,
        to_min: 36 * 60,
        users: Some([120_000.0, 720_000.0]),
        label: "Only a few hundred thousand users could stay logged in (Skype)",
    },
    Milestone {
        from_min: 48 * 60,
        to_min: 72 * 60,
        users: Some([5_400_000.0, 6_000_000.0]),
        label: "Service back during Saturday 18 August (Skype)",
    },
];

/// December 2010 (Lars Rabbe, Skype CIO, post-mortem of 29 December 2010; EST is UTC-5).
pub const DEC_2010: &[Milestone] = &[
    Milestone {
        from_min: 16 * 60,
        to_min: 16 * 60,
        users: None,
        label: "Clients start crashing, about 16:00 UTC (Rabbe)",
    },
    Milestone {
        from_min: 36 * 60,
        to_min: 36 * 60,
        users: Some([5_000_000.0, 5_000_000.0]),
        label: "5 million online at 07:00 EST on the 23rd (Rabbe)",
    },
    Milestone {
        from_min: 38 * 60,
        to_min: 38 * 60,
        users: Some([10_000_000.0, 10_000_000.0]),
        label: "10 million at 09:00 EST (Rabbe)",
    },
    Milestone {
        from_min: 42 * 60 + 50,
        to_min: 42 * 60 + 50,
        users: Some([16_500_000.0, 16_500_000.0]),
        label: "16.5 million at 13:50 EST (Rabbe)",
    },
    Milestone {
        from_min: 48 * 60,
        to_min: 72 * 60,
        users: Some([22_800_000.0, 24_000_000.0]),
        label: "Fully restored on the 24th (Rabbe)",
    },
];
