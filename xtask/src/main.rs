//! Project tasks: `cargo xtask regenerate`, `cargo xtask corpus`, `cargo xtask specs`. A thin CLI over the
//! `graph-codegen` library: no logic here that a library test cannot reach.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod examples;
mod lint;
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
        /// Fail unless at least this share of examples deserialise.
        #[arg(long, default_value_t = 0.9)]
        min: f64,
        /// Print every doc error (default: the first 30; generator bugs are always printed).
        #[arg(long)]
        all: bool,
        /// Fail when any failure is classified as a generator bug.
        #[arg(long)]
        deny_generator_bugs: bool,
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
    /// Benchmarks. Run in release: `cargo run --release -p xtask -- bench parse DIR`.
    Bench {
        #[command(subcommand)]
        bench: Bench,
    },
}

#[derive(Subcommand)]
enum Bench {
    /// Parse every page of a docs tree on one thread, beside the floor: reading the same
    /// files and iterating pulldown-cmark's events with the same options, nothing else.
    Parse {
        dir: PathBuf,
        /// Timed rounds of each; the best and the median are reported.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Generate a crate from one version's docs and time it: generation, emitted lines,
    /// `cargo check` with every area and with one area alone.
    Generate {
        dir: PathBuf,
        /// The area checked alone.
        #[arg(long, default_value = "users")]
        area: String,
        #[arg(long, default_value = "target/bench-generate")]
        out: PathBuf,
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
    match Cli::parse().command {
        Command::Regenerate { specs, out, check } => {
            regenerate(&from_root(&specs), &from_root(&out), check)
        }
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
        } => examples::run(&dir, &from_root(&out), min, all, deny_generator_bugs),
        Command::Bench {
            bench: Bench::Parse { dir, rounds },
        } => bench_parse(&dir, rounds),
        Command::Bench {
            bench: Bench::Generate { dir, area, out },
        } => bench_generate(&dir, &area, &from_root(&out)),
    }
}

fn regenerate(specs: &Path, out: &Path, check: bool) -> ExitCode {
    let root = workspace_root();
    let in_tree = out.canonicalize().ok() == root.join("generated").canonicalize().ok();
    let options = if in_tree {
        EmitOptions {
            runtime_path: "../runtime".to_string(),
            standalone: false,
        }
    } else {
        EmitOptions {
            runtime_path: root.join("runtime").to_string_lossy().into_owned(),
            standalone: true,
        }
    };
    let generation = match graph_codegen::generate(specs, &options) {
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
    if let Err(error) = output::apply(out, &generation.files, &changes) {
        eprintln!("error: writing {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "wrote {} ({} files, {} changed)",
        out.display(),
        generation.files.len(),
        changes.len()
    );
    ExitCode::SUCCESS
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
    let mut by_code: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for diagnostic in diagnostics {
        *by_code.entry(diagnostic.code.as_str()).or_default() += 1;
    }
    if !by_code.is_empty() {
        let counts: Vec<String> = by_code
            .iter()
            .map(|(code, count)| format!("{code} {count}"))
            .collect();
        eprintln!("diagnostics by code: {}", counts.join(", "));
    }
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

fn bench_parse(dir: &Path, rounds: usize) -> ExitCode {
    use std::time::{Duration, Instant};

    let files = match graph_codegen::read_specs(dir) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {}: {error}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let paths: Vec<PathBuf> = files.iter().map(|file| dir.join(&file.path)).collect();
    let bytes: usize = files.iter().map(|file| file.bytes.len()).sum();
    drop(files);

    // Both sides read the files from disk (page cache) every round.
    let floor = || {
        let mut events = 0usize;
        for path in &paths {
            let data = std::fs::read(path).expect("readable");
            let text = String::from_utf8_lossy(&data);
            let parser =
                pulldown_cmark::Parser::new_ext(&text, graph_codegen::page::markdown::options());
            events += parser.into_offset_iter().count();
        }
        events
    };
    let parse = || {
        let mut diagnostics = 0usize;
        for path in &paths {
            let data = std::fs::read(path).expect("readable");
            let name = path.to_string_lossy();
            diagnostics += graph_codegen::page::parse_page_bytes(&name, &data).1.len();
        }
        diagnostics
    };
    let time = |run: &dyn Fn() -> usize| {
        let start = Instant::now();
        std::hint::black_box(run());
        start.elapsed()
    };
    // Warm the page cache and the allocator once.
    floor();
    parse();
    let mut floor_times: Vec<Duration> = Vec::new();
    let mut parse_times: Vec<Duration> = Vec::new();
    for _ in 0..rounds.max(1) {
        floor_times.push(time(&floor));
        parse_times.push(time(&parse));
    }
    floor_times.sort();
    parse_times.sort();
    let report = |name: &str, times: &[Duration]| {
        let best = times[0].as_secs_f64();
        let median = times[times.len() / 2].as_secs_f64();
        println!(
            "{name:<6} best {best:>7.3}s  median {median:>7.3}s  {:>8.0} pages/s  {:>6.1} MB/s",
            paths.len() as f64 / best,
            bytes as f64 / 1e6 / best
        );
        median
    };
    println!(
        "{} pages, {:.1} MB, one thread, {} rounds",
        paths.len(),
        bytes as f64 / 1e6,
        rounds.max(1)
    );
    let floor_median = report("floor", &floor_times);
    let parse_median = report("parse", &parse_times);
    println!(
        "parse / floor (medians): {:.2}x",
        parse_median / floor_median
    );
    ExitCode::SUCCESS
}

fn bench_generate(dir: &Path, area: &str, out: &Path) -> ExitCode {
    use std::time::Instant;

    let root = workspace_root();
    let options = EmitOptions {
        runtime_path: root.join("runtime").to_string_lossy().into_owned(),
        standalone: true,
    };
    let started = Instant::now();
    let generation = match graph_codegen::generate(dir, &options) {
        Ok(generation) => generation,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let generate_seconds = started.elapsed().as_secs_f64();
    let lines: usize = generation
        .files
        .iter()
        .map(|file| file.contents.lines().count())
        .sum();
    let bytes: usize = generation
        .files
        .iter()
        .map(|file| file.contents.len())
        .sum();
    let written = output::plan(out, &generation.files)
        .and_then(|changes| output::apply(out, &generation.files, &changes));
    if let Err(error) = written {
        eprintln!("error: {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    let api = &generation.apis[0];
    println!(
        "{}: generated in {generate_seconds:.2}s: {} files, {lines} lines, {:.1} MB; {} structs, {} enums, {} polymorphic enums, {} operations, {} areas",
        dir.display(),
        generation.files.len(),
        bytes as f64 / 1e6,
        api.models.len(),
        api.enums.len(),
        api.polymorphic.len(),
        api.operations.len(),
        api.areas().len(),
    );
    let check = |features: &[&str]| -> Option<(f64, usize)> {
        let started = Instant::now();
        let output = std::process::Command::new(env!("CARGO"))
            .args(["check", "--message-format", "short", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .args(features)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .output()
            .ok()?;
        let seconds = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let warnings = stderr
            .lines()
            .filter(|line| line.contains(": warning:"))
            .count();
        if !output.status.success() {
            eprintln!("{stderr}");
            return None;
        }
        Some((seconds, warnings))
    };
    // Dependencies are built once, untimed; then only the generated crate is timed.
    if check(&[]).is_none() {
        return ExitCode::FAILURE;
    }
    let touch = || {
        let lib = out.join("src/lib.rs");
        if let Ok(file) = std::fs::File::options().append(true).open(&lib) {
            let _ = file.set_modified(std::time::SystemTime::now());
        }
    };
    touch();
    let Some((all_seconds, all_warnings)) = check(&["--all-features"]) else {
        return ExitCode::FAILURE;
    };
    println!("cargo check --all-features: {all_seconds:.1}s, {all_warnings} warnings");
    touch();
    let Some((area_seconds, area_warnings)) = check(&["--no-default-features", "--features", area])
    else {
        return ExitCode::FAILURE;
    };
    println!(
        "cargo check --no-default-features --features {area}: {area_seconds:.1}s, {area_warnings} warnings"
    );
    if all_warnings + area_warnings > 0 {
        eprintln!("error: the generated code has warnings");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
