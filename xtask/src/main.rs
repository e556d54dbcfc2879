//! Project tasks: `cargo xtask regenerate`, `corpus`, `examples`, `lint`, `specs`, `bench`,
//! `newest-deps`. A thin CLI over the `graph-codegen` library: no logic here that a library
//! test cannot reach.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The generator allocates heavily (token streams, syntax trees, strings); glibc's malloc
/// took about a third of its time under `perf`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With transparent huge pages on `always` (a common default), every fresh 2 MiB of the
/// allocator's memory is a huge page the kernel must find, compact and zero: on the 2-core
/// machine that was 3.8-4.3 s of system time in a whole-corpus regeneration whose user time is
/// 2.5 s (0.6 s without). Set first thing; inherited by the processes we start.
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

mod bench;
mod compile_cost;
mod examples;
mod lint;
mod lockfile;
mod measure;
mod newest;
mod specs;
use graph_codegen::diagnostics::{Diagnostic, Severity};
use graph_codegen::emit::EmitOptions;
use graph_codegen::output::{self, ChangeKind};

#[derive(Parser)]
#[command(about = "Tasks of the docs-driven Microsoft Graph client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Rewrite the generated crate from the spec pages.
    Regenerate {
        /// The doc pages, laid out as `<version>/<api|resources>/<page>.md`, or one version's
        /// folder.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Where to write the crate. Anywhere but `generated/` gets a standalone crate.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Write nothing; fail and name every stale or missing file if the output differs.
        #[arg(long)]
        check: bool,
        /// Out of the tree: give the crate the workspace's `Cargo.lock`, replacing its own,
        /// pruned to what it uses, so that `cargo build --locked` builds it with the versions
        /// this repository is tested with; fail if it needs a version that lock lacks. Without
        /// it, a new crate gets a copy of that lock and an existing one keeps its own.
        #[arg(long)]
        locked: bool,
    },
    /// Parse a whole docs tree in parallel and report what the parser made of it.
    Corpus {
        /// The docs tree, e.g. `../shared/graph-docs-2021`.
        dir: PathBuf,
        /// Print one JSON object instead of the text summary.
        #[arg(long)]
        json: bool,
        /// Exit non-zero unless the figures meet the thresholds the real Graph docs must meet.
        #[arg(long)]
        thresholds: bool,
    },
    /// Check a version's examples: request lines against templates, request and response
    /// bodies round-tripped through their generated types; failures classified.
    Examples {
        /// One version's docs, e.g. `../shared/graph-docs-2021/v1.0`.
        dir: PathBuf,
        /// Where to generate the crate the examples are checked against.
        #[arg(long, default_value = "target/examples-check")]
        out: PathBuf,
        /// Fail unless at least this share of the examples with a valid JSON response pass as
        /// calls.
        #[arg(long, default_value_t = 0.9)]
        min: f64,
        /// Print every doc error (default: the first 30; generator bugs are always printed).
        #[arg(long)]
        all: bool,
        /// Fail when any failure is classified as a generator bug.
        #[arg(long)]
        deny_generator_bugs: bool,
        /// Fail when more than this many failures are generator bugs: a ratchet while known
        /// ones are being fixed (`--deny-generator-bugs` is `0`).
        #[arg(long, conflicts_with = "deny_generator_bugs")]
        max_generator_bugs: Option<usize>,
    },
    /// Lint a docs tree: example JSON against the types, links, request lines, duplicate
    /// operations and body tables. Prints diagnostics like rustc's and a summary by code.
    Lint {
        /// The docs tree, e.g. `specs` or `../shared/graph-docs-2021`.
        dir: PathBuf,
        /// Print one JSON object instead of rendered diagnostics.
        #[arg(long)]
        json: bool,
        /// Exit non-zero when there is a finding of this severity or worse.
        #[arg(long, value_enum)]
        deny: Option<lint::Deny>,
        /// Print only the summary.
        #[arg(long)]
        quiet: bool,
    },
    /// Curate the spec pages from a docs checkout: `add` (with every page their types need),
    /// `list`, `remove`.
    Specs {
        #[command(subcommand)]
        command: specs::SpecsCommand,
    },
    /// Build a scratch copy of the workspace against the newest semver-compatible versions of
    /// its dependencies (`cargo update`), warnings denied; on failure, name what changed.
    /// Everything else builds with `Cargo.lock`.
    NewestDeps {
        /// Scratch folder for the copy.
        #[arg(long, default_value = "target/newest-deps")]
        scratch: PathBuf,
    },
    /// Benchmark the generator against its floors on a docs tree, `cargo xtask regenerate` as
    /// users run it, and with `--compile` the compile cost of what it emits (graph-rs-sdk
    /// beside it): every target of issue 20 in one run.
    Bench {
        /// The docs tree: `../shared/graph-docs-2021`, or one version of it.
        dir: PathBuf,
        /// Timed rounds after one warm-up; medians are reported.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Scratch folder for the files the benchmark writes.
        #[arg(long, default_value = "target/bench")]
        out: PathBuf,
        /// Also generate each version's crate and time `cargo check`, `build` and
        /// `build --release` of it, an application's client rebuild, and graph-rs-sdk's check.
        #[arg(long)]
        compile: bool,
        /// The workloads of the application whose client rebuild `--compile` times.
        #[arg(long, default_value = "users,groups,mail,files")]
        application: String,
    },
}

pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Relative paths are taken from the workspace root, so the task works from any directory.
fn from_root(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        workspace_root().join(path)
    }
}

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    match Cli::parse().command {
        Command::Regenerate {
            specs,
            out,
            check,
            locked,
        } => regenerate(&from_root(&specs), &from_root(&out), check, locked),
        Command::Corpus {
            dir,
            json,
            thresholds,
        } => corpus(&dir, json, thresholds),
        Command::Specs { command } => specs::run(command),
        Command::Lint {
            dir,
            json,
            deny,
            quiet,
        } => lint::run(&from_root(&dir), json, deny, quiet),
        Command::Examples {
            dir,
            out,
            min,
            all,
            deny_generator_bugs,
            max_generator_bugs,
        } => {
            let allowed_bugs = if deny_generator_bugs {
                Some(0)
            } else {
                max_generator_bugs
            };
            examples::run(&dir, &from_root(&out), min, all, allowed_bugs)
        }
        Command::NewestDeps { scratch } => newest::run(&from_root(&scratch)),
        Command::Bench {
            dir,
            rounds,
            out,
            compile,
            application,
        } => bench::run(&bench::Options {
            dir: &dir,
            rounds,
            out: &from_root(&out),
            compile: compile.then_some(application.as_str()),
        }),
    }
}

fn regenerate(specs: &Path, out: &Path, check: bool, locked: bool) -> ExitCode {
    let started = std::time::Instant::now();
    let root = workspace_root();
    let in_tree = out.canonicalize().ok() == root.join("generated").canonicalize().ok();
    let options = if in_tree {
        EmitOptions {
            runtime_path: "../runtime".to_string(),
            standalone: false,
        }
    } else {
        EmitOptions {
            runtime_path: runtime_path_from(out),
            standalone: true,
        }
    };
    let files = match graph_codegen::read_specs(specs) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {}: {error}", specs.display());
            return ExitCode::FAILURE;
        }
    };
    // A run whose pages, options and generator are those of the last run into `out`, and
    // whose output is still as that run left it, has nothing to do. `--check` always runs
    // in full: it is the guard against a stale stamp.
    let stamp_path = stamp_path(out);
    let key = generator_identity()
        .map(|generator| output::input_key(specs, &files, &options, &generator));
    if !check
        && let Some(key) = &key
        && let Some(stamp) = output::Stamp::read(&stamp_path)
        && stamp.key == *key
        && stamp.matches(out).unwrap_or(false)
    {
        if !in_tree && !lock_file(out, locked) {
            return ExitCode::FAILURE;
        }
        eprintln!(
            "{} is up to date: the pages and the generator are those of the last run ({} files, none touched; its {}) in {:.2}s{}",
            out.display(),
            stamp.files.len(),
            stamp.summary,
            started.elapsed().as_secs_f64(),
            peak_memory()
        );
        return ExitCode::SUCCESS;
    }
    let generation = match graph_codegen::generate_from(specs, files, &options) {
        Ok(generation) => generation,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    report(specs, &generation.diagnostics);
    for api in &generation.apis {
        let actions = api
            .operations
            .iter()
            .filter(|operation| operation.action)
            .count();
        eprintln!(
            "{}: {} endpoints ({} of them actions or functions), {} types, {} enums, {} examples",
            api.version,
            api.operations.len(),
            actions,
            api.models.len(),
            api.enums.len(),
            api.examples.len()
        );
    }
    if generation.has_errors() {
        let _ = std::fs::remove_file(&stamp_path);
        eprintln!(
            "error: some pages could not be read; {} left unchanged",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let changes = match output::plan(out, &generation.files) {
        Ok(changes) => changes,
        Err(error) => {
            eprintln!("error: {}: {error}", out.display());
            return ExitCode::FAILURE;
        }
    };
    if check {
        if changes.is_empty() {
            eprintln!(
                "{} is up to date ({} files)",
                out.display(),
                generation.files.len()
            );
            return ExitCode::SUCCESS;
        }
        for change in &changes {
            let what = match change.kind {
                ChangeKind::Create => "missing",
                ChangeKind::Update => "stale",
                ChangeKind::Delete => "no longer generated",
            };
            eprintln!("{what}: {}", out.join(&change.path).display());
        }
        eprintln!(
            "error: {} is out of date; run `cargo xtask regenerate`",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let _ = std::fs::remove_file(&stamp_path);
    if let Err(error) = output::apply(out, &generation.files, &changes) {
        eprintln!("error: writing {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    if !in_tree && !lock_file(out, locked) {
        return ExitCode::FAILURE;
    }
    if let Some(key) = key {
        let stamp = output::Stamp::new(
            key,
            diagnostics_summary(&generation.diagnostics),
            &generation.files,
        );
        if let Err(error) = stamp.write(&stamp_path) {
            // Only the next run's shortcut is lost.
            eprintln!("warning: {}: {error}", stamp_path.display());
        }
    }
    eprintln!(
        "wrote {} ({} files, {} changed) in {:.2}s{}",
        out.display(),
        generation.files.len(),
        changes.len(),
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    ExitCode::SUCCESS
}

/// How a crate generated into `out` reaches `runtime/`: a relative path when `out` is inside
/// this checkout (the checkout can move, or be cloned elsewhere, and the crate still builds),
/// else the absolute path. The manifest says how to point it elsewhere.
pub(crate) fn runtime_path_from(out: &Path) -> String {
    let root = workspace_root();
    let root = root.canonicalize().unwrap_or(root);
    let runtime = root.join("runtime");
    match absolute_path(out).strip_prefix(&root) {
        Ok(inside) => {
            let mut relative = PathBuf::new();
            for _ in inside.components() {
                relative.push("..");
            }
            relative.push("runtime");
            // `/` on every platform: cargo reads it anywhere, and the manifest stays the same.
            relative.to_string_lossy().replace('\\', "/")
        }
        Err(_) => runtime.to_string_lossy().into_owned(),
    }
}

/// `path` made absolute with symbolic links resolved, for the part of it that exists: the
/// output folder may not exist yet.
fn absolute_path(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut absolute = existing.canonicalize().unwrap_or(existing);
    for name in missing.into_iter().rev() {
        absolute.push(name);
    }
    absolute
}

/// A crate generated out of the tree starts with the workspace's `Cargo.lock`, so it builds with
/// the dependency versions this repository is tested with; from then on the lock file is the
/// user's (`cargo update` moves it), and regeneration leaves it alone unless asked `--locked`.
/// `false` when `--locked` could not be met.
fn lock_file(out: &Path, locked: bool) -> bool {
    let lock = out.join("Cargo.lock");
    if locked {
        return match lockfile::pin(out) {
            Ok(()) => {
                eprintln!(
                    "{}: the workspace's, pruned to what the crate uses",
                    lock.display()
                );
                true
            }
            Err(error) => {
                eprintln!("error: {error}");
                false
            }
        };
    }
    match lockfile::seed(out) {
        Ok(true) => eprintln!(
            "{}: a copy of the workspace's (the dependency versions graph-runtime is tested with); yours from now on",
            lock.display()
        ),
        Ok(false) => {}
        // The crate still builds: cargo resolves the newest compatible versions instead.
        Err(error) => eprintln!(
            "warning: {}: {error}; cargo will resolve the newest compatible versions",
            lock.display()
        ),
    }
    true
}

/// Prints warnings and errors in full (with the source line), notes as a count.
fn report(specs: &Path, diagnostics: &[Diagnostic]) {
    const SHOWN: usize = 40;
    let mut shown = 0;
    let mut notes = 0;
    for diagnostic in diagnostics {
        if diagnostic.severity == Severity::Note {
            notes += 1;
            continue;
        }
        if shown < SHOWN {
            let path = specs.join(&diagnostic.file);
            let source = std::fs::read(&path)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            // Name the file as the user can open it from where they ran the command.
            let mut located = diagnostic.clone();
            located.file = display_path(&path);
            eprintln!("{}", located.render(source.as_deref()));
        }
        shown += 1;
    }
    if shown > SHOWN {
        eprintln!("... and {} more warnings", shown - SHOWN);
    }
    if notes > 0 {
        eprintln!("({notes} notes not shown)");
    }
    if !diagnostics.is_empty() {
        eprintln!("{}", diagnostics_summary(diagnostics));
    }
}

/// `diagnostics by code: P0010 3, M0004 12`.
fn diagnostics_summary(diagnostics: &[Diagnostic]) -> String {
    let mut by_code: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for diagnostic in diagnostics {
        *by_code.entry(diagnostic.code.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = by_code
        .iter()
        .map(|(code, count)| format!("{code} {count}"))
        .collect();
    format!("diagnostics by code: {}", counts.join(", "))
}

/// Where the stamp of regenerations into `out` is kept: under `target/`, never in `out`
/// (which may be committed).
fn stamp_path(out: &Path) -> PathBuf {
    let canonical = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let name = output::digest(&[canonical.to_string_lossy().as_bytes()]);
    workspace_root()
        .join("target/regenerate-stamps")
        .join(format!("{name}.stamp"))
}

/// Changes whenever the generator is rebuilt: this executable's path, size and mtime. `None`
/// where the system cannot tell them; then no run is ever skipped.
fn generator_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let metadata = std::fs::metadata(&exe).ok()?;
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}",
        exe.display(),
        metadata.len(),
        modified.as_nanos()
    ))
}

fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn corpus(dir: &Path, json: bool, require_thresholds: bool) -> ExitCode {
    use graph_codegen::corpus::CorpusReport;
    use indicatif::{ParallelProgressIterator, ProgressBar, ProgressStyle};
    use rayon::prelude::*;
    use std::io::IsTerminal;

    let files = match graph_codegen::read_specs(dir) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {}: {error}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(files.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
    } else {
        ProgressBar::hidden()
    };
    let started = std::time::Instant::now();
    let results: Vec<_> = files
        .par_iter()
        .progress_with(bar.clone())
        .map(graph_codegen::parse_file)
        .collect();
    let elapsed = started.elapsed();
    bar.finish_and_clear();
    let sizes: Vec<usize> = files.iter().map(|file| file.bytes.len()).collect();
    let report = CorpusReport::new(&results, &sizes);
    let thresholds = report.thresholds();

    if json {
        let mut value = serde_json::to_value(&report).expect("the report is plain data");
        value["thresholds"] = serde_json::to_value(&thresholds).expect("plain data");
        value["seconds"] = serde_json::json!(elapsed.as_secs_f64());
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("plain data")
        );
    } else {
        print_summary(&report, elapsed);
        println!("thresholds:");
        for threshold in &thresholds {
            let mark = if threshold.met { "ok  " } else { "FAIL" };
            println!(
                "  {mark} {:<34} {:.4} (required {:.4})",
                threshold.name, threshold.value, threshold.required
            );
        }
    }
    if report.panics > 0 {
        eprintln!("error: the parser panicked on {} pages", report.panics);
        return ExitCode::FAILURE;
    }
    if require_thresholds && thresholds.iter().any(|threshold| !threshold.met) {
        eprintln!("error: the corpus figures miss a threshold");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn print_summary(report: &graph_codegen::corpus::CorpusReport, elapsed: std::time::Duration) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "{} pages, {:.1} MB in {:.2}s ({:.0} pages/s)",
        report.pages,
        report.bytes as f64 / 1e6,
        seconds,
        report.pages as f64 / seconds.max(1e-9)
    );
    if report.includes > 0 {
        println!(
            "include files (not pages): {} ({} with a permissions table)",
            report.includes, report.includes_with_permissions
        );
    }
    let kinds: Vec<String> = report
        .kinds
        .iter()
        .map(|(kind, count)| format!("{kind} {count}"))
        .collect();
    println!("pages by kind: {}", kinds.join(", "));
    println!(
        "method pages: {} ({} with an operation); resource pages: {} ({} with a type)",
        report.method_pages,
        report.method_pages_with_operation,
        report.resource_pages,
        report.resource_pages_with_type
    );
    println!(
        "operations {}, distinct paths {}, properties {}, enum members {}, examples {}",
        report.operations, report.paths, report.properties, report.enum_members, report.examples
    );
    println!(
        "property tables {} ({} with properties); member tables {} ({} with members)",
        report.tables.property_tables,
        report.tables.property_tables_with_properties,
        report.tables.member_tables,
        report.tables.member_tables_with_members
    );
    println!(
        "table rows {}: {} parsed, {} diagnosed",
        report.tables.rows_total, report.tables.rows_parsed, report.tables.rows_diagnosed
    );
    println!("diagnostics by code:");
    for (code, count) in &report.diagnostics {
        let summary = graph_codegen::diagnostics::Code::ALL
            .iter()
            .find(|known| known.as_str() == code)
            .map_or("", |known| known.summary());
        println!("  {code} {count:>6}  {summary}");
    }
    println!("pages with most diagnostics:");
    for (file, count) in &report.top_pages {
        println!("  {count:>4}  {file}");
    }
}

/// `, peak memory N KiB` from the kernel's high-water mark, where the system reports it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!(", peak memory {kib} KiB"))
        })
        .unwrap_or_default()
}
