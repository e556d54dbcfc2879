//! `cargo xtask bench DIR --compile`, second half: what the emitted crates cost to compile,
//! measured the way an application pays it, with graph-rs-sdk beside them in the same run.
//!
//! For each version under `DIR` the crate is generated once (standalone, the workspace's lock
//! file). Its dependencies are built first, untimed, with no workload enabled: workload
//! features enable nothing in the dependencies (the sign-in feature is built both ways), so
//! what is timed afterwards is the generated crate alone, rebuilt from scratch each time
//! (`cargo clean -p graph-client` before each).
//! Every timed command runs as a child whose accounting includes the rustc processes cargo
//! waited for: wall clock, CPU time and the largest resident set of any of them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use graph_codegen::emit::EmitOptions;
use graph_codegen::output;

/// graph-rs-sdk's release measured beside ours: untyped, generated from Microsoft's OpenAPI
/// description. Its code is fetched by cargo into the scratch crate, never into this
/// repository.
const GRAPH_RS_SDK: &str = "3.0.1";
/// Its endpoint count, as BENCHMARKS.md records it (issue 7), for the per-1,000 figure.
const GRAPH_RS_SDK_ENDPOINTS: usize = 4_570;

/// One command's cost.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cost {
    pub wall: Duration,
    pub user: Duration,
    pub system: Duration,
    /// The largest resident set of the command or any process it waited for, in KiB.
    pub peak_kib: u64,
}

impl Cost {
    fn peak_gib(&self) -> f64 {
        self.peak_kib as f64 / (1024.0 * 1024.0)
    }
}

/// A timed step, and the target it is held to, if any.
pub struct Step {
    pub name: String,
    pub cost: Cost,
    pub warnings: usize,
    /// (wall seconds, GiB) the step must not exceed; `None` for a figure without a target.
    pub target: (Option<f64>, Option<f64>),
}

impl Step {
    pub fn met(&self) -> Option<bool> {
        let (seconds, gib) = self.target;
        if seconds.is_none() && gib.is_none() {
            return None;
        }
        Some(
            seconds.is_none_or(|limit| self.cost.wall.as_secs_f64() <= limit)
                && gib.is_none_or(|limit| self.cost.peak_gib() <= limit),
        )
    }
}

/// Runs `command` to the end, its output into `log`, and returns what it cost. Fails with the
/// log's tail when it fails.
pub fn measure(command: &mut Command, log: &Path) -> Result<Cost, String> {
    let file = std::fs::File::create(log).map_err(|error| format!("{}: {error}", log.display()))?;
    let errors = file
        .try_clone()
        .map_err(|error| format!("{}: {error}", log.display()))?;
    let started = Instant::now();
    let child = command
        .stdout(Stdio::from(file))
        .stderr(Stdio::from(errors))
        .spawn()
        .map_err(|error| format!("{command:?}: {error}"))?;
    let (success, mut cost) = wait(child)?;
    cost.wall = started.elapsed();
    if !success {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("{command:?} failed:\n{}", tail.join("\n")));
    }
    Ok(cost)
}

/// Waits for `child` with `wait4`, whose accounting covers every descendant the child waited
/// for: rustc under cargo.
#[cfg(target_os = "linux")]
fn wait(child: std::process::Child) -> Result<(bool, Cost), String> {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; the pid is our own child's, which
    // nothing else waits for (the `Child` is dropped without waiting).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    drop(child);
    if waited != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let time = |value: libc::timeval| {
        Duration::from_secs(value.tv_sec as u64) + Duration::from_micros(value.tv_usec as u64)
    };
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((
        success,
        Cost {
            wall: Duration::ZERO,
            user: time(usage.ru_utime),
            system: time(usage.ru_stime),
            peak_kib: usage.ru_maxrss as u64,
        },
    ))
}

/// Elsewhere: wall clock only.
#[cfg(not(target_os = "linux"))]
fn wait(mut child: std::process::Child) -> Result<(bool, Cost), String> {
    let status = child.wait().map_err(|error| error.to_string())?;
    Ok((status.success(), Cost::default()))
}

/// The versions to measure: `DIR/v1.0` and `DIR/beta` when they exist, else `DIR` itself
/// when it is one version's folder.
fn versions(dir: &Path) -> Vec<(String, PathBuf)> {
    let found: Vec<(String, PathBuf)> = graph_codegen::VERSIONS
        .iter()
        .rev()
        .map(|version| (version.to_string(), dir.join(version)))
        .filter(|(_, path)| path.is_dir())
        .collect();
    if !found.is_empty() {
        return found;
    }
    match graph_codegen::page_version(dir, "") {
        Ok(version) => vec![(version, dir.to_path_buf())],
        Err(_) => Vec::new(),
    }
}

/// Generates one version's crate into `out`, pinned to the workspace's lock file. Returns a
/// line describing it and its endpoint count.
fn generate(specs: &Path, out: &Path) -> Result<(String, usize), String> {
    let options = EmitOptions {
        runtime_path: crate::runtime_path_from(out),
        standalone: true,
    };
    let started = Instant::now();
    let generation = graph_codegen::generate(specs, &options).map_err(|error| error.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    output::plan(out, &generation.files)
        .and_then(|changes| output::apply(out, &generation.files, &changes))
        .map_err(|error| format!("{}: {error}", out.display()))?;
    crate::lockfile::pin(out)?;
    let api = &generation.apis[0];
    let lines: usize = generation
        .files
        .iter()
        .map(|file| file.contents.lines().count())
        .sum();
    Ok((
        format!(
            "{}: generated in {seconds:.2}s: {} endpoints, {} structs, {} enums, {} polymorphic enums, {} workloads, {lines} lines",
            api.version,
            api.operations.len(),
            api.models.len(),
            api.enums.len(),
            api.polymorphic.len(),
            api.workloads().len(),
        ),
        api.operations.len(),
    ))
}

/// A cargo command on the crate at `manifest`, building into `target`; a build's messages
/// short, so that warnings are one line each.
fn cargo(manifest: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.args(args).arg("--locked");
    if matches!(args.first(), Some(&"check" | &"build")) {
        command.args(["--message-format", "short"]);
    }
    command
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        // The generated code must be warning-free: count warnings, never hide them.
        .env_remove("RUSTFLAGS");
    command
}

fn warnings(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains(": warning:"))
        .count()
}

/// What one crate's timed steps are: name, cargo arguments, targets (seconds, GiB).
type Plan<'a> = Vec<(String, Vec<&'a str>, (Option<f64>, Option<f64>))>;

/// Measures every step of the issue-20 targets that the versions under `dir` allow, into
/// `out`, and prints them as they finish. `application` is the workload list of the
/// application whose client rebuild is timed.
pub fn run(dir: &Path, out: &Path, application: &str) -> Result<Vec<Step>, String> {
    let target = out.join("target");
    let logs = out.join("logs");
    std::fs::create_dir_all(&logs).map_err(|error| format!("{}: {error}", logs.display()))?;
    let mut steps = Vec::new();
    let versions = versions(dir);
    if versions.is_empty() {
        return Err(format!("{}: no beta/ or v1.0/ folder", dir.display()));
    }
    let mut endpoint_counts = Vec::new();
    let mut crate_seconds_per_1000 = Vec::new();
    for (version, specs) in &versions {
        let crate_dir = out.join(format!("crate-{version}"));
        let (summary, endpoints) = generate(specs, &crate_dir)?;
        println!("{summary}");
        let manifest = crate_dir.join("Cargo.toml");
        let v1 = version == "v1.0";
        endpoint_counts.push(format!("{version} {endpoints}"));
        // Dependencies, untimed: with no workload the crate itself is nearly empty. With and
        // without the sign-in feature (`--all-features` turns it on, an application's build
        // leaves it off), so that no timed step builds a dependency.
        eprintln!("{version}: building the dependencies (untimed)");
        for profile in [&["check"][..], &["build"], &["build", "--release"]] {
            if !v1 && profile != ["check"] {
                continue;
            }
            for features in [&[][..], &["--features", "azure-identity"]] {
                let mut args = profile.to_vec();
                args.push("--no-default-features");
                args.extend(features);
                let log = logs.join(format!("{version}-deps-{}.log", args.join("-")));
                measure(&mut cargo(&manifest, &target, &args), &log)?;
            }
        }
        let mut plan: Plan = vec![(
            format!("{version} `cargo check --all-features`"),
            vec!["check", "--all-features"],
            if v1 {
                (Some(12.0), Some(1.0))
            } else {
                (Some(40.0), Some(2.5))
            },
        )];
        if v1 {
            plan.push((
                "v1.0 `cargo build --all-features` (debug)".to_string(),
                vec!["build", "--all-features"],
                (Some(25.0), None),
            ));
            plan.push((
                "v1.0 `cargo build --release --all-features`".to_string(),
                vec!["build", "--release", "--all-features"],
                (Some(45.0), None),
            ));
            plan.push((
                format!("v1.0 application ({application}): client rebuild (debug)"),
                vec!["build", "--no-default-features", "--features", application],
                (Some(6.0), None),
            ));
        }
        for (name, args, limits) in plan {
            let release = args.contains(&"--release");
            let mut clean = vec!["clean", "--package", "graph-client"];
            if release {
                clean.push("--release");
            }
            let clean_log = logs.join(format!("{version}-clean.log"));
            measure(&mut cargo(&manifest, &target, &clean), &clean_log)?;
            let log = logs.join(format!(
                "{version}-{}.log",
                args.join("-").replace([',', ' '], "_")
            ));
            eprintln!("timing {name}");
            let cost = measure(&mut cargo(&manifest, &target, &args), &log)?;
            let step = Step {
                name,
                cost,
                warnings: warnings(&log),
                target: limits,
            };
            print_step(&step);
            if args == ["check", "--all-features"] {
                crate_seconds_per_1000.push((
                    version.clone(),
                    cost.wall.as_secs_f64() * 1000.0 / endpoints.max(1) as f64,
                ));
            }
            steps.push(step);
        }
    }
    match graph_rs_sdk(out, &target, &logs) {
        Ok(cost) => {
            let step = Step {
                name: format!("graph-rs-sdk {GRAPH_RS_SDK} `cargo check` (untyped)"),
                cost,
                warnings: 0,
                target: (None, None),
            };
            print_step(&step);
            crate_seconds_per_1000.push((
                "graph-rs-sdk".to_string(),
                cost.wall.as_secs_f64() * 1000.0 / GRAPH_RS_SDK_ENDPOINTS as f64,
            ));
            steps.push(step);
        }
        Err(error) => println!("graph-rs-sdk {GRAPH_RS_SDK}: not measured: {error}"),
    }
    let per_1000: Vec<String> = crate_seconds_per_1000
        .iter()
        .map(|(name, seconds)| format!("{name} {seconds:.1} s"))
        .collect();
    println!(
        "`cargo check --all-features` per 1,000 endpoints: {} (endpoints: {}, graph-rs-sdk {GRAPH_RS_SDK_ENDPOINTS})",
        per_1000.join(", "),
        endpoint_counts.join(", "),
    );
    Ok(steps)
}

fn print_step(step: &Step) {
    println!(
        "{}: {:.1} s wall, {:.1} s user, {:.1} s system, peak {:.2} GiB, {} warnings",
        step.name,
        step.cost.wall.as_secs_f64(),
        step.cost.user.as_secs_f64(),
        step.cost.system.as_secs_f64(),
        step.cost.peak_gib(),
        step.warnings
    );
}

/// `cargo check` of graph-rs-sdk alone, in a scratch crate that depends on it (fetched from
/// crates.io by cargo; nothing of it enters this repository).
fn graph_rs_sdk(out: &Path, target: &Path, logs: &Path) -> Result<Cost, String> {
    let scratch = out.join("graph-rs-sdk");
    std::fs::create_dir_all(scratch.join("src")).map_err(|error| error.to_string())?;
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"graph-rs-sdk-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ngraph-rs-sdk = \"={GRAPH_RS_SDK}\"\n\n[workspace]\n"
        ),
    )
    .map_err(|error| error.to_string())?;
    std::fs::write(scratch.join("src/lib.rs"), "").map_err(|error| error.to_string())?;
    let manifest = scratch.join("Cargo.toml");
    let with = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(args)
            .args(["--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS");
        command
    };
    eprintln!("graph-rs-sdk {GRAPH_RS_SDK}: fetching and building its dependencies (untimed)");
    measure(&mut with(&["check"]), &logs.join("graph-rs-sdk-deps.log"))?;
    measure(
        &mut with(&["clean", "--package", "graph-rs-sdk"]),
        &logs.join("graph-rs-sdk-clean.log"),
    )?;
    eprintln!("timing graph-rs-sdk {GRAPH_RS_SDK} `cargo check`");
    measure(
        &mut with(&["check", "--package", "graph-rs-sdk"]),
        &logs.join("graph-rs-sdk-check.log"),
    )
}
