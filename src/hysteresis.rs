//! The hysteresis loop (Bronson et al., "Metastable Failures in Distributed Systems", 2021): ramp
//! the offered login load up and back down (the `ramp_*` knobs, see [`Config::ramp_per_h`]) and
//! follow what the network serves. A network that is merely overloaded retraces its way up on the
//! way down; a metastable one stays down after the load that tipped it is gone.

use crate::config::{Config, ConfigError};
use crate::run::Run;
use serde::Serialize;

/// Minutes averaged into one point of the loop (a minute is too noisy to read).
pub const WINDOW_MIN: u32 = 10;

/// One point of the loop: a window of [`WINDOW_MIN`] minutes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LoopPoint {
    /// The window's first minute.
    pub t_min: u32,
    /// The extra restarts the ramp asks for, as a share of users an hour (the offered load).
    pub offered_per_h: f64,
    /// Users online as a share of the normal level (what the network serves).
    pub online_share: f64,
    /// Whether the ramp is still rising (or has not begun): the way up.
    pub rising: bool,
}

/// The run of `cfg` to its end, as loop points from the ramp's start to the run's end.
pub fn load_loop(cfg: &Config) -> Result<Vec<LoopPoint>, ConfigError> {
    let mut run = Run::new(cfg.clone())?;
    run.run_to_end();
    // Normal: the users online in the half hour before the ramp (the summary's baseline is
    // measured before an update or a crash, and this run has neither).
    let before: Vec<f64> = run
        .trace()
        .iter()
        .filter(|s| s.t_min < cfg.ramp_at_min && s.t_min + 30 >= cfg.ramp_at_min)
        .map(|s| f64::from(s.online))
        .collect();
    let baseline = if before.is_empty() {
        run.summary().baseline_online
    } else {
        before.iter().sum::<f64>() / before.len() as f64
    }
    .max(1.0);
    let top = cfg
        .ramp_at_min
        .saturating_add(cfg.ramp_h.saturating_mul(60));
    let points = run
        .trace()
        .chunks(WINDOW_MIN as usize)
        .filter(|w| w.first().is_some_and(|s| s.t_min >= cfg.ramp_at_min))
        .map(|w| {
            let t_min = w.first().map_or(0, |s| s.t_min);
            let n = w.len() as f64;
            LoopPoint {
                t_min,
                offered_per_h: w.iter().map(|s| cfg.ramp_per_h(s.t_min)).sum::<f64>() / n,
                online_share: w.iter().map(|s| f64::from(s.online)).sum::<f64>() / n / baseline,
                rising: t_min < top,
            }
        })
        .collect();
    Ok(points)
}

/// How far the way down lies below the way up at the same offered load: the largest gap in
/// users online (share of normal) between the two, over the way down's points (0 for a loop
/// that retraces itself). Each point down is set against the point up with the nearest load.
pub fn opening(points: &[LoopPoint]) -> f64 {
    let up: Vec<&LoopPoint> = points.iter().filter(|p| p.rising).collect();
    points
        .iter()
        .filter(|p| !p.rising)
        .filter_map(|down| {
            up.iter()
                .min_by(|a, b| {
                    (a.offered_per_h - down.offered_per_h)
                        .abs()
                        .total_cmp(&(b.offered_per_h - down.offered_per_h).abs())
                })
                .map(|u| u.online_share - down.online_share)
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_rises_and_falls_evenly() {
        let cfg = Config {
            ramp_peak_per_h: 2.0,
            ramp_at_min: 60,
            ramp_h: 1,
            ..Config::default()
        };
        let at = |t| cfg.ramp_per_h(t);
        assert_eq!(
            (at(0), at(59), at(60)),
            (0.0, 0.0, 0.0),
            "nothing before it"
        );
        assert!((at(90) - 1.0).abs() < 1e-9, "half way up");
        assert!((at(120) - 2.0).abs() < 1e-9, "its peak");
        assert!((at(150) - 1.0).abs() < 1e-9, "half way down");
        assert_eq!(at(180), 0.0, "gone after twice its rise");
    }

    #[test]
    fn a_loop_that_retraces_itself_is_closed() {
        let p = |t_min, offered_per_h, online_share, rising| LoopPoint {
            t_min,
            offered_per_h,
            online_share,
            rising,
        };
        let closed = [
            p(0, 0.0, 1.0, true),
            p(10, 1.0, 0.8, true),
            p(20, 1.0, 0.8, false),
            p(30, 0.0, 1.0, false),
        ];
        assert!(opening(&closed).abs() < 1e-12);
        let open = [
            p(0, 0.0, 1.0, true),
            p(10, 1.0, 0.8, true),
            p(20, 1.0, 0.1, false),
            p(30, 0.0, 0.0, false),
        ];
        assert!(
            (opening(&open) - 1.0).abs() < 1e-12,
            "down at 0 where up was at 1"
        );
    }
}
