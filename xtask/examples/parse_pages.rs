//! The page parser alone, for work on its speed.
//!
//! `cargo run --release -p xtask --example parse_pages -- dump OUT DIR...` writes one
//! JSON line per page (file, `ParsedPage`, diagnostics) of every specs folder given, so that
//! two builds' outputs can be compared byte for byte.
//!
//! `cargo run --release -p xtask --example parse_pages -- time ROUNDS DIR...` prints
//! the thread CPU time of the parse floor (pulldown-cmark's events, as `xtask bench` counts
//! them) and of `parse_file`, one thread, best of the rounds: a quicker loop than the bench.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

#[path = "../src/measure.rs"]
mod measure;
use graph_codegen::{SpecFile, parse_file};
use measure::{parse_floor, thread_cpu};

// The allocator `xtask bench` measures with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((mode, rest)) if mode == "dump" && rest.len() >= 2 => dump(&rest[0], &rest[1..]),
        Some((mode, rest)) if mode == "time" && rest.len() >= 2 => match rest[0].parse() {
            Ok(rounds) => time(rounds, &rest[1..]),
            Err(error) => Err(format!("rounds: {error}")),
        },
        _ => Err("usage: parse_pages dump OUT DIR... | parse_pages time ROUNDS DIR...".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn read(dirs: &[String]) -> Result<Vec<SpecFile>, String> {
    let mut files = Vec::new();
    for dir in dirs {
        let mut read =
            graph_codegen::read_specs(Path::new(dir)).map_err(|error| format!("{dir}: {error}"))?;
        for file in &mut read {
            file.path = format!("{dir}/{}", file.path);
        }
        files.append(&mut read);
    }
    Ok(files)
}

fn dump(out: &str, dirs: &[String]) -> Result<(), String> {
    let files = read(dirs)?;
    let mut writer = BufWriter::new(std::fs::File::create(out).map_err(|e| e.to_string())?);
    for file in &files {
        let result = parse_file(file);
        let line = serde_json::json!({
            "file": file.path,
            "page": result.page,
            "diagnostics": result.diagnostics,
        });
        serde_json::to_writer(&mut writer, &line).map_err(|e| e.to_string())?;
        writer.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    eprintln!("{} pages written to {out}", files.len());
    Ok(())
}

fn time(rounds: usize, dirs: &[String]) -> Result<(), String> {
    let files = read(dirs)?;
    // Per round: floor CPU, parse CPU, floor page faults, parse page faults.
    let mut measured = Vec::new();
    for _ in 0..rounds.max(1) {
        let faults_before = minor_faults();
        let started = thread_cpu();
        std::hint::black_box(parse_floor(&files));
        let floor = thread_cpu() - started;
        let faults_between = minor_faults();

        // Kept until after the clock stops, as in the bench.
        let started = thread_cpu();
        let results: Vec<_> = files.iter().map(parse_file).collect();
        let parse = thread_cpu() - started;
        let faults_after = minor_faults();
        drop(std::hint::black_box(results));
        measured.push((
            floor,
            parse,
            faults_between - faults_before,
            faults_after - faults_between,
        ));
    }
    for (floor, parse, floor_faults, parse_faults) in &measured {
        eprintln!(
            "  floor {:.3}s ({floor_faults} page faults), parse {:.3}s ({parse_faults} page faults)",
            floor.as_secs_f64(),
            parse.as_secs_f64()
        );
    }
    let best = |pick: fn(&(Duration, Duration, u64, u64)) -> Duration| {
        measured.iter().map(pick).min().unwrap_or_default()
    };
    let (floor, parse) = (best(|round| round.0), best(|round| round.1));
    println!(
        "{} pages, best of {} rounds: parse floor {:.3}s, parse {:.3}s CPU ({:.2}x)",
        files.len(),
        measured.len(),
        floor.as_secs_f64(),
        parse.as_secs_f64(),
        parse.as_secs_f64() / floor.as_secs_f64()
    );
    Ok(())
}

/// Minor page faults of the calling thread so far (Linux: `/proc/thread-self/stat`, field 10).
fn minor_faults() -> u64 {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = &stat[stat.rfind(')')? + 2..];
            rest.split_whitespace().nth(10 - 3)?.parse().ok()
        })
        .unwrap_or(0)
}
