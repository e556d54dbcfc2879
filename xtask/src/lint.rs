//! `cargo xtask lint DIR [--json] [--deny warnings]`: the docs lint over a tree of pages.
//! Diagnostics are rendered like rustc's, with the source line, then counted by code and
//! severity. `--json` prints one JSON object instead.

use std::path::Path;
use std::process::ExitCode;

use graph_codegen::diagnostics::Severity;
use graph_codegen::lint::{self, LintReport};

/// What `--deny` can turn into a failing exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Fail when there is any warning (or error).
    Warnings,
    /// Fail when there is any note, warning or error.
    Notes,
}

pub fn run(dir: &Path, json: bool, deny: Option<Deny>, quiet: bool) -> ExitCode {
    let report = match lint::lint_tree(dir) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if json {
        print_json(&report);
    } else {
        print_text(dir, &report, quiet);
    }
    let worst = report.diagnostics.iter().map(|d| d.severity).max();
    let failed = matches!(
        (deny, worst),
        (_, Some(Severity::Error))
            | (Some(Deny::Warnings), Some(Severity::Warning))
            | (Some(Deny::Notes), Some(_))
    );
    if failed {
        if !json {
            eprintln!("error: lint findings denied");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(dir: &Path, report: &LintReport, quiet: bool) {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if !quiet {
        let mut current: Option<(&str, Option<String>)> = None;
        for diagnostic in &report.diagnostics {
            if current
                .as_ref()
                .is_none_or(|(file, _)| *file != diagnostic.file)
            {
                let source = std::fs::read(dir.join(&diagnostic.file))
                    .ok()
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
                current = Some((diagnostic.file.as_str(), source));
            }
            let source = current.as_ref().and_then(|(_, source)| source.as_deref());
            let mut located = diagnostic.clone();
            located.file = shown_path(&dir.join(&diagnostic.file));
            let _ = writeln!(out, "{}", located.render(source));
        }
    }
    let _ = write!(out, "{}", report.summary());
}

fn print_json(report: &LintReport) {
    let by_code: serde_json::Map<String, serde_json::Value> = report
        .by_code()
        .into_iter()
        .map(|(code, count)| {
            (
                code.as_str().to_string(),
                serde_json::json!({
                    "count": count,
                    "severity": code.severity(),
                    "summary": code.summary(),
                }),
            )
        })
        .collect();
    let value = serde_json::json!({
        "pages": report.pages,
        "diagnostics": report.diagnostics,
        "counts": {
            "error": report.count(Severity::Error),
            "warning": report.count(Severity::Warning),
            "note": report.count(Severity::Note),
        },
        "by_code": by_code,
    });
    println!("{value}");
}

/// The path as the user can open it from where they ran the command.
fn shown_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}
