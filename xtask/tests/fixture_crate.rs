//! Generates a crate from the emitter fixtures (generator/tests/fixtures/emit), then compiles
//! and tests it twice: with every feature, and with its one workload alone (`other`: no
//! workload places `/zoos`), which must still compile the types the zoo names from other
//! areas. This is where polymorphic dispatch and flags sets are checked as running code.

use std::path::Path;
use std::process::Command;

fn run(command: &mut Command) -> String {
    let output = command.output().expect("the command runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

#[test]
fn fixture_crate_compiles_without_warnings_and_behaves() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crate");
    let _ = std::fs::remove_dir_all(&out);
    let specs = workspace.join("generator/tests/fixtures/emit/v1.0");
    run(Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regenerate", "--locked", "--specs"])
        .arg(&specs)
        .arg("--out")
        .arg(&out));
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::copy(
        workspace.join("xtask/tests/fixture/polymorphic.rs"),
        out.join("tests/polymorphic.rs"),
    )
    .unwrap();
    // `regenerate --locked` gave the crate the workspace's lock file and `cargo --locked` holds
    // it to it, so the result never depends on what the registry published today.
    // Its own target directory: the outer `cargo test` holds the workspace's.
    let target = workspace.join("target/fixture-crate");
    for features in [
        &[][..],
        &["--no-default-features", "--features", "other"][..],
    ] {
        let text = run(Command::new(env!("CARGO"))
            .args(["test", "--locked", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .args(features)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings"));
        assert!(
            text.contains("test result: ok. 4 passed"),
            "{features:?}:\n{text}"
        );
    }
}
