//! Generates a crate from the workload fixture (generator/tests/fixtures/workloads), then
//! builds and tests it with each workload feature alone, warnings denied: every workload
//! compiles alone and keeps its types' properties typed (xtask/tests/fixture/workloads.rs);
//! a call whose feature is off fails with an error that names the feature.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn output(command: &mut Command) -> (Output, String) {
    let output = command.output().expect("the command runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output, text)
}

fn run(command: &mut Command) -> String {
    let (output, text) = output(command);
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

/// The crate, generated into its own folder `name` with the workspace's lock file, with
/// `copies` (files of xtask/tests/fixture, and where they go in the crate) copied in.
fn generate(name: &str, copies: &[(&str, &str)]) -> (PathBuf, PathBuf) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&out);
    run(Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regenerate", "--locked", "--specs"])
        .arg(workspace.join("generator/tests/fixtures/workloads/v1.0"))
        .arg("--out")
        .arg(&out));
    for (from, to) in copies {
        let to = out.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(workspace.join("xtask/tests/fixture").join(from), to).unwrap();
    }
    // The fixture crate's target directory: the dependencies are the same, built once.
    (out, workspace.join("target/fixture-crate"))
}

fn cargo(out: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .args(["--locked", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings");
    command
}

/// Every field of every struct in the generated sources under `dir` that carries a `cfg`:
/// a field declared twice, typed with the feature on and `serde_json::Value` with it off, is
/// how a property used to become untyped JSON when a feature was disabled.
fn cfg_gated_fields(dir: &Path) -> Vec<String> {
    fn walk(items: &[syn::Item], file: &Path, found: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Struct(item) => {
                    for field in &item.fields {
                        if field.attrs.iter().any(|attr| attr.path().is_ident("cfg")) {
                            let name = field.ident.as_ref().map(ToString::to_string);
                            found.push(format!("{}: {}.{name:?}", file.display(), item.ident));
                        }
                    }
                }
                syn::Item::Mod(module) => {
                    if let Some((_, items)) = &module.content {
                        walk(items, file, found);
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap())
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                walk(&file.items, &path, &mut found);
            }
        }
    }
    found
}

#[test]
fn each_workload_compiles_alone_and_keeps_its_properties_typed() {
    let (out, target) = generate("workloads-crate", &[("workloads.rs", "tests/workloads.rs")]);
    // No property changes type with the features: so a struct that compiles with a workload
    // alone (below, warnings denied) has every property typed as with all features on.
    let gated = cfg_gated_fields(&out.join("src"));
    assert!(
        gated.is_empty(),
        "fields whose type depends on a feature: {gated:#?}"
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(
            "default = [\"users\", \"groups\", \"mail\", \"files\", \"workbooks\", \"subscriptions\"]"
        ),
        "one feature per workload, all on by default:\n{manifest}"
    );
    // With no workload at all only the client is left; it still compiles.
    run(&mut cargo(
        &out,
        &target,
        &["check", "--no-default-features"],
    ));
    for (workload, typed_test) in [
        ("users", None),
        (
            "groups",
            Some("groups_alone_reads_members_as_users_and_groups"),
        ),
        (
            "mail",
            Some("mail_alone_types_a_message_body_filed_under_excel"),
        ),
        ("files", Some("files_alone_types_a_drive_items_workbook")),
        ("workbooks", None),
        (
            "subscriptions",
            Some("subscriptions_alone_has_the_notification_no_endpoint_returns"),
        ),
    ] {
        let text = run(&mut cargo(
            &out,
            &target,
            &["test", "--no-default-features", "--features", workload],
        ));
        assert!(
            text.contains("test the_client_builds ... ok"),
            "{workload}:\n{text}"
        );
        if let Some(typed_test) = typed_test {
            assert!(
                text.contains(&format!("test {typed_test} ... ok")),
                "{workload} alone must run {typed_test}:\n{text}"
            );
        }
    }
}

#[test]
fn a_call_whose_feature_is_off_names_the_feature() {
    // An example, not a test: `cargo test` would build it in the other test's runs too.
    let (out, target) = generate(
        "workloads-crate-missing",
        &[("missing_features.rs", "examples/missing_features.rs")],
    );
    let (status, text) = output(&mut cargo(
        &out,
        &target,
        &[
            "check",
            "--example",
            "missing_features",
            "--no-default-features",
            "--features",
            "users",
        ],
    ));
    assert!(!status.status.success(), "must not compile:\n{text}");
    for expected in [
        "error[E0277]: this call needs the `mail` feature of graph-client",
        "error[E0277]: this call needs the `groups` feature of graph-client",
        "error[E0277]: this call needs one of the features `files`, `workbooks` of graph-client",
        "enable it in Cargo.toml: `graph-client = { ..., features = [\"mail\"] }`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // One error per missing feature: nothing further down the chain.
    assert_eq!(text.matches("error[E").count(), 3, "{text}");
}
