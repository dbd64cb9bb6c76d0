//! What the record of a run holds: a sample every tick with its phase, typed events, and a
//! summary. The [`crate::recorder::Recorder`] makes them; `narration.rs` puts them in words.

use serde::Serialize;

/// Where the network is in the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Normal operation.
    Stable,
    /// PCs are restarting (the update) or crashing (2010).
    RebootWave,
    /// Many clients are retrying their logins; online is below normal and not climbing.
    LoginStorm,
    /// Fewer than half the normal users online, and not climbing.
    Collapsed,
    /// Online users are climbing back.
    Recovering,
    /// Back above 95% of normal after a dip.
    Recovered,
}

impl Phase {
    /// Every phase, in story order.
    pub const ALL: [Phase; 6] = [
        Phase::Stable,
        Phase::RebootWave,
        Phase::LoginStorm,
        Phase::Collapsed,
        Phase::Recovering,
        Phase::Recovered,
    ];

    /// The phase's name as the CLI, the URL and the page's code write it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Stable => "stable",
            Phase::RebootWave => "reboot-wave",
            Phase::LoginStorm => "login-storm",
            Phase::Collapsed => "collapsed",
            Phase::Recovering => "recovering",
            Phase::Recovered => "recovered",
        }
    }

    /// The phase in words, for a reader.
    pub fn words(self) -> &'static str {
        match self {
            Phase::Stable => "stable",
            Phase::RebootWave => "reboot wave",
            Phase::LoginStorm => "login storm",
            Phase::Collapsed => "collapsed",
            Phase::Recovering => "recovering",
            Phase::Recovered => "recovered",
        }
    }
}

/// The network at the end of one tick. Counts are simulated clients (multiply by
/// `users_per_client` for real users).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Minutes since the run started.
    pub t_min: u32,
    /// Clients online.
    pub online: u32,
    /// Clients whose PC is restarting.
    pub rebooting: u32,
    /// Clients waiting to retry a login.
    pub waiting: u32,
    /// Clients whose handshake was accepted, finishing their login.
    pub logging_in: u32,
    /// Live supernodes (mega-supernodes included).
    pub supernodes: u32,
    /// Share of the live supernodes' capacity in use, 0 to 1.
    pub sn_capacity_used: f64,
    /// Login attempts this minute.
    pub login_attempts: u32,
    /// Logins completed this minute.
    pub login_successes: u32,
    /// The phase.
    pub phase: Phase,
}

/// The CSV header of a trace: `t_min` first, then the counts, rates and the phase.
pub const CSV_HEADER: &str = "t_min,online,rebooting,waiting,logging_in,supernodes,sn_capacity_used,login_attempts,login_successes,phase";

/// The CSV header of a trace in real-world counts (see [`trace_csv_real`]).
pub const CSV_HEADER_REAL: &str = "t_min,online_users,rebooting_users,waiting_users,logging_in_users,supernodes,sn_capacity_used,login_attempts,logins,phase";

/// A trace as CSV (header and one row a sample) in simulated clients, as the CLI prints it.
pub fn trace_csv(trace: &[Sample]) -> String {
    csv_rows(CSV_HEADER, trace, 1.0)
}

/// A trace as CSV in real-world counts, as the page exports it: users, supernodes and attempts
/// each multiplied by `scale`, the real users one simulated client stands for (one scale: a
/// simulated supernode stands for as many real ones), rounded to whole numbers.
pub fn trace_csv_real(trace: &[Sample], scale: f64) -> String {
    csv_rows(CSV_HEADER_REAL, trace, scale)
}

/// The CSV header of the page's export: the CLI's columns, then the calendar time and the
/// counts in the real world (see [`trace_csv_page`]).
pub const CSV_HEADER_PAGE: &str = "t_min,online,rebooting,waiting,logging_in,supernodes,sn_capacity_used,login_attempts,login_successes,phase,time_utc,online_users,rebooting_users,waiting_users,logging_in_users,real_supernodes,real_login_attempts,real_logins";

/// A trace as the page exports it: each row the CLI's (simulated clients), then its minute as a
/// UTC time after `starts_at` (ISO 8601; empty when there is none) and the counts in real users
/// and real supernodes (times `scale`, rounded), so a spreadsheet reads the real day while the
/// columns a script expects stay as the CLI prints them.
pub fn trace_csv_page(trace: &[Sample], scale: f64, starts_at: &str) -> String {
    use std::fmt::Write;
    let real = |n: u32| (f64::from(n) * scale).round();
    let mut out = String::with_capacity(160 * (trace.len() + 1));
    out.push_str(CSV_HEADER_PAGE);
    out.push('\n');
    for s in trace {
        write_row(&mut out, s, 1.0);
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            ",{},{},{},{},{},{},{},{}",
            crate::calendar::utc_after(starts_at, s.t_min),
            real(s.online),
            real(s.rebooting),
            real(s.waiting),
            real(s.logging_in),
            real(s.supernodes),
            real(s.login_attempts),
            real(s.login_successes),
        );
    }
    out
}

fn csv_rows(header: &str, trace: &[Sample], scale: f64) -> String {
    let mut out = String::with_capacity(64 * (trace.len() + 1));
    out.push_str(header);
    out.push('\n');
    for s in trace {
        write_row(&mut out, s, scale);
        out.push('\n');
    }
    out
}

/// The CLI's fields of sample `s` (counts times `scale`, rounded), without a line end.
fn write_row(out: &mut String, s: &Sample, scale: f64) {
    use std::fmt::Write;
    let real = |n: u32| (f64::from(n) * scale).round();
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{},{},{},{},{},{},{},{},{},{}",
        s.t_min,
        real(s.online),
        real(s.rebooting),
        real(s.waiting),
        real(s.logging_in),
        real(s.supernodes),
        s.sn_capacity_used,
        real(s.login_attempts),
        real(s.login_successes),
        s.phase.name()
    );
}

/// A digest of a trace: equal digests mean identical traces (for comparing runs across
/// platforms).
pub fn trace_digest(trace: &[Sample]) -> u64 {
    trace.iter().fold(0x00D1_6E57_u64, |h, s| {
        let words = [
            u64::from(s.t_min),
            u64::from(s.online),
            u64::from(s.rebooting),
            u64::from(s.waiting),
            u64::from(s.logging_in),
            u64::from(s.supernodes),
            s.sn_capacity_used.to_bits(),
            u64::from(s.login_attempts),
            u64::from(s.login_successes),
            s.phase as u64,
        ];
        words.iter().fold(h, |h, &w| crate::rng::mix(h ^ w))
    })
}

/// What happened, as the record tells it (words are narration's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EventKind {
    /// The update started restarting PCs.
    Update,
    /// The client crash struck.
    Crash,
    /// The first supernode switched itself off.
    FirstSwitchOff,
    /// Live supernodes fell below half the normal core.
    CoreBelowHalf,
    /// Online users fell below half of normal.
    OnlineBelowHalf,
    /// Online users fell below a tenth of normal.
    OnlineBelowTenth,
    /// Back above 95% of normal once the trigger was over.
    Recovered,
    /// Engineers started bringing up mega-supernodes.
    Intervention {
        /// How many.
        megas: u32,
        /// Each one's size, in ordinary supernodes.
        factor: u32,
    },
}

impl EventKind {
    /// A stable identifier (`first_switch_off`, `core_below_half`, ...).
    pub fn id(self) -> &'static str {
        match self {
            EventKind::Update => "update",
            EventKind::Crash => "crash",
            EventKind::FirstSwitchOff => "first_switch_off",
            EventKind::CoreBelowHalf => "core_below_half",
            EventKind::OnlineBelowHalf => "online_below_half",
            EventKind::OnlineBelowTenth => "online_below_tenth",
            EventKind::Recovered => "recovered",
            EventKind::Intervention { .. } => "intervention",
        }
    }
}

/// A notable moment of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Minutes since the run started.
    pub t_min: u32,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A run in a few numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Clients online on a normal day (mean before the first trigger).
    pub baseline_online: f64,
    /// Lowest online count as a share of the baseline.
    pub min_online_fraction: f64,
    /// Minutes with fewer than half the baseline online.
    pub minutes_below_half: u32,
    /// First minute, with the trigger over, back at 95% of the baseline after falling below it
    /// (and not below 90% since); `None` if it never fell or never came back.
    pub recovered_at_min: Option<u32>,
    /// Most login attempts in one minute.
    pub peak_login_attempts_per_min: u32,
    /// Fewest live supernodes as a share of the normal core.
    pub min_supernode_fraction: f64,
    /// Real user-hours of service lost against the baseline.
    pub user_hours_lost: f64,
    /// Real users each client stands for.
    pub users_per_client: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::build_config;
    use crate::run::Run;

    #[test]
    fn the_page_csv_is_the_cli_csv_with_time_and_real_counts_beside_it() {
        let cfg = build_config("aug-2007", [("clients", "1000"), ("duration_h", "2")])
            .unwrap_or_else(|e| panic!("{e}"));
        let scale = cfg.users_per_client();
        let mut run = Run::new(cfg).unwrap_or_else(|e| panic!("{e}"));
        run.run_to_end();
        let cli = trace_csv(run.trace());
        let page = trace_csv_page(run.trace(), scale, "2007-08-16T00:00:00Z");
        assert!(page.starts_with(CSV_HEADER), "the CLI's columns first");
        let (cli_rows, page_rows): (Vec<_>, Vec<_>) =
            (cli.lines().collect(), page.lines().collect());
        assert_eq!(cli_rows.len(), page_rows.len());
        assert_eq!(page_rows.len(), 121, "header and 120 minutes");
        for (c, p) in cli_rows.iter().zip(&page_rows).skip(1) {
            assert!(p.starts_with(&format!("{c},")), "{p} begins with {c}");
            let cols: Vec<&str> = p.split(',').collect();
            assert_eq!(cols.len(), CSV_HEADER_PAGE.split(',').count());
            let online: f64 = cols[1].parse().unwrap_or(-1.0);
            assert_eq!(cols[11].parse::<f64>().ok(), Some((online * scale).round()));
        }
        assert!(
            page_rows[101].contains(",2007-08-16T01:40Z,"),
            "{}",
            page_rows[101]
        );
    }
}
