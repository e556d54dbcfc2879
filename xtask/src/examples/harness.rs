//! The harness crate: the generated crate, plus an example target (`check_calls`) that sends
//! every example's call to a loopback mock and prints what happened. Written, built and run
//! here; its records are read back by the checks in `mod.rs`.

use std::path::Path;
use std::process::Command;

use graph_codegen::emit::{self, EmitOptions, GeneratedFile};
use graph_codegen::model::Api;
use serde::Serialize;
use serde_json::Value;

/// One run of one example's call: the bodies it uses (the docs', or the lint's repair).
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// Index into `Api::examples`, which is also the index into the harness's `CASES`.
    pub case: usize,
    pub request_body: Option<String>,
    pub status: u16,
    pub response_body: Option<String>,
}

/// What the harness recorded for one run (see `xtask/harness/support.rs`).
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// `{"read": json}` or `{"error": message}`: the request body read into the call's type.
    pub request_body: Option<Value>,
    /// `{"method", "path", "query"}` of the built request.
    pub target: Option<Value>,
    /// The requests the mock received: `{"method", "path", "query", "body"}`.
    pub sent: Vec<Value>,
    /// The call's error, with its causes.
    pub error: Option<String>,
    /// What the call returned, as JSON.
    pub output: Option<Value>,
    /// Whether the harness answered for this run at all.
    pub answered: bool,
}

const MAIN: &str = include_str!("../../harness/main.rs");
const SUPPORT: &str = include_str!("../../harness/support.rs");

/// Writes the generated crate and the harness into `out`, builds it with the workspace's lock
/// file, runs every run, and returns the records in run order.
pub fn run(
    out: &Path,
    api: &Api,
    files: &[GeneratedFile],
    runs: &[Run],
) -> Result<Vec<Record>, String> {
    write(out, api, files, runs).map_err(|error| format!("writing {}: {error}", out.display()))?;
    crate::lockfile::pin(out)?;
    let root = crate::workspace_root();
    let output = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--locked",
            "--example",
            "check_calls",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .arg("--")
        .arg(out.join("examples/check_calls/runs.json"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|error| format!("running cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "the example harness failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected = format!("runs\t{}\t{}", runs.len(), api.examples.len());
    if stdout.lines().next() != Some(expected.as_str()) {
        return Err(format!(
            "the harness is not the one just written: it says `{}`, expected `{expected}`",
            stdout.lines().next().unwrap_or("")
        ));
    }
    let mut records = vec![Record::default(); runs.len()];
    for line in stdout.lines().skip(1) {
        let Ok(Value::Object(mut object)) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(slot) = object
            .get("run")
            .and_then(Value::as_u64)
            .and_then(|run| records.get_mut(run as usize))
        else {
            continue;
        };
        *slot = Record {
            request_body: object.remove("request_body"),
            target: object.remove("target"),
            sent: match object.remove("sent") {
                Some(Value::Array(sent)) => sent,
                _ => Vec::new(),
            },
            error: object
                .remove("error")
                .and_then(|error| error.as_str().map(str::to_string)),
            output: object.remove("output"),
            answered: true,
        };
    }
    Ok(records)
}

fn write(out: &Path, api: &Api, files: &[GeneratedFile], runs: &[Run]) -> std::io::Result<()> {
    let changes = graph_codegen::output::plan(out, files)?;
    graph_codegen::output::apply(out, files, &changes)?;
    let harness = out.join("examples/check_calls");
    std::fs::create_dir_all(&harness)?;
    let cases = emit::example_calls_file(api, "examples/check_calls/cases.rs".to_string());
    write_if_changed(&harness.join("cases.rs"), cases.contents.as_bytes())?;
    write_if_changed(&harness.join("main.rs"), MAIN.as_bytes())?;
    write_if_changed(&harness.join("support.rs"), SUPPORT.as_bytes())?;
    std::fs::write(harness.join("runs.json"), serde_json::to_string(runs)?)?;
    // Every generated crate is the package `graph_client 0.1.0`, and cargo keys a path
    // package's artifacts without its path: another tree's build in the same target dir looks
    // fresh to this one. Touching the sources makes cargo rebuild from these.
    touch_sources(out)
}

fn write_if_changed(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents)
}

fn touch_sources(dir: &Path) -> std::io::Result<()> {
    let now = std::time::SystemTime::now();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if path.file_name().is_none_or(|name| name != "target") {
                touch_sources(&path)?;
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "rs" || extension == "toml")
        {
            std::fs::File::options()
                .append(true)
                .open(&path)?
                .set_modified(now)?;
        }
    }
    Ok(())
}

/// The standalone crate the harness builds on.
pub fn crate_files(apis: &[Api]) -> Vec<GeneratedFile> {
    let options = EmitOptions {
        runtime_path: crate::workspace_root()
            .join("runtime")
            .to_string_lossy()
            .into_owned(),
        standalone: true,
    };
    emit::emit(apis, &options)
}
