//! `cargo xtask newest-deps`: the one check that builds on purpose against the newest
//! semver-compatible versions of every dependency, instead of the workspace's `Cargo.lock`.
//!
//! Everything else (the tests, CI's out-of-tree crates) builds with the lock file, so an
//! upstream release cannot turn the suite red overnight. This check is how we learn about one
//! before users do: a scratch copy of the workspace is `cargo update`d and checked with warnings
//! denied, and a failure names the dependencies that changed, the one the diagnostics mention
//! first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde::Deserialize;

use crate::{lockfile, workspace_root};

/// Top-level entries of the workspace that the scratch copy leaves out: build output, history
/// and the fuzzing crate (its own workspace, not built by CI).
const NOT_COPIED: &[&str] = &["target", ".git", "fuzz"];

pub(crate) fn run(scratch: &Path) -> ExitCode {
    match check(scratch) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn check(scratch: &Path) -> Result<bool, String> {
    let root = workspace_root();
    let _ = std::fs::remove_dir_all(scratch);
    copy_tree(&root, scratch, true)
        .map_err(|error| format!("copying the workspace to {}: {error}", scratch.display()))?;
    let manifest = scratch.join("Cargo.toml");

    let locked = lockfile::versions(&manifest)?;
    eprintln!("== cargo update (in {})", scratch.display());
    let status = Command::new(env!("CARGO"))
        .args(["update", "--manifest-path"])
        .arg(&manifest)
        .status()
        .map_err(|error| format!("running cargo update: {error}"))?;
    if !status.success() {
        return Err("cargo update failed (is the registry reachable?)".to_string());
    }
    let newest = lockfile::versions(&manifest)?;
    let changes = changes(&locked, &newest);
    if changes.is_empty() {
        println!("the lock file already holds the newest compatible version of every dependency");
    } else {
        println!("{} dependencies are newer than Cargo.lock:", changes.len());
        for change in &changes {
            println!("  {change}");
        }
    }

    eprintln!("== cargo check --workspace --all-targets --all-features (warnings denied)");
    // The workspace's target directory: only what changed and what depends on it is rebuilt.
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--message-format",
            "json",
            "--manifest-path",
        ])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|error| format!("running cargo check: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut diagnostics = workspace_diagnostics(&stdout, scratch);
    // A library's warning comes again from its test target.
    let mut seen = BTreeSet::new();
    diagnostics.retain(|diagnostic| seen.insert(diagnostic.rendered.clone()));
    if output.status.success() && diagnostics.is_empty() {
        println!(
            "ok: the workspace builds without a warning against the newest compatible dependencies"
        );
        return Ok(true);
    }
    let errors = diagnostics.iter().filter(|d| d.level == "error").count();
    println!(
        "error: against the newest compatible dependencies, the workspace's crates have {} warnings and {errors} errors",
        diagnostics.len() - errors
    );
    println!("what changed, the dependencies the diagnostics name first:");
    for (change, mentions) in suspects(&changes, &diagnostics) {
        if mentions > 0 {
            println!("  {change}   <- named by {mentions} of the diagnostics");
        } else {
            println!("  {change}");
        }
    }
    for diagnostic in &diagnostics {
        println!("{}", diagnostic.rendered.trim_end());
    }
    if diagnostics.is_empty() {
        // A failure cargo reported without a compiler message (a resolver or build-script error).
        println!("{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(false)
}

/// Copies `from` into `to`, leaving out [`NOT_COPIED`] at the top level.
fn copy_tree(from: &Path, to: &Path, top: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if top && NOT_COPIED.iter().any(|skip| name == *skip) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&name), false)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// One dependency whose resolved versions differ between the lock file and the newest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    name: String,
    /// Versions only the lock file has.
    locked: Vec<String>,
    /// Versions only the newest resolution has.
    newest: Vec<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.locked.is_empty(), self.newest.is_empty()) {
            (false, false) => write!(
                f,
                "{} {} -> {}",
                self.name,
                self.locked.join(", "),
                self.newest.join(", ")
            ),
            (true, _) => write!(f, "{} {} (new)", self.name, self.newest.join(", ")),
            (false, true) => write!(
                f,
                "{} {} (no longer used)",
                self.name,
                self.locked.join(", ")
            ),
        }
    }
}

fn changes(
    locked: &BTreeMap<String, BTreeSet<String>>,
    newest: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Change> {
    let empty = BTreeSet::new();
    let names: BTreeSet<&String> = locked.keys().chain(newest.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let before = locked.get(name).unwrap_or(&empty);
            let after = newest.get(name).unwrap_or(&empty);
            (before != after).then(|| Change {
                name: name.clone(),
                locked: before.difference(after).cloned().collect(),
                newest: after.difference(before).cloned().collect(),
            })
        })
        .collect()
}

/// A warning or error the compiler reported in one of the workspace's own crates.
#[derive(Debug)]
struct Diagnostic {
    level: String,
    rendered: String,
}

#[derive(Deserialize)]
struct CargoMessage {
    reason: String,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    message: Option<CompilerMessage>,
}

#[derive(Deserialize)]
struct CompilerMessage {
    level: String,
    #[serde(default)]
    rendered: Option<String>,
}

/// The warnings and errors of crates under `scratch` (cargo caps the lints of registry crates;
/// their messages are not ours to fix). Summary lines ("2 warnings emitted") are left out.
fn workspace_diagnostics(json_lines: &str, scratch: &Path) -> Vec<Diagnostic> {
    let prefix = format!("{}/", scratch.display());
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<CargoMessage>(line).ok())
        .filter(|message| message.reason == "compiler-message")
        .filter(|message| {
            message
                .manifest_path
                .as_ref()
                .is_some_and(|path| path.starts_with(scratch))
        })
        .filter_map(|message| message.message)
        .filter(|message| message.level == "warning" || message.level == "error")
        .filter_map(|message| {
            let rendered = message.rendered?;
            if rendered.trim_end().ends_with("emitted") {
                return None;
            }
            Some(Diagnostic {
                level: message.level,
                rendered: rendered.replace(&prefix, ""),
            })
        })
        .collect()
}

/// The changes, those the diagnostics name most first, each with how many name it: a path
/// into the crate (`rustls::crypto::...`) or its registry folder (`rustls-0.23.48/src/...`).
fn suspects<'a>(changes: &'a [Change], diagnostics: &[Diagnostic]) -> Vec<(&'a Change, usize)> {
    let mut ranked: Vec<(&Change, usize)> = changes
        .iter()
        .map(|change| {
            let ident = change.name.replace('-', "_");
            let path = format!("{ident}::");
            let folders: Vec<String> = change
                .newest
                .iter()
                .map(|version| format!("{}-{version}/", change.name))
                .collect();
            let mentions = diagnostics
                .iter()
                .filter(|diagnostic| {
                    mentions_path(&diagnostic.rendered, &path)
                        || folders
                            .iter()
                            .any(|folder| diagnostic.rendered.contains(folder.as_str()))
                })
                .count();
            (change, mentions)
        })
        .collect();
    // Stable: equal counts keep the alphabetical order of `changes`.
    ranked.sort_by_key(|&(_, mentions)| std::cmp::Reverse(mentions));
    ranked
}

/// Whether `text` holds `path` (`rustls::`) as the start of a path, not as the tail of a longer
/// name (`tokio_rustls::`).
fn mentions_path(text: &str, path: &str) -> bool {
    text.match_indices(path).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|before| !(before.is_alphanumeric() || before == '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolution(entries: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        entries
            .iter()
            .map(|(name, versions)| {
                (
                    name.to_string(),
                    versions.iter().map(|v| v.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn changes_list_what_moved_appeared_or_went() {
        let locked = resolution(&[
            ("rustls", &["0.23.46"]),
            ("getrandom", &["0.2.17", "0.3.4"]),
            ("serde", &["1.0.229"]),
            ("gone", &["1.0.0"]),
        ]);
        let newest = resolution(&[
            ("rustls", &["0.23.48"]),
            ("getrandom", &["0.2.17", "0.3.5"]),
            ("serde", &["1.0.229"]),
            ("fresh", &["0.1.0"]),
        ]);
        let shown: Vec<String> = changes(&locked, &newest)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "fresh 0.1.0 (new)",
                "getrandom 0.3.4 -> 0.3.5",
                "gone 1.0.0 (no longer used)",
                "rustls 0.23.46 -> 0.23.48",
            ]
        );
    }

    #[test]
    fn the_dependency_a_diagnostic_names_comes_first() {
        let changes = changes(
            &resolution(&[
                ("aho-corasick", &["1.1.3"]),
                ("rustls", &["0.23.46"]),
                ("tokio-rustls", &["0.26.5"]),
            ]),
            &resolution(&[
                ("aho-corasick", &["1.1.4"]),
                ("rustls", &["0.23.48"]),
                ("tokio-rustls", &["0.26.6"]),
            ]),
        );
        let diagnostics = [Diagnostic {
            level: "warning".into(),
            rendered: "warning: use of deprecated function `rustls::crypto::ring::default_provider`: no support for post-quantum algorithms\n  --> runtime/src/client.rs:59:32\n".into(),
        }];
        let ranked: Vec<(String, usize)> = suspects(&changes, &diagnostics)
            .into_iter()
            .map(|(change, mentions)| (change.to_string(), mentions))
            .collect();
        assert_eq!(
            ranked,
            [
                ("rustls 0.23.46 -> 0.23.48".to_string(), 1),
                ("aho-corasick 1.1.3 -> 1.1.4".to_string(), 0),
                ("tokio-rustls 0.26.5 -> 0.26.6".to_string(), 0),
            ]
        );
    }

    #[test]
    fn only_the_workspaces_own_diagnostics_count() {
        let scratch = Path::new("/tmp/scratch");
        let lines = [
            r#"{"reason":"compiler-message","manifest_path":"/tmp/scratch/runtime/Cargo.toml","message":{"level":"warning","rendered":"warning: use of deprecated function\n --> /tmp/scratch/runtime/src/client.rs:59:32\n"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/tmp/scratch/runtime/Cargo.toml","message":{"level":"warning","rendered":"warning: 1 warning emitted\n"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/home/u/.cargo/registry/src/x/h2-0.4.20/Cargo.toml","message":{"level":"warning","rendered":"warning: capped\n"}}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/tmp/scratch/runtime/Cargo.toml"}"#,
            "not json",
        ]
        .join("\n");
        let diagnostics = workspace_diagnostics(&lines, scratch);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].rendered,
            "warning: use of deprecated function\n --> runtime/src/client.rs:59:32\n"
        );
    }
}
