//! The words: the caption under the animation (what is happening now and why), and the event
//! log told in plain sentences.
//!
//! Functions of the run's record and state, so the page, its `aria-live` summary, the CLI and the
//! tests read the same sentences. Numbers are in real users; the "why" follows the strategy
//! switches actually in force, and the historical presets add what happened on the real day
//! (MODEL.md Part 1).

use crate::config::Config;
use crate::metrics::{EventKind, Phase, Sample};
use crate::run::Run;
use crate::strategy::{Overload, PlannerDemand, RetryPolicy, SupernodeChoice};
use serde::Serialize;

/// Which real outage a run retells, for the "on the real day" sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    /// No real day to compare with.
    None,
    /// Thursday 16 August 2007 (Patch Tuesday's restarts).
    Aug2007,
    /// Wednesday 22 December 2010 (the client crash).
    Dec2010,
}

impl History {
    /// The history a preset retells.
    pub fn of_preset(name: &str) -> History {
        match name {
            "aug-2007" | "aug-2007-unaided" | "aug-2007-fixed" | "staggered-updates" => {
                History::Aug2007
            }
            "dec-2010" | "dec-2010-mega" => History::Dec2010,
            _ => History::None,
        }
    }
}

/// `n` real users in words: "5.9 million", "320,000", "870".
pub fn users(n: f64) -> String {
    let n = n.max(0.0);
    if n >= 1e6 {
        format!("{:.1} million", n / 1e6)
    } else {
        let whole = if n >= 10_000.0 {
            (n / 1000.0).round() as u64 * 1000
        } else {
            n.round() as u64
        };
        let digits = whole.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        out
    }
}

/// A duration in minutes in words: "40 minutes", "3 hours", "1 day 2 hours".
pub fn duration(min: u32) -> String {
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if min < 90 {
        plural(min, "minute")
    } else if min < 48 * 60 {
        plural((min + 30) / 60, "hour")
    } else {
        let (d, h) = (min / 1440, (min % 1440 + 30) / 60);
        if h == 0 {
            plural(d, "day")
        } else {
            format!("{} {}", plural(d, "day"), plural(h, "hour"))
        }
    }
}

/// An event in words; `scale`: real users (and real supernodes) each simulated one stands for.
pub fn event_text(kind: EventKind, scale: f64) -> String {
    match kind {
        EventKind::Update => {
            "The update lands: PCs restart to install it, supernodes among them.".into()
        }
        EventKind::Crash => {
            "A faulty client version crashes: clients and supernodes restart.".into()
        }
        EventKind::FirstSwitchOff => "A supernode is flooded with logins and switches itself off, dropping all its users.".into(),
        EventKind::CoreBelowHalf => "The supernode core is below half its normal size: the network has lost the peers that carry it.".into(),
        EventKind::OnlineBelowHalf => "Fewer than half the usual users are online.".into(),
        EventKind::OnlineBelowTenth => {
            "Fewer than one user in ten can stay logged in.".into()
        }
        EventKind::Recovered => {
            "Service is back: more than 95% of the usual users are online again.".into()
        }
        EventKind::Intervention { megas, factor } => format!(
            "Engineers start bringing up {} mega-supernodes, each {factor}x a normal supernode.",
            users(f64::from(megas) * scale)
        ),
    }
}

/// An event as the CLI prints it and the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ToldEvent {
    /// Minutes since the run started.
    pub t_min: u32,
    /// A stable identifier (see [`EventKind::id`]).
    pub kind: &'static str,
    /// What happened, for a reader.
    pub text: String,
}

/// The event log of a run in words.
pub fn tell(run: &Run) -> Vec<ToldEvent> {
    let scale = run.config().users_per_client();
    run.events()
        .iter()
        .map(|e| ToldEvent {
            t_min: e.t_min,
            kind: e.kind.id(),
            text: event_text(e.kind, scale),
        })
        .collect()
}

/// Why logins keep failing, from the switches in force.
/// The decisive mechanism first: in the model, what a flooded supernode does decides whether the
/// network recovers (tests/claims.rs runs the 16 combinations of the switches).
fn why_stuck(cfg: &Config) -> String {
    let mut why = Vec::new();
    if cfg.overload == Overload::SwitchOff {
        why.push(
            "a supernode flooded with logins switches itself off and drops its users onto the others, so every supernode that comes back is flooded again"
                .to_owned(),
        );
    }
    match cfg.retry {
        RetryPolicy::Fixed if cfg.retry_base_min == 1 => {
            why.push("every waiting client retries every minute without letting up".to_owned())
        }
        RetryPolicy::Fixed => why.push(format!(
            "every waiting client retries every {} without letting up",
            duration(cfg.retry_base_min)
        )),
        RetryPolicy::Exponential => why.push(
            "clients back off, but all in step, so their retries still arrive together".to_owned(),
        ),
        // Backing off at random is no reason to stay stuck (see `what_helps`).
        RetryPolicy::ExponentialJitter | RetryPolicy::RetryBudget | RetryPolicy::CircuitBreaker => {
        }
    }
    if cfg.supernode_choice == SupernodeChoice::FirstLive {
        why.push("each one goes back to the same first supernode in its cache".to_owned());
    }
    if cfg.planner_demand == PlannerDemand::Attached && cfg.overload == Overload::SwitchOff {
        why.push(
            "the self-healing planner, counting only logged-in users, promotes nobody (though new supernodes would be flooded too)"
                .into(),
        );
    } else if cfg.planner_demand == PlannerDemand::Attached {
        why.push(
            "the self-healing planner counts only logged-in users, so a storm of failed logins looks like no demand and it promotes nobody"
                .into(),
        );
    }
    list(why)
}

/// What in the switches in force helps a storm clear (empty if nothing does).
fn what_helps(cfg: &Config) -> String {
    let mut helps = Vec::new();
    match cfg.overload {
        Overload::SwitchOff => {}
        Overload::Shed => helps.push("a flooded supernode turns the excess away and stays up"),
        Overload::AdmissionControl => helps.push(
            "a flooded supernode answers \"busy\" with a fresh list of supernodes, sending clients elsewhere",
        ),
    }
    match cfg.retry {
        RetryPolicy::ExponentialJitter => {
            helps.push("clients back off at random, which spreads their retries out")
        }
        RetryPolicy::RetryBudget => helps.push(
            "clients stop retrying once their small retry budget is spent, and try afresh only now and then",
        ),
        RetryPolicy::CircuitBreaker => {
            helps.push("each client's circuit breaker stops its retries after five failures")
        }
        RetryPolicy::Fixed | RetryPolicy::Exponential => {}
    }
    match cfg.supernode_choice {
        SupernodeChoice::FirstLive => {}
        SupernodeChoice::Random => helps.push("clients spread over the supernodes they know"),
        SupernodeChoice::BestOfTwo => {
            helps.push("clients pick the less loaded of two supernodes they know")
        }
    }
    if cfg.planner_demand == PlannerDemand::AttachedWaiting {
        helps.push("the planner counts the waiting users and promotes more supernodes");
    }
    list(helps.into_iter().map(str::to_owned).collect())
}

/// Clauses as one: "a; b, and c".
fn list(mut clauses: Vec<String>) -> String {
    let last = clauses.pop().unwrap_or_default();
    if clauses.is_empty() {
        last
    } else {
        format!("{}, and {last}", clauses.join("; "))
    }
}

/// The trigger: what is restarting PCs.
fn trigger_words(cfg: &Config) -> &'static str {
    if cfg.reboot_share > 0.0 {
        "Windows Update is restarting PCs, supernodes among them"
    } else {
        "A bug crashes Skype clients, supernodes among them"
    }
}

/// A sentence about the real day for this phase, if the run retells one.
fn on_the_day(history: History, phase: Phase) -> Option<&'static str> {
    match (history, phase) {
        (History::Aug2007, Phase::RebootWave) => Some(
            "In 2007 Patch Tuesday's updates restarted millions of PCs within a short time; trouble began early on Thursday 16 August.",
        ),
        (History::Aug2007, Phase::Collapsed) => Some(
            "On the real day only a few hundred thousand users could stay logged in, and Skype was down for most users for about two days.",
        ),
        (History::Aug2007, Phase::Recovering) => Some(
            "In 2007 the self-healing needed outside help from Skype's engineers; service came back over Friday and Saturday.",
        ),
        (History::Dec2010, Phase::RebootWave) => Some(
            "On 22 December 2010 a crash in Windows client 5.0.0.152 took down 25-30% of supernodes.",
        ),
        (History::Dec2010, Phase::Collapsed) => Some(
            "In 2010 supernode traffic reached about 100 times normal and self-protection switched supernodes off like dominoes.",
        ),
        (History::Dec2010, Phase::Recovering) => Some(
            "In 2010 engineers brought up mega-supernodes overnight: 5 million users were back by 07:00 EST (12:00 UTC) on the 23rd, 16.5 million by 13:50 EST (18:50 UTC).",
        ),
        _ => None,
    }
}

/// What is happening now and why, in one to three plain sentences.
pub fn caption(run: &Run, history: History) -> String {
    let Some(s) = run.trace().last().copied() else {
        let cfg = run.config();
        let scale = cfg.users_per_client();
        return format!(
            "A normal day: {} users online, carried by {} supernodes.",
            users(f64::from(cfg.clients) * scale),
            users(f64::from(run.sim().normal_core()) * scale)
        );
    };
    let now = Now { run, s };
    let mut text = match s.phase {
        Phase::Stable => now.calm(),
        Phase::RebootWave => now.wave(),
        Phase::LoginStorm => now.storm(),
        Phase::Collapsed => now.collapse(),
        Phase::Recovering => now.recovering(),
        Phase::Recovered => now.recovered(),
    };
    text.push_str(&now.engineers());
    if let Some(day) = on_the_day(history, s.phase) {
        text.push(' ');
        text.push_str(day);
        // The record and the model side by side: say so where they part.
        if history == History::Aug2007 && s.phase == Phase::Collapsed && now.pct(s.online) < 2.0 {
            text.push_str(" This model's collapse is deeper: nearly nobody stays logged in.");
        }
    }
    text
}

/// The latest minute of a run, for the caption's sentences.
struct Now<'a> {
    run: &'a Run,
    s: Sample,
}

impl Now<'_> {
    fn cfg(&self) -> &Config {
        self.run.config()
    }

    /// `n` clients as real users, in words.
    fn users(&self, n: u32) -> String {
        users(f64::from(n) * self.cfg().users_per_client())
    }

    /// `n` simulated supernodes as real ones, in words (one scale: a simulated supernode stands
    /// for as many real supernodes as a simulated client stands for users).
    fn supernodes(&self, n: u32) -> String {
        users(f64::from(n) * self.cfg().users_per_client())
    }

    /// `n` clients as a whole percentage of normal.
    fn pct(&self, n: u32) -> f64 {
        let base = self.run.summary().baseline_online.max(1.0);
        (f64::from(n) / base * 100.0).round()
    }

    fn calm(&self) -> String {
        let (cfg, s) = (self.cfg(), &self.s);
        let mut t = format!(
            "A normal day: {} users online, carried by {} supernodes at {:.0}% of their capacity. PCs restart now and then and log back in within minutes; when a supernode's PC restarts, its users all log in again elsewhere at once, a spike in the login chart.",
            self.users(s.online),
            self.supernodes(s.supernodes),
            s.sn_capacity_used * 100.0
        );
        let next = if cfg.reboot_share > 0.0 {
            Some((cfg.patch_at_min, "The update lands"))
        } else if cfg.crash_client_share > 0.0 || cfg.crash_supernode_share > 0.0 {
            Some((cfg.crash_at_min, "The crash strikes"))
        } else {
            None
        };
        if let Some((at, what)) = next.filter(|&(at, _)| at > s.t_min) {
            t.push_str(&format!(" {what} in {}.", duration(at - s.t_min)));
        }
        t
    }

    fn wave(&self) -> String {
        let (cfg, s) = (self.cfg(), &self.s);
        let mut t = format!(
            "{}: {} users' PCs are restarting right now, and {} users are waiting to log in again. Each supernode takes {} new logins a minute.",
            trigger_words(cfg),
            self.users(s.rebooting),
            self.users(s.waiting + s.logging_in),
            users(f64::from(cfg.handshakes_per_min))
        );
        if cfg.follow_night && cfg.reboot_share > 0.0 {
            t.push_str(" The update follows the night: one time zone at a time restarts, at 3 a.m. local, so each hour brings only about a 24th of the logins, and the supernodes keep up.");
        }
        t
    }

    fn storm(&self) -> String {
        let s = &self.s;
        let mut t = format!(
            "Login storm: {} users are trying to log in, {} login attempts a minute, and only {} ({}%) are online.",
            self.users(s.waiting + s.logging_in),
            self.users(s.login_attempts),
            self.users(s.online),
            self.pct(s.online),
        );
        let (stuck, helps) = (why_stuck(self.cfg()), what_helps(self.cfg()));
        if !stuck.is_empty() {
            t.push_str(&format!(" What keeps it going: {stuck}."));
        }
        if !helps.is_empty() {
            t.push_str(&format!(" What helps it clear: {helps}."));
        }
        t
    }

    fn collapse(&self) -> String {
        let s = &self.s;
        let normal_core = f64::from(self.run.sim().normal_core().max(1));
        let online = if s.online == 0 {
            "Collapse: nobody can stay online".to_string()
        } else {
            format!(
                "Collapse: only {} users ({}%) are online",
                self.users(s.online),
                self.pct(s.online)
            )
        };
        let core = if s.supernodes == 0 {
            "and no supernode is left".to_string()
        } else {
            format!(
                "and {} supernodes are left ({:.0}% of normal)",
                self.supernodes(s.supernodes),
                f64::from(s.supernodes) / normal_core * 100.0
            )
        };
        let mut t = format!("{online} {core}.");
        let why = why_stuck(self.cfg());
        if !why.is_empty() {
            t.push_str(&format!(" Why: {why}."));
        }
        let ended = self.run.recorder().last_trigger_min();
        if let Some(end) = ended.filter(|&e| s.t_min > e + 60) {
            // Engineers already planned are the push; otherwise the reader may send them.
            let push = if self.cfg().mega_at_min.is_some() {
                "Only a strong push gets it out, such as the engineers' mega-supernodes."
            } else {
                "Only a strong push gets it out: try \"Send in the engineers\"."
            };
            t.push_str(&format!(
                " The last PC restarted {} ago: the retries now keep the failure going by themselves (a metastable failure). {push}",
                duration(s.t_min - end)
            ));
        }
        t
    }

    /// While the engineers bring up mega-supernodes: how many are up, of how many.
    fn engineers(&self) -> String {
        let (live, planned) = self.run.sim().megas();
        if planned == 0 || live >= planned {
            return String::new();
        }
        if live == 0 {
            return format!(
                " Engineers are bringing up {} mega-supernodes; none is serving yet.",
                self.supernodes(planned)
            );
        }
        format!(
            " Engineers have brought up {} of the {} mega-supernodes they are adding.",
            self.supernodes(live),
            self.supernodes(planned)
        )
    }

    fn recovering(&self) -> String {
        let (megas, _) = self.run.sim().megas();
        let how = if megas > 0 {
            format!(
                "{} mega-supernodes take the waiting users in",
                self.supernodes(megas)
            )
        } else if self.cfg().planner_demand == PlannerDemand::AttachedWaiting {
            "the planner counts the waiting users and promotes new supernodes".to_owned()
        } else {
            "supernodes are coming back".to_owned()
        };
        format!(
            "Recovering: {} users ({}%) are online again and climbing; {how}.",
            self.users(self.s.online),
            self.pct(self.s.online)
        )
    }

    fn recovered(&self) -> String {
        let (megas, _) = self.run.sim().megas();
        let carried = if megas > 0 {
            format!(
                ", carried partly by {} mega-supernodes, each taking the users of {} ordinary ones",
                self.supernodes(megas),
                self.cfg().mega_factor
            )
        } else {
            String::new()
        };
        format!(
            "Recovered: {} users ({}%) are online, back to normal{carried}. The outage cost {} user-hours of service.",
            self.users(self.s.online),
            self.pct(self.s.online),
            users(
                self.run
                    .recorder()
                    .outage_user_hours()
                    .unwrap_or(self.run.summary().user_hours_lost)
            )
        )
    }
}

#[cfg(test)]
mod tests;
