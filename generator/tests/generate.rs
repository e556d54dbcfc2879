//! The whole chain on the checked-in specs: model and emitted code snapshots, determinism,
//! atomic writes, and the checked-in `generated/` crate kept current.

use std::fs;
use std::path::{Path, PathBuf};

use graph_codegen::diagnostics::Code;
use graph_codegen::emit::{EmitOptions, GeneratedFile};
use graph_codegen::output::{self, ChangeKind};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn in_tree() -> EmitOptions {
    EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: false,
    }
}

fn generate() -> graph_codegen::Generation {
    graph_codegen::generate(&workspace().join("specs"), &in_tree()).expect("specs/ generates")
}

#[test]
fn resolved_model_snapshot() {
    let generation = generate();
    insta::assert_yaml_snapshot!("specs_api", generation.apis);
}

#[test]
fn emitted_code_snapshots() {
    let generation = generate();
    for file in &generation.files {
        let name = file.path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn the_seed_contradiction_is_reported_with_its_location() {
    let generation = generate();
    // Other update pages (the cloudCertificationAuthority one) have the same contradiction.
    let seed =
        "beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md";
    let contradiction = generation
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.code == Code::ReadOnlyInBody && diagnostic.file == seed)
        .expect("the seed's body table marks every property read-only");
    assert_eq!(contradiction.line, 53, "the body table's header row");
    assert!(contradiction.message.contains("20 of 20"));
    assert!(contradiction.message.contains("required when you create"));
}

#[test]
fn regeneration_is_deterministic() {
    let first = generate().files;
    let second = generate().files;
    assert_eq!(first, second);
}

#[test]
fn checked_in_crate_is_current() {
    let generation = generate();
    let changes = output::plan(&workspace().join("generated"), &generation.files).unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale: {changes:?}; run `cargo xtask regenerate`"
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn file(path: &str, contents: &str) -> GeneratedFile {
    GeneratedFile {
        path: path.to_string(),
        contents: format!("{}\n{contents}", graph_codegen::emit::HEADER),
    }
}

#[test]
fn writing_creates_updates_and_removes_only_generated_files() {
    let dir = scratch("write-plan");
    let first = [file("src/a.rs", "a"), file("src/b.rs", "b")];
    let changes = output::plan(&dir, &first).unwrap();
    assert!(
        changes
            .iter()
            .all(|change| change.kind == ChangeKind::Create)
    );
    output::apply(&dir, &first, &changes).unwrap();
    fs::write(dir.join("src/hand_written.rs"), "// mine").unwrap();

    let second = [file("src/a.rs", "a2")];
    let changes = output::plan(&dir, &second).unwrap();
    let kinds: Vec<(&str, ChangeKind)> =
        changes.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("src/a.rs", ChangeKind::Update),
            ("src/b.rs", ChangeKind::Delete)
        ]
    );
    output::apply(&dir, &second, &changes).unwrap();

    assert!(
        fs::read_to_string(dir.join("src/a.rs"))
            .unwrap()
            .ends_with("a2")
    );
    assert!(!dir.join("src/b.rs").exists());
    assert_eq!(
        fs::read_to_string(dir.join("src/hand_written.rs")).unwrap(),
        "// mine"
    );
    assert!(output::plan(&dir, &second).unwrap().is_empty());
}

#[test]
fn a_failed_write_leaves_the_previous_output_intact() {
    let dir = scratch("write-atomic");
    let first = [file("src/a.rs", "old")];
    output::apply(&dir, &first, &output::plan(&dir, &first).unwrap()).unwrap();
    // `blocked` is a file, so `blocked/c.rs` cannot be staged: the whole write must back out.
    fs::write(dir.join("blocked"), "not a directory").unwrap();
    let second = [file("src/a.rs", "new"), file("blocked/c.rs", "c")];
    let changes = [
        output::Change {
            path: "src/a.rs".into(),
            kind: ChangeKind::Update,
        },
        output::Change {
            path: "blocked/c.rs".into(),
            kind: ChangeKind::Create,
        },
    ];
    assert!(output::apply(&dir, &second, &changes).is_err());

    assert!(
        fs::read_to_string(dir.join("src/a.rs"))
            .unwrap()
            .ends_with("old")
    );
    let leftovers: Vec<_> = fs::read_dir(dir.join("src"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["a.rs"], "no staged files are left behind");
}
