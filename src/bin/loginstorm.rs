//! `loginstorm`: the headless CLI over the same engine as the page, for batch runs and figures.
//!
//! ```text
//! loginstorm presets
//! loginstorm run --preset aug-2007 --seed 3 --clients 100000 --set strategy=fixed --summary
//! loginstorm sweep --x reboot_window_min=10..1440:20 --y reboot_share=0.1..1:20 --seeds 3
//! ```
//! Bad arguments print a message naming the argument and exit with code 2.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand, ValueEnum};
    use loginstorm::switches::Outcome;
    use loginstorm::{Config, ConfigError, Run, narration, palette, presets};
    use std::io::Write;
    use std::process::ExitCode;

    #[derive(Parser)]
    #[command(
        name = "loginstorm",
        version,
        about = "Simulate Skype's 2007 and 2010 login-storm outages"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// List the presets with their descriptions.
        Presets,
        /// List every setting with its unit, range and default.
        Settings,
        /// Run a scenario and print its per-minute metrics (or its summary).
        Run(RunArgs),
        /// Run a scenario with each of the 16 combinations of the four switches (each flawed or
        /// fixed) and print how each ends.
        Switches(ScenarioArgs),
        /// Run a grid of two settings, several seeds a cell, and print one CSV row per cell and
        /// seed; `--shard K/N` prints only the K-th of N slices, which concatenate (after each
        /// one's header) to the whole sweep.
        Sweep(SweepArgs),
        /// Print the page's colours (light and dark) as CSS custom properties, for figures
        /// that match the page; the site's own `www/palette.css` is this output.
        Palette,
    }

    #[derive(clap::Args)]
    struct ScenarioArgs {
        /// The scenario to start from.
        #[arg(long, default_value = "aug-2007")]
        preset: String,
        /// Random seed (same seed and settings, same output).
        #[arg(long)]
        seed: Option<String>,
        /// Simulated clients.
        #[arg(long)]
        clients: Option<String>,
        /// Any setting, as name=value (repeatable); see `loginstorm settings`.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
    }

    #[derive(clap::Args)]
    struct RunArgs {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Output format of the per-minute metrics.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Print the run's summary as one JSON object instead of the metrics.
        #[arg(long)]
        summary: bool,
        /// Print the event log as JSON instead of the metrics.
        #[arg(long, conflicts_with = "summary")]
        events: bool,
        /// Counts in real users and real supernodes (as the page exports them) instead of
        /// simulated clients (CSV only).
        #[arg(long)]
        real: bool,
    }

    #[derive(clap::Args)]
    struct SweepArgs {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// The x axis: a numeric setting, its first and last value, and how many values.
        #[arg(long, value_name = "KNOB=FROM..TO:STEPS")]
        x: String,
        /// The y axis, as --x.
        #[arg(long, value_name = "KNOB=FROM..TO:STEPS")]
        y: String,
        /// Seeds a cell: the scenario's seed (or --seed) and the ones after it.
        #[arg(long, default_value = "1")]
        seeds: String,
        /// Runs at once (default: the machine's cores).
        #[arg(long)]
        jobs: Option<String>,
        /// Only slice K (from 0) of N, for a cluster's job array.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Csv,
        Json,
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Presets => list_presets(),
            Command::Settings => list_settings(),
            Command::Run(args) => run(args),
            Command::Switches(args) => switches(&args),
            Command::Sweep(args) => sweep(&args),
            Command::Palette => {
                print!("{}", palette::css());
                Ok(())
            }
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::Usage(e)) => {
                eprintln!("loginstorm: {e}");
                ExitCode::from(2)
            }
            Err(Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(Failure::Io(e)) => {
                eprintln!("loginstorm: {e}");
                ExitCode::FAILURE
            }
        }
    }

    enum Failure {
        Usage(ConfigError),
        Io(std::io::Error),
    }

    impl From<std::io::Error> for Failure {
        fn from(e: std::io::Error) -> Self {
            Failure::Io(e)
        }
    }

    impl From<ConfigError> for Failure {
        fn from(e: ConfigError) -> Self {
            Failure::Usage(e)
        }
    }

    fn json_failure(e: serde_json::Error) -> Failure {
        Failure::Io(e.into())
    }

    fn list_presets() -> Result<(), Failure> {
        let mut out = std::io::stdout().lock();
        for p in presets::all() {
            writeln!(
                out,
                "{:<18} {}\n{:<18} {}\n",
                p.name, p.title, "", p.description
            )?;
        }
        Ok(())
    }

    fn list_settings() -> Result<(), Failure> {
        let mut out = std::io::stdout().lock();
        let row = |name: &str, default: &str, allowed: &str, meaning: &str| {
            format!("{name:<26} {default:<18} {allowed:<22} {meaning}")
        };
        writeln!(out, "{}", row("name", "default", "allowed", "meaning"))?;
        writeln!(
            out,
            "{}",
            row(
                "strategy",
                "flawed-2007",
                "flawed-2007|naive|fixed",
                "All four switches at once"
            )
        )?;
        for k in Config::knobs() {
            let allowed = if let Some(example) = k.example {
                format!("e.g. {example}")
            } else if k.choices.is_empty() {
                format!("{}..{}", k.min.unwrap_or(0.0), k.max.unwrap_or(0.0))
            } else {
                k.choices.join("|")
            };
            let label = if k.unit.is_empty() {
                k.label.to_owned()
            } else {
                format!("{} ({})", k.label, k.unit)
            };
            writeln!(out, "{}", row(k.name, &k.default, &allowed, &label))?;
        }
        Ok(())
    }

    /// The config `args` describe: the preset, then --seed and --clients, then each --set in order.
    fn config_of(args: &ScenarioArgs) -> Result<Config, ConfigError> {
        let mut settings = Vec::new();
        if let Some(seed) = &args.seed {
            settings.push(("seed", seed.as_str()));
        }
        if let Some(clients) = &args.clients {
            settings.push(("clients", clients.as_str()));
        }
        for kv in &args.sets {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| ConfigError::new("--set", format!("'{kv}' is not NAME=VALUE")))?;
            settings.push((k, v));
        }
        presets::build_config(&args.preset, settings).map_err(|e| match e.field.as_str() {
            // The argument's own name, as the reader typed it.
            "preset" => ConfigError::new("--preset", e.message),
            _ => e,
        })
    }

    /// The 16 combinations of the switches as a table: which are fixed, how it ends, the lowest
    /// point and the user-hours lost.
    fn switches(args: &ScenarioArgs) -> Result<(), Failure> {
        let cfg = config_of(args)?;
        let table = loginstorm::switches::table(&cfg)?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{:<58} {:<18} {:>7} {:>16}",
            "fixed switches", "outcome", "lowest", "user-hours lost"
        )?;
        for row in table {
            let fixed = if row.fixed.is_empty() {
                "none (flawed-2007)".to_owned()
            } else {
                row.fixed.join(", ")
            };
            let outcome = outcome_words(row.outcome);
            writeln!(
                out,
                "{fixed:<58} {outcome:<18} {:>6.1}% {:>16.3e}",
                row.summary.min_online_fraction * 100.0,
                row.summary.user_hours_lost
            )?;
        }
        // What each option of the retry switch does where the network survives.
        writeln!(out)?;
        writeln!(
            out,
            "{:<58} {:<18} {:>7} {:>16} {:>14}",
            "retry, the other switches fixed",
            "outcome",
            "lowest",
            "user-hours lost",
            "peak attempts"
        )?;
        for row in loginstorm::switches::retry_rows(&cfg)? {
            writeln!(
                out,
                "{:<58} {:<18} {:>6.1}% {:>16.3e} {:>14}",
                row.retry.name(),
                outcome_words(row.outcome),
                row.summary.min_online_fraction * 100.0,
                row.summary.user_hours_lost,
                row.summary.peak_login_attempts_per_min
            )?;
        }
        Ok(())
    }

    /// An outcome as the tables write it.
    fn outcome_words(outcome: Outcome) -> String {
        match outcome {
            Outcome::Recovers { at_min } => format!("recovers at {at_min}"),
            other => other.name().to_owned(),
        }
    }

    /// A whole number from `min` up for argument `flag`.
    fn whole(flag: &str, text: &str, min: u32) -> Result<u32, ConfigError> {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| *v >= min)
            .ok_or_else(|| {
                ConfigError::new(
                    flag,
                    format!("'{text}' is not a whole number from {min} up"),
                )
            })
    }

    fn sweep(args: &SweepArgs) -> Result<(), Failure> {
        use loginstorm::sweep::{Axis, Sweep};
        let base = config_of(&args.scenario)?;
        let (x, y) = (Axis::parse("--x", &args.x)?, Axis::parse("--y", &args.y)?);
        let sweep = Sweep::new(base, x, y, whole("--seeds", &args.seeds, 1)?)?;
        let rows = match &args.shard {
            None => 0..sweep.len(),
            Some(spec) => {
                let bad = || ConfigError::new("--shard", format!("'{spec}' is not K/N"));
                let (k, n) = spec.split_once('/').ok_or_else(bad)?;
                let (k, n) = (
                    k.trim().parse().map_err(|_| bad())?,
                    n.trim().parse().map_err(|_| bad())?,
                );
                sweep.shard(k, n)?
            }
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs = match &args.jobs {
            None => cores,
            Some(j) => whole("--jobs", j, 1)? as usize,
        };
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        out.write_all(sweep.header().as_bytes())?;
        // A batch at a time, run side by side and printed in order, so the output streams and
        // does not depend on --jobs.
        let batch = jobs * 8;
        let mut start = rows.start;
        while start < rows.end {
            let end = (start + batch).min(rows.end);
            let next = std::sync::atomic::AtomicUsize::new(start);
            let done: Vec<std::sync::Mutex<Option<String>>> =
                (start..end).map(|_| std::sync::Mutex::new(None)).collect();
            std::thread::scope(|s| {
                for _ in 0..jobs.min(end - start) {
                    s.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if i >= end {
                                break;
                            }
                            let line = sweep
                                .row(i)
                                .map(|r| r.csv())
                                .unwrap_or_else(|e| format!("# {e}\n"));
                            if let Ok(mut slot) = done[i - start].lock() {
                                *slot = Some(line);
                            }
                        }
                    });
                }
            });
            for slot in done {
                let line = slot.into_inner().ok().flatten().unwrap_or_default();
                out.write_all(line.as_bytes())?;
            }
            out.flush()?;
            start = end;
        }
        Ok(())
    }

    fn run(args: RunArgs) -> Result<(), Failure> {
        let cfg = config_of(&args.scenario)?;
        let mut sim = Run::new(cfg)?;
        sim.run_to_end();
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if args.summary {
            serde_json::to_writer(&mut out, &sim.summary()).map_err(json_failure)?;
            writeln!(out)?;
        } else if args.events {
            serde_json::to_writer_pretty(&mut out, &narration::tell(&sim)).map_err(json_failure)?;
            writeln!(out)?;
        } else {
            match args.format {
                Format::Csv if args.real => {
                    let scale = sim.config().users_per_client();
                    let csv = loginstorm::metrics::trace_csv_real(sim.trace(), scale);
                    out.write_all(csv.as_bytes())?
                }
                Format::Csv => {
                    out.write_all(loginstorm::metrics::trace_csv(sim.trace()).as_bytes())?
                }
                Format::Json => {
                    serde_json::to_writer(&mut out, sim.trace()).map_err(json_failure)?;
                    writeln!(out)?;
                }
            }
        }
        out.flush()?;
        Ok(())
    }
}
