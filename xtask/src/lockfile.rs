//! Crates built outside the workspace (standalone regenerations, the examples harness, the
//! compile bench, the tests' crates) build with the workspace's `Cargo.lock`: a result must
//! never depend on what the registry published that day. The one check that looks at the
//! newest versions on purpose is `cargo xtask newest-deps` (`newest.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::workspace_root;

/// The lock file the workspace is built and tested with.
pub(crate) fn workspace_lock() -> PathBuf {
    workspace_root().join("Cargo.lock")
}

/// Gives a new crate in `dir` the workspace's lock file and leaves one already there alone
/// (a user's generated crate: its lock file is theirs after the first run). Cargo prunes the
/// entries the crate does not use the first time it builds. `true` when it copied.
pub(crate) fn seed(dir: &Path) -> io::Result<bool> {
    if dir.join("Cargo.lock").exists() {
        return Ok(false);
    }
    copy_workspace_lock(dir)?;
    Ok(true)
}

/// Makes the crate in `dir` build with `--locked` on the workspace's versions: copies the
/// workspace's lock file in (replacing any), lets cargo prune it to what the crate uses, and
/// fails, naming them, if the crate needs a package version the workspace's lock does not hold
/// (a dependency the workspace itself lacks: add it there first).
pub(crate) fn pin(dir: &Path) -> Result<(), String> {
    copy_workspace_lock(dir)
        .map_err(|error| format!("copying Cargo.lock to {}: {error}", dir.display()))?;
    let pinned = versions(&dir.join("Cargo.toml"))?;
    let workspace = versions(&workspace_root().join("Cargo.toml"))?;
    let foreign = not_in(&pinned, &workspace);
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} needs package versions the workspace's Cargo.lock does not hold: {}",
            dir.display(),
            foreign.join(", ")
        ))
    }
}

fn copy_workspace_lock(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // Written beside and renamed, so cargo never sees half a lock file.
    let staged = dir.join(".Cargo.lock.staged");
    std::fs::copy(workspace_lock(), &staged)?;
    std::fs::rename(&staged, dir.join("Cargo.lock"))
}

/// `name version` of every version in `resolved` that `reference` lacks.
fn not_in(
    resolved: &BTreeMap<String, BTreeSet<String>>,
    reference: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    resolved
        .iter()
        .flat_map(|(name, versions)| {
            versions
                .iter()
                .filter(move |version| {
                    !reference
                        .get(name)
                        .is_some_and(|known| known.contains(*version))
                })
                .map(move |version| format!("{name} {version}"))
        })
        .collect()
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    source: Option<String>,
}

/// The version(s) of each registry package the crate or workspace of `manifest` resolves to,
/// from `cargo metadata` (which also brings its lock file up to date).
pub(crate) fn versions(manifest: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(manifest)
        .output()
        .map_err(|error| format!("running cargo metadata: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata --manifest-path {} failed:\n{}",
            manifest.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Metadata = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("reading cargo metadata: {error}"))?;
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in metadata.packages {
        // Path packages are the workspace's own.
        if package.source.is_some() {
            versions
                .entry(package.name)
                .or_default()
                .insert(package.version);
        }
    }
    Ok(versions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-lockfile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_new_crate_gets_the_workspace_lock_and_a_users_lock_is_kept() {
        let dir = scratch("seed");
        assert!(seed(&dir).unwrap());
        let workspace = std::fs::read(workspace_lock()).unwrap();
        assert_eq!(std::fs::read(dir.join("Cargo.lock")).unwrap(), workspace);
        assert!(!dir.join(".Cargo.lock.staged").exists());

        std::fs::write(dir.join("Cargo.lock"), "# the user's own\n").unwrap();
        assert!(!seed(&dir).unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.join("Cargo.lock")).unwrap(),
            "# the user's own\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn versions_the_reference_lacks_are_named() {
        let set = |entries: &[(&str, &str)]| {
            let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (name, version) in entries {
                map.entry(name.to_string())
                    .or_default()
                    .insert(version.to_string());
            }
            map
        };
        let workspace = set(&[("serde", "1.0.229"), ("getrandom", "0.2.17")]);
        let crate_ = set(&[
            ("serde", "1.0.229"),
            ("getrandom", "0.2.17"),
            ("getrandom", "0.3.4"),
            ("itoa", "1.0.19"),
        ]);
        assert_eq!(
            not_in(&crate_, &workspace),
            ["getrandom 0.3.4", "itoa 1.0.19"]
        );
        assert!(not_in(&workspace, &workspace).is_empty());
    }
}
