//! `cargo xtask bench DIR`: the whole generator against its floors, in one run on the same
//! files; with `--compile`, the compile cost of what it emits too (`compile_cost.rs`).
//!
//! Every round measures, on one thread: the read floor (reading the pages), the parse floor
//! (pulldown-cmark's events with the generator's options, nothing else), each of our stages
//! (parse, resolve, emit tokens, format, write) and the format floor (`syn::parse_file` +
//! `prettyplease::unparse` over the `.rs` files we emitted, nothing else). Then the job as a
//! user runs it: `cargo xtask regenerate`, typed as a user types it (cargo's start-up and the
//! profile the alias builds included), into an empty folder and again with nothing changed
//! (which must touch no file), with its peak memory. Medians over the rounds are printed as
//! a table, with the targets' ratios.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime};

use crate::measure::{parse_floor, thread_cpu};
use graph_codegen::emit::{self, EmitOptions, GeneratedFile};
use graph_codegen::output;

/// What one round measured.
#[derive(Default)]
struct Round {
    /// Wall-clock time of each measurement.
    times: BTreeMap<&'static str, Duration>,
    /// CPU time of each: the measuring thread's for one-thread stages, the child's (all
    /// threads) for `regenerate`. The machine is shared, so wall clock alone misleads.
    cpu: BTreeMap<&'static str, Duration>,
    peak_kib: u64,
    touched: usize,
}

pub struct Options<'a> {
    pub dir: &'a Path,
    pub rounds: usize,
    pub out: &'a Path,
    /// Also measure the compile cost of the emitted crates, with this application's workloads
    /// (comma-separated) for the client rebuild.
    pub compile: Option<&'a str>,
}

pub fn run(options: &Options) -> ExitCode {
    // `cargo xtask` runs from the workspace root, where the alias is defined: the folder
    // must not depend on where the benchmark was started.
    let dir = &match options.dir.canonicalize() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("error: {}: {error}", options.dir.display());
            return ExitCode::FAILURE;
        }
    };
    let files = match graph_codegen::read_specs(dir) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {}: {error}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let paths: Vec<PathBuf> = files.iter().map(|file| dir.join(&file.path)).collect();
    let input_bytes: usize = files.iter().map(|file| file.bytes.len()).sum();
    drop(files);
    let emit_options = EmitOptions {
        runtime_path: crate::runtime_path_from(options.out),
        standalone: true,
    };
    // The first `cargo xtask` of a checkout (or after a change) compiles the generator: done
    // here, in the open, so that no timed run includes it.
    eprintln!("building `cargo xtask` as users run it (untimed)");
    // Cargo's progress on stderr shows; the help text itself is not the benchmark's output.
    match cargo_xtask(&["help"])
        .stdout(std::process::Stdio::null())
        .status()
    {
        Ok(status) if status.success() => {}
        other => {
            eprintln!("error: `cargo xtask help` failed: {other:?}");
            return ExitCode::FAILURE;
        }
    }
    let one_thread = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("error: a one-thread pool: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "{}: {} pages, {:.1} MB; {} rounds (plus one warm-up)",
        dir.display(),
        paths.len(),
        input_bytes as f64 / 1e6,
        options.rounds.max(1)
    );
    let mut rounds = Vec::new();
    let mut emitted = (0usize, 0usize, 0usize);
    for round in 0..=options.rounds.max(1) {
        let measured = one_thread.install(|| staged_round(dir, &paths, &emit_options, options.out));
        let (mut measured, files) = match measured {
            Ok(measured) => measured,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        emitted = (
            files.len(),
            files.iter().map(|file| file.contents.len()).sum(),
            files.iter().map(|file| file.contents.lines().count()).sum(),
        );
        drop(files);
        if let Err(error) = user_runs(dir, options.out, &mut measured) {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
        // Round 0 warms the page cache, the allocator and the binary.
        if round > 0 {
            eprintln!(
                "round {round}: parse {:.3}s, regenerate {:.3}s, no change {:.3}s",
                measured.times["parse"].as_secs_f64(),
                measured.times["regenerate"].as_secs_f64(),
                measured.times["no change"].as_secs_f64()
            );
            rounds.push(measured);
        }
    }
    let verdicts = print_table(
        dir,
        paths.len(),
        input_bytes,
        emitted,
        &rounds,
        rayon::current_num_threads(),
    );
    let Some(application) = options.compile else {
        print_targets(&verdicts, &[]);
        return ExitCode::SUCCESS;
    };
    println!();
    let steps = match crate::compile_cost::run(dir, &options.out.join("compile"), application) {
        Ok(steps) => steps,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    print_targets(&verdicts, &steps);
    if steps.iter().any(|step| step.warnings > 0) {
        eprintln!("error: the generated code has warnings");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `cargo xtask ARGS` from the workspace root: the command users type.
fn cargo_xtask(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(crate::workspace_root())
        .arg("xtask")
        .args(args);
    command
}

/// Every target of the run in one table: the generator's (from [`print_table`]) and the
/// compile steps'.
fn print_targets(generator: &[(String, String, bool)], steps: &[crate::compile_cost::Step]) {
    println!();
    println!("| target | measured | |");
    println!("|---|---|---|");
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    for (target, measured, met) in generator {
        println!("| {target} | {measured} | {} |", verdict(*met));
    }
    for step in steps {
        let Some(met) = step.met() else { continue };
        let (seconds, gib) = step.target;
        let mut target = step.name.clone();
        if let Some(seconds) = seconds {
            target.push_str(&format!(" ≤ {seconds} s"));
        }
        if let Some(gib) = gib {
            target.push_str(&format!(", ≤ {gib} GiB"));
        }
        println!(
            "| {target} | {:.1} s, {:.2} GiB | {} |",
            step.cost.wall.as_secs_f64(),
            step.cost.peak_kib as f64 / (1024.0 * 1024.0),
            verdict(met)
        );
    }
}

/// One round of the single-threaded measurements. Returns the emitted files too.
fn staged_round(
    dir: &Path,
    paths: &[PathBuf],
    emit_options: &EmitOptions,
    out: &Path,
) -> Result<(Round, Vec<GeneratedFile>), String> {
    let mut round = Round::default();
    let mut time = |name: &'static str, started: Start| {
        *round.times.entry(name).or_default() += started.wall.elapsed();
        *round.cpu.entry(name).or_default() += thread_cpu().saturating_sub(started.cpu);
    };

    // Read floor: the bytes of every page, nothing else.
    let started = Start::now();
    let mut read_bytes = 0usize;
    for path in paths {
        read_bytes += std::hint::black_box(std::fs::read(path))
            .map_err(|error| format!("{}: {error}", path.display()))?
            .len();
    }
    std::hint::black_box(read_bytes);
    time("read floor", started);

    // Our read (the same files, as `SpecFile`s).
    let started = Start::now();
    let files = graph_codegen::read_specs(dir).map_err(|error| error.to_string())?;
    time("read", started);

    // Parse floor: pulldown-cmark's events over the same bytes, same options.
    let started = Start::now();
    std::hint::black_box(parse_floor(&files));
    time("parse floor", started);

    let started = Start::now();
    let results = graph_codegen::parse_files(&files);
    time("parse", started);
    drop(files);

    let started = Start::now();
    let (by_version, includes, _) =
        graph_codegen::split_versions(dir, results).map_err(|error| error.to_string())?;
    let (apis, _) = graph_codegen::resolve_versions(by_version, &includes);
    time("resolve", started);

    // Emit and format file by file, timing each step: all tokens at once would cost
    // memory the real run never spends.
    let mut generated = Vec::new();
    for job in emit::jobs(&apis, emit_options) {
        let started = Start::now();
        let path = emit::job_path(&apis, &job);
        let tokens = emit::tokens(&apis, emit_options, &job);
        let kind = match job {
            emit::FileJob::Area(..) => "emit tokens: types",
            _ => "emit tokens: client, requests",
        };
        time(kind, started);
        time("emit tokens", started);
        let started = Start::now();
        generated.push(emit::format(path, tokens, || None));
        time("format", started);
    }

    // Format floor: parse and print the Rust we wrote, nothing else.
    let started = Start::now();
    for file in generated.iter().filter(|file| file.path.ends_with(".rs")) {
        let parsed =
            syn::parse_file(&file.contents).map_err(|error| format!("{}: {error}", file.path))?;
        std::hint::black_box(prettyplease::unparse(&parsed));
    }
    time("format floor", started);

    // Write: every file, into an empty folder.
    let target = out.join("staged");
    let _ = std::fs::remove_dir_all(&target);
    let started = Start::now();
    let changes = output::plan(&target, &generated).map_err(|error| error.to_string())?;
    output::apply(&target, &generated, &changes).map_err(|error| error.to_string())?;
    time("write", started);
    Ok((round, generated))
}

/// `xtask regenerate` as a user runs it, on every core: into an empty folder, then again
/// with nothing changed. Records wall times, the first run's peak memory and how many files
/// the second run touched.
fn user_runs(dir: &Path, out: &Path, round: &mut Round) -> Result<(), String> {
    // What cargo itself costs before the generator starts: `cargo xtask help`.
    let children_before = children_cpu();
    let started = Instant::now();
    let help = cargo_xtask(&["help"])
        .output()
        .map_err(|error| error.to_string())?;
    if !help.status.success() {
        return Err(format!(
            "`cargo xtask help` failed:\n{}",
            String::from_utf8_lossy(&help.stderr)
        ));
    }
    round.times.insert("cargo start-up", started.elapsed());
    round.cpu.insert(
        "cargo start-up",
        children_cpu().saturating_sub(children_before),
    );
    let target = out.join("regenerate");
    let _ = std::fs::remove_dir_all(&target);
    let (seconds, cpu, peak_kib) = regenerate(dir, &target)?;
    round.times.insert("regenerate", seconds);
    round.cpu.insert("regenerate", cpu);
    round.peak_kib = peak_kib;
    let before = mtimes(&target)?;
    let (seconds, cpu, _) = regenerate(dir, &target)?;
    round.times.insert("no change", seconds);
    round.cpu.insert("no change", cpu);
    let after = mtimes(&target)?;
    round.touched = after
        .iter()
        .filter(|(path, modified)| before.get(*path) != Some(modified))
        .count()
        + before
            .keys()
            .filter(|path| !after.contains_key(*path))
            .count();
    Ok(())
}

fn regenerate(dir: &Path, out: &Path) -> Result<(Duration, Duration, u64), String> {
    let children_before = children_cpu();
    let started = Instant::now();
    let output = cargo_xtask(&["regenerate", "--specs"])
        .arg(dir)
        .arg("--out")
        .arg(out)
        .output()
        .map_err(|error| error.to_string())?;
    let elapsed = started.elapsed();
    let cpu = children_cpu().saturating_sub(children_before);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("regenerate failed:\n{stderr}"));
    }
    let peak_kib = stderr
        .lines()
        .filter_map(|line| line.split_once("peak memory ")?.1.split_once(" KiB"))
        .find_map(|(kib, _)| kib.trim().parse().ok())
        .ok_or_else(|| format!("regenerate reported no peak memory:\n{stderr}"))?;
    Ok((elapsed, cpu, peak_kib))
}

/// When a measurement started, by the wall clock and by the thread's CPU clock.
#[derive(Clone, Copy)]
struct Start {
    wall: Instant,
    cpu: Duration,
}

impl Start {
    fn now() -> Self {
        Start {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }
}

/// User + system CPU time of the waited-for children so far (Linux: `/proc/self/stat`,
/// fields `cutime` and `cstime`, in clock ticks of 10 ms).
fn children_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = &stat[stat.rfind(')')? + 2..];
            let fields: Vec<&str> = rest.split_whitespace().collect();
            // `state` is field 3 of the full line, so field n is fields[n - 3].
            let cutime: u64 = fields.get(16 - 3)?.parse().ok()?;
            let cstime: u64 = fields.get(17 - 3)?.parse().ok()?;
            Some(cutime + cstime)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn mtimes(dir: &Path) -> Result<BTreeMap<PathBuf, SystemTime>, String> {
    fn walk(dir: &Path, found: &mut BTreeMap<PathBuf, SystemTime>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), found)?;
            } else {
                found.insert(entry.path(), entry.metadata()?.modified()?);
            }
        }
        Ok(())
    }
    let mut found = BTreeMap::new();
    walk(dir, &mut found).map_err(|error| format!("{}: {error}", dir.display()))?;
    Ok(found)
}

fn median(rounds: &[Round], name: &str) -> f64 {
    median_of(rounds, name, |round| &round.times)
}

fn median_cpu(rounds: &[Round], name: &str) -> f64 {
    median_of(rounds, name, |round| &round.cpu)
}

fn median_of(
    rounds: &[Round],
    name: &str,
    pick: impl Fn(&Round) -> &BTreeMap<&'static str, Duration>,
) -> f64 {
    let mut times: Vec<f64> = rounds
        .iter()
        .map(|round| pick(round).get(name).map_or(0.0, Duration::as_secs_f64))
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn print_table(
    dir: &Path,
    pages: usize,
    input_bytes: usize,
    (files, output_bytes, lines): (usize, usize, usize),
    rounds: &[Round],
    threads: usize,
) -> Vec<(String, String, bool)> {
    let m = |name| median(rounds, name);
    let c = |name| median_cpu(rounds, name);
    println!(
        "{}: {pages} pages, {:.1} MB in; {files} files, {lines} lines, {:.1} MB out",
        dir.display(),
        input_bytes as f64 / 1e6,
        output_bytes as f64 / 1e6
    );
    println!(
        "medians of {} rounds; {threads} cores; wall clock and CPU time (the machine may be shared)",
        rounds.len(),
    );
    println!();
    println!(
        "| one thread | wall (s) | CPU (s) | share of our stages (CPU) | × its floor (wall / CPU) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let stages = ["read", "parse", "resolve", "emit tokens", "format", "write"];
    let total: f64 = stages.iter().map(|stage| m(stage)).sum();
    let total_cpu: f64 = stages.iter().map(|stage| c(stage)).sum();
    for floor in ["read floor", "parse floor", "format floor"] {
        println!("| {floor} | {:.3} | {:.3} | | |", m(floor), c(floor));
    }
    for stage in stages {
        let floor = match stage {
            "read" => Some("read floor"),
            "parse" => Some("parse floor"),
            "format" => Some("format floor"),
            _ => None,
        };
        let against = floor.map_or(String::new(), |floor| {
            format!("{:.2} / {:.2}", m(stage) / m(floor), c(stage) / c(floor))
        });
        println!(
            "| {stage} | {:.3} | {:.3} | {:.1}% | {against} |",
            m(stage),
            c(stage),
            100.0 * c(stage) / total_cpu
        );
        if stage == "emit tokens" {
            for part in ["emit tokens: types", "emit tokens: client, requests"] {
                println!(
                    "| ↳ {} | {:.3} | {:.3} | {:.1}% | |",
                    part.trim_start_matches("emit tokens: "),
                    m(part),
                    c(part),
                    100.0 * c(part) / total_cpu
                );
            }
        }
    }
    println!("| all stages | {total:.3} | {total_cpu:.3} | 100% | |");
    println!();
    let mut peaks: Vec<u64> = rounds.iter().map(|round| round.peak_kib).collect();
    peaks.sort();
    let peak_mib = peaks[peaks.len() / 2] as f64 / 1024.0;
    let touched = rounds.iter().map(|round| round.touched).max().unwrap_or(0);
    println!(
        "| `cargo xtask regenerate` as users run it (all cores) | wall (s) | CPU, all threads (s) |"
    );
    println!("|---|---:|---:|");
    println!(
        "| cargo's start-up alone (`cargo xtask help`) | {:.3} | {:.2} |",
        m("cargo start-up"),
        c("cargo start-up")
    );
    println!(
        "| into an empty folder | {:.3} | {:.2} |",
        m("regenerate"),
        c("regenerate")
    );
    println!(
        "| nothing changed ({touched} files touched) | {:.3} | {:.2} |",
        m("no change"),
        c("no change")
    );
    println!("| peak memory (empty folder) | {peak_mib:.0} MiB | |");
    println!();
    let parse_ratio = m("parse") / m("parse floor");
    let parse_ratio_cpu = c("parse") / c("parse floor");
    let budget = m("parse floor") + m("format floor");
    let budget_cpu = c("parse floor") + c("format floor");
    let no_change_ratio = m("no change") / m("parse floor");
    let no_change_ratio_cpu = c("no change") / c("parse floor");
    let verdicts = vec![
        (
            "parse ≤ 1.5× parse floor".to_string(),
            format!("{parse_ratio:.2}× (CPU {parse_ratio_cpu:.2}×)"),
            parse_ratio <= 1.5,
        ),
        (
            "`cargo xtask regenerate` ≤ parse floor + format floor".to_string(),
            format!(
                "{:.3}s of {budget:.3}s ({:.2}×); CPU {:.2}s of {budget_cpu:.2}s on one core ({:.2}×)",
                m("regenerate"),
                m("regenerate") / budget,
                c("regenerate"),
                c("regenerate") / budget_cpu,
            ),
            m("regenerate") <= budget,
        ),
        (
            "no-change `cargo xtask regenerate` ≤ 2× parse floor, cargo's start-up included, no file touched"
                .to_string(),
            format!(
                "{no_change_ratio:.2}× (CPU {no_change_ratio_cpu:.2}×), {touched} touched"
            ),
            no_change_ratio <= 2.0 && touched == 0,
        ),
        (
            "peak memory ≤ 1 GiB".to_string(),
            format!("{peak_mib:.0} MiB"),
            peak_mib <= 1024.0,
        ),
    ];
    verdicts
}
