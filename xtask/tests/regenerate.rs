//! `cargo xtask regenerate` as a user runs it: out-of-tree output, `--check` on stale output,
//! and byte-identical reruns.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SEED: &str =
    "beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md";

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn check_names_the_stale_file_and_writes_nothing() {
    let dir = scratch("regenerate-check");
    let specs = dir.join("specs");
    let out = dir.join("out");
    let workspace_specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    fs::create_dir_all(specs.join("beta/api")).unwrap();
    fs::copy(workspace_specs.join(SEED), specs.join(SEED)).unwrap();
    let (specs_arg, out_arg) = (specs.to_str().unwrap(), out.to_str().unwrap());

    let first = xtask(&["regenerate", "--specs", specs_arg, "--out", out_arg]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[workspace]"),
        "an out-of-tree crate is its own workspace"
    );
    assert!(
        manifest.contains("graph-runtime = { path = \""),
        "it reaches the runtime by path"
    );
    let written = snapshot(&out);

    let again = xtask(&["regenerate", "--specs", specs_arg, "--out", out_arg]);
    assert!(again.status.success());
    assert_eq!(snapshot(&out), written, "a second run is byte-identical");

    let check = xtask(&[
        "regenerate",
        "--specs",
        specs_arg,
        "--out",
        out_arg,
        "--check",
    ]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    // A new row in the body table makes the intune module stale.
    let page = fs::read_to_string(specs.join(SEED)).unwrap();
    let row = "|extendedKeyUsages|String collection|";
    let at = page.find(row).unwrap();
    let line_end = at + page[at..].find('\n').unwrap();
    let mut edited = page.clone();
    edited.insert_str(
        line_end + 1,
        "|caPoolName|String|The pool the issuing authority belongs to. Read-only.|\n",
    );
    fs::write(specs.join(SEED), edited).unwrap();

    let stale = xtask(&[
        "regenerate",
        "--specs",
        specs_arg,
        "--out",
        out_arg,
        "--check",
    ]);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(!stale.status.success(), "--check fails on stale output");
    assert!(
        stderr.contains("stale: ") && stderr.contains("src/beta/intune.rs"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), written, "--check writes nothing");

    let regenerate = xtask(&["regenerate", "--specs", specs_arg, "--out", out_arg]);
    assert!(regenerate.status.success());
    let intune = fs::read_to_string(out.join("src/beta/intune.rs")).unwrap();
    assert!(intune.contains("pub ca_pool_name: ::graph_runtime::Patch<::std::string::String>"));
}

#[test]
fn an_unreadable_specs_folder_fails_and_leaves_output_alone() {
    let dir = scratch("regenerate-missing");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("keep.txt"), "hand-written").unwrap();
    let missing = dir.join("no-such-specs");
    let result = xtask(&[
        "regenerate",
        "--specs",
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stderr).contains("no-such-specs"));
    assert_eq!(
        fs::read_to_string(out.join("keep.txt")).unwrap(),
        "hand-written"
    );
}

/// A crate generated out of the tree starts with the workspace's `Cargo.lock`, keeps a lock file
/// of its own from then on, and `--locked` puts the workspace's back, pruned to what it uses.
#[test]
fn an_out_of_tree_crate_gets_the_workspaces_lock_file() {
    let dir = scratch("regenerate-lock");
    let specs = dir.join("specs");
    let out = dir.join("out");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    fs::create_dir_all(specs.join("beta/api")).unwrap();
    fs::copy(workspace.join("specs").join(SEED), specs.join(SEED)).unwrap();
    let (specs_arg, out_arg) = (specs.to_str().unwrap(), out.to_str().unwrap());
    let regenerate = |extra: &[&str]| {
        let mut args = vec!["regenerate", "--specs", specs_arg, "--out", out_arg];
        args.extend_from_slice(extra);
        let output = xtask(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let workspace_lock = fs::read_to_string(workspace.join("Cargo.lock")).unwrap();

    let said = regenerate(&[]);
    assert_eq!(
        fs::read_to_string(out.join("Cargo.lock")).unwrap(),
        workspace_lock
    );
    assert!(
        said.contains("Cargo.lock: a copy of the workspace's"),
        "{said}"
    );

    let users = "# the user's own lock file\nversion = 4\n";
    fs::write(out.join("Cargo.lock"), users).unwrap();
    regenerate(&[]);
    assert_eq!(fs::read_to_string(out.join("Cargo.lock")).unwrap(), users);

    let said = regenerate(&["--locked"]);
    assert!(said.contains("pruned to what the crate uses"), "{said}");
    let pinned = fs::read_to_string(out.join("Cargo.lock")).unwrap();
    let packages = |lock: &str| -> Vec<String> {
        lock.split("[[package]]")
            .skip(1)
            .map(|entry| entry.lines().take(3).collect::<Vec<_>>().join(" "))
            .collect()
    };
    let (kept, all) = (packages(&pinned), packages(&workspace_lock));
    assert!(
        kept.iter()
            .any(|entry| entry.contains("name = \"reqwest\"")),
        "{pinned}"
    );
    assert!(
        !kept
            .iter()
            .any(|entry| entry.contains("name = \"pulldown-cmark\"")),
        "the generator's dependencies are pruned: {pinned}"
    );
    for entry in &kept {
        if !entry.contains("name = \"graph-") {
            assert!(all.contains(entry), "{entry} is not the workspace's");
        }
    }
}

/// The runtime path the manifest in `out` names.
fn runtime_path(out: &Path) -> String {
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|line| line.starts_with("graph-runtime = { path = \""))
        .unwrap_or_else(|| panic!("no runtime path in:\n{manifest}"));
    line.split('"').nth(1).unwrap().to_string()
}

/// Inside the checkout the crate reaches `runtime/` by a relative path, so the checkout can
/// move; outside, by the absolute path. The manifest says how to point it elsewhere.
#[test]
fn the_runtime_path_is_relative_inside_the_checkout() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = workspace.join("runtime").canonicalize().unwrap();
    let inside = scratch("regenerate-relative").join("nested/out");
    let outside = std::env::temp_dir().join(format!("graph-docgen-outside-{}", std::process::id()));
    let _ = fs::remove_dir_all(&outside);
    for out in [&inside, &outside] {
        let output = xtask(&[
            "regenerate",
            "--specs",
            workspace.join("specs").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let relative = runtime_path(&inside);
    assert!(relative.starts_with("../"), "{relative}");
    assert_eq!(inside.join(&relative).canonicalize().unwrap(), runtime);
    let absolute = runtime_path(&outside);
    assert_eq!(Path::new(&absolute), runtime, "{absolute}");
    let manifest = fs::read_to_string(inside.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("To build the crate somewhere else, point this at"),
        "{manifest}"
    );
    fs::remove_dir_all(&outside).unwrap();
}
