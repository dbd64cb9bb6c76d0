//! The CLI end to end: the real binary, its output and its exit codes.
#![cfg(not(target_arch = "wasm32"))] // native only: proptest, child processes, long runs

use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loginstorm"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("the CLI runs: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn presets_lists_every_preset_with_a_description() {
    let o = cli(&["presets"]);
    assert!(o.status.success(), "presets succeeds");
    for name in loginstorm::presets::NAMES {
        assert!(stdout(&o).contains(name), "lists {name}");
    }
    assert!(stdout(&o).contains("Patch Tuesday"), "with descriptions");
}

#[test]
fn run_prints_csv_with_the_documented_header_and_one_row_a_minute() {
    let o = cli(&[
        "run",
        "--preset",
        "calm-day",
        "--clients",
        "500",
        "--set",
        "duration_h=2",
    ]);
    assert!(o.status.success(), "run succeeds: {}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "t_min,online,rebooting,waiting,logging_in,supernodes,sn_capacity_used,login_attempts,login_successes,phase"
        ),
        "header row"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 120, "one row per simulated minute of 2 h");
    assert!(rows[0].starts_with("0,"), "first row is minute 0");
    assert!(
        rows[119].starts_with("119,") && rows[119].ends_with(",stable"),
        "last row: {}",
        rows[119]
    );
}

#[test]
fn json_output_is_one_sample_a_minute_in_order() {
    let o = cli(&[
        "run",
        "--preset",
        "aug-2007",
        "--clients",
        "2000",
        "--set",
        "duration_h=8",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "json run succeeds");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let samples = v.as_array().expect("an array of samples");
    assert_eq!(samples.len(), 480, "a sample a minute");
    assert_eq!(
        samples[370]["phase"], "reboot-wave",
        "the update is under way at minute 370"
    );
    assert_eq!(samples[370]["t_min"], 370, "samples are in minute order");
}

#[test]
fn summary_is_one_json_object_with_the_documented_keys() {
    let o = cli(&[
        "run",
        "--preset",
        "aug-2007-unaided",
        "--seed",
        "4",
        "--clients",
        "2000",
        "--summary",
    ]);
    assert!(o.status.success(), "summary run succeeds");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    for key in [
        "baseline_online",
        "min_online_fraction",
        "minutes_below_half",
        "recovered_at_min",
        "peak_login_attempts_per_min",
        "min_supernode_fraction",
        "user_hours_lost",
    ] {
        assert!(v.get(key).is_some(), "summary has {key}: {v}");
    }
    assert!(
        v["recovered_at_min"].is_null(),
        "nobody steps in: it never recovers on its own"
    );
    assert!(
        v["min_online_fraction"].as_f64().is_some_and(|f| f < 0.1),
        "and collapses"
    );
}

#[test]
fn same_seed_same_output() {
    let args = |seed: &'static str| {
        [
            "run",
            "--preset",
            "staggered-updates",
            "--seed",
            seed,
            "--clients",
            "1000",
            "--set",
            "duration_h=12",
        ]
    };
    let first = cli(&args("9")).stdout;
    assert_eq!(
        String::from_utf8_lossy(&first).lines().count(),
        721,
        "a header and 12 hours of minutes"
    );
    assert_eq!(
        first,
        cli(&args("9")).stdout,
        "a run is a function of its arguments"
    );
    assert_ne!(first, cli(&args("10")).stdout, "another seed, another run");
}

#[test]
fn bad_arguments_exit_2_naming_the_field() {
    for (args, field) in [
        (vec!["run", "--clients", "5"], "clients"),
        (vec!["run", "--seed=-1"], "seed"),
        (vec!["run", "--preset", "aug-2008"], "--preset"),
        (vec!["run", "--set", "reboot_share=1.5"], "reboot_share"),
        (vec!["run", "--set", "warp_factor=9"], "warp_factor"),
        (vec!["run", "--set", "strategy"], "--set"),
        (vec!["run", "--set", "retry=sometimes"], "retry"),
        (
            vec![
                "run",
                "--set",
                "retry_cap_min=1",
                "--set",
                "retry_base_min=5",
            ],
            "retry_cap_min",
        ),
        (vec!["run", "--format", "xml"], "--format"),
        (vec!["launch"], "launch"),
    ] {
        let o = cli(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?} exits with 2");
        assert!(
            stderr(&o).contains(field),
            "{args:?}: message names {field}: {}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
}

#[test]
fn the_sites_palette_is_the_engines() {
    let o = cli(&["palette"]);
    assert!(o.status.success(), "palette succeeds");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/palette.css");
    let file = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(
        stdout(&o) == file,
        "www/palette.css differs from src/palette.rs: regenerate it with \
         `cargo run --bin loginstorm -- palette > www/palette.css`"
    );
    assert!(
        file.contains("--online: #0072b2;") && file.contains("--band-collapsed:"),
        "states and phases are in it"
    );
}

#[test]
fn switches_prints_the_16_combinations_from_flawed_to_fixed() {
    let o = cli(&[
        "switches",
        "--preset",
        "aug-2007",
        "--clients",
        "2000",
        "--set",
        "duration_h=12",
    ]);
    assert!(o.status.success(), "switches succeeds: {}", stderr(&o));
    let out = stdout(&o);
    let (combinations, retries) = out.split_once("\n\n").unwrap_or((&out, ""));
    let rows: Vec<&str> = combinations.lines().skip(1).collect();
    assert_eq!(rows.len(), 16, "a row a combination: {out}");
    let retry_rows: Vec<&str> = retries.lines().skip(1).collect();
    assert_eq!(
        retry_rows
            .iter()
            .map(|r| r.split(' ').next().unwrap_or(""))
            .collect::<Vec<_>>(),
        [
            "fixed",
            "exponential",
            "exponential-jitter",
            "retry-budget",
            "circuit-breaker"
        ],
        "then each retry policy in the fixed network: {out}"
    );
    assert!(
        rows[0].starts_with("none (flawed-2007)"),
        "all flawed first"
    );
    assert!(
        rows[15].starts_with("supernode_choice, retry, planner_demand, overload"),
        "all fixed last"
    );
    let bad = cli(&["switches", "--set", "overload=melt"]);
    assert_eq!(bad.status.code(), Some(2), "a bad setting exits 2");
}

#[test]
fn real_csv_counts_real_users_and_supernodes() {
    let args = |real: bool| {
        let mut a = vec![
            "run",
            "--preset",
            "calm-day",
            "--clients",
            "1000",
            "--set",
            "duration_h=1",
        ];
        if real {
            a.push("--real");
        }
        cli(&a)
    };
    let (sim, real) = (stdout(&args(false)), stdout(&args(true)));
    assert!(
        real.starts_with("t_min,online_users,"),
        "real columns: {real}"
    );
    let row = |s: &str| -> Vec<f64> {
        s.lines()
            .nth(30)
            .unwrap_or_default()
            .split(',')
            .take(6)
            .filter_map(|x| x.parse().ok())
            .collect()
    };
    let (a, b) = (row(&sim), row(&real));
    // 6 million users over 1,000 clients: 6,000 real users a client, and a supernode alike.
    assert_eq!(b[1], a[1] * 6_000.0, "online users");
    assert_eq!(b[5], a[5] * 6_000.0, "supernodes on one scale");
}

/// A small sweep's arguments, then `extra`.
fn sweep(extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        "--preset",
        "aug-2007",
        "--clients",
        "400",
        "--set",
        "duration_h=8",
        "--x",
        "reboot_share=0..0.8:3",
        "--y",
        "reboot_window_min=10..600:3",
        "--seeds",
        "2",
    ];
    args.extend_from_slice(extra);
    cli(&args)
}

#[test]
fn a_sweep_prints_a_header_and_a_row_per_cell_and_seed_whatever_the_jobs() {
    let one = sweep(&["--jobs", "1"]);
    assert!(one.status.success(), "{}", stderr(&one));
    let text = stdout(&one);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("reboot_share,reboot_window_min,seed,outcome,"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + 3 * 3 * 2, "a header and 18 rows");
    assert!(
        lines[1].starts_with("0,10,2007,untroubled,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("0,10,2008,"),
        "the next seed: {}",
        lines[2]
    );
    assert!(lines[18].starts_with("0.8,600,2008,"), "{}", lines[18]);
    assert_eq!(
        stdout(&sweep(&["--jobs", "3"])),
        text,
        "the same rows in the same order"
    );
}

#[test]
fn the_shards_of_a_sweep_concatenate_to_the_whole_sweep() {
    let whole = stdout(&sweep(&[]));
    let (header, rows) = whole
        .split_once('\n')
        .unwrap_or_else(|| panic!("a header: {whole}"));
    for n in [1, 4, 7, 25] {
        let mut joined = String::new();
        for k in 0..n {
            let part = sweep(&["--shard", &format!("{k}/{n}")]);
            assert!(part.status.success(), "{}", stderr(&part));
            let text = stdout(&part);
            let (h, body) = text
                .split_once('\n')
                .unwrap_or_else(|| panic!("a header: {text}"));
            assert_eq!(h, header, "each shard has the header");
            joined.push_str(body);
        }
        assert_eq!(joined, rows, "{n} shards, byte for byte");
    }
}

#[test]
fn a_bad_sweep_exits_2_naming_the_part() {
    for (args, want) in [
        (
            vec!["--x", "reboot_share=0..1"],
            "--x: '0..1' lacks ':STEPS'",
        ),
        (vec!["--x", "bogus=0..1:3"], "--x: 'bogus' is not a setting"),
        (vec!["--y", "retry=1..2:2"], "--y: 'retry' takes words"),
        (vec!["--y", "reboot_share=0..2:3"], "--y: TO 2 is outside"),
        (vec!["--shard", "3/3"], "--shard: '3/3' needs"),
        (vec!["--shard", "a/b"], "--shard: 'a/b' is not K/N"),
        (
            vec!["--seeds", "0"],
            "--seeds: '0' is not a whole number from 1",
        ),
        (
            vec!["--jobs", "0"],
            "--jobs: '0' is not a whole number from 1",
        ),
    ] {
        let mut full = vec!["sweep"];
        for (flag, default) in [
            ("--x", "reboot_share=0..1:2"),
            ("--y", "reboot_window_min=10..600:2"),
        ] {
            if !args.contains(&flag) {
                full.extend([flag, default]);
            }
        }
        full.extend(args.iter().copied());
        let o = cli(&full);
        assert_eq!(o.status.code(), Some(2), "{args:?} exits 2");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_switch_change_during_a_run_is_a_setting_and_a_bad_one_is_named() {
    let base = ["run", "--preset", "aug-2007-unaided", "--clients", "4000"];
    let unchanged = cli(&base);
    let mut args = base.to_vec();
    args.extend(["--set", "live_changes=380:overload=admission-control"]);
    let changed = cli(&args);
    assert!(changed.status.success(), "{}", stderr(&changed));
    let (a, b) = (stdout(&unchanged), stdout(&changed));
    let before = |s: &str| s.lines().take(381).collect::<Vec<_>>().join("\n");
    assert_eq!(
        before(&a),
        before(&b),
        "the header and minutes 0-379 are the run without the change"
    );
    assert_ne!(a, b, "and the minutes from 380 differ");

    args.pop();
    args.push("live_changes=380:retry=sometimes");
    let bad = cli(&args);
    assert_eq!(bad.status.code(), Some(2), "a bad change is a usage error");
    assert!(
        stderr(&bad).contains("live_changes: 'sometimes' is not a value of retry; choose one of"),
        "named: {}",
        stderr(&bad)
    );
}
