//! Project tasks: `cargo xtask regenerate`, `cargo xtask corpus`. A thin CLI over the
//! `graph-codegen` library: no logic here that a library test cannot reach.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
}

fn workspace_root() -> PathBuf {
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
