//! `cargo xtask examples DIR`: every example response in the docs whose response type is a
//! single resolved entity is deserialised into the generated type. Failures are reported as
//! diagnostics naming the page and line; the share that passes is the figure CI holds.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};

use graph_codegen::diagnostics::{Code, Diagnostic, Location};
use graph_codegen::emit::EmitOptions;
use graph_codegen::model::{Api, ModelRole};
use graph_codegen::page::TypeRef;

/// One example to check.
struct Case {
    file: String,
    line: usize,
    rust_type: String,
    body: String,
}

pub fn run(dir: &Path, out: &Path, min: f64, all: bool) -> ExitCode {
    let root = super::workspace_root();
    let options = EmitOptions {
        runtime_path: root.join("runtime").to_string_lossy().into_owned(),
        standalone: true,
    };
    let generation = match graph_codegen::generate(dir, &options) {
        Ok(generation) => generation,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let [api] = generation.apis.as_slice() else {
        eprintln!(
            "error: {} holds more than one version; pass one version's folder",
            dir.display()
        );
        return ExitCode::FAILURE;
    };
    let files = match graph_codegen::read_specs(dir) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {}: {error}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let cases = collect_cases(api, &graph_codegen::parse_files(&files));
    if let Err(error) = write_harness(out, &generation, &cases) {
        eprintln!("error: writing {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "checking {} examples (building the generated crate)...",
        cases.len()
    );
    let output = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--example",
            "check_examples",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            eprintln!(
                "error: the example checker failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("error: running cargo: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut passed = 0;
    let mut failures = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(verdict), Some(index)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Some(case) = index
            .parse::<usize>()
            .ok()
            .and_then(|index| cases.get(index))
        else {
            continue;
        };
        if verdict == "ok" {
            passed += 1;
        } else {
            failures.push(Diagnostic::new(
                Code::ExampleMismatch,
                Location {
                    file: case.file.clone(),
                    line: case.line,
                    column: 1,
                },
                format!(
                    "example response does not deserialise into `{}`: {}",
                    case.rust_type,
                    parts.next().unwrap_or("")
                ),
            ));
        }
    }
    let shown = if all {
        failures.len()
    } else {
        failures.len().min(30)
    };
    for failure in &failures[..shown] {
        eprintln!("{}", failure);
    }
    if shown < failures.len() {
        eprintln!(
            "... and {} more (--all shows every one)",
            failures.len() - shown
        );
    }
    let total = cases.len();
    let share = if total == 0 {
        1.0
    } else {
        passed as f64 / total as f64
    };
    println!(
        "{passed} of {total} example responses deserialise into their generated type ({:.1}%); {} failures, each located above",
        share * 100.0,
        failures.len()
    );
    if share < min {
        eprintln!(
            "error: {:.1}% is below the required {:.1}%",
            share * 100.0,
            min * 100.0
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Examples whose page returns a single entity that resolved to a generated struct.
fn collect_cases(api: &Api, results: &[graph_codegen::PageResult]) -> Vec<Case> {
    let mut cases = Vec::new();
    for page in results.iter().filter_map(|result| result.page.as_ref()) {
        let Some(method) = &page.method else { continue };
        let Some(TypeRef::Named { name, .. }) = method
            .response
            .as_ref()
            .and_then(|response| response.type_ref.as_ref())
        else {
            continue;
        };
        let Some(rust_type) = rust_type_for(api, name) else {
            continue;
        };
        for example in &method.examples {
            let Some(response) = &example.response else {
                continue;
            };
            let (Some(status), Some(body)) = (response.status, &response.body) else {
                continue;
            };
            if !(200..300).contains(&status) || !body.is_object() {
                continue;
            }
            cases.push(Case {
                file: page.file.clone(),
                line: response.body_line,
                rust_type: rust_type.clone(),
                body: body.text().to_string(),
            });
        }
    }
    cases
}

/// The generated type for a Graph type name: the polymorphic enum when the type has derived
/// types (an example may show one of them), else the struct.
fn rust_type_for(api: &Api, graph_name: &str) -> Option<String> {
    let bare = graph_name.rsplit('.').next().unwrap_or(graph_name);
    let model = api.models.iter().find(|model| {
        model.role == ModelRole::Resource && model.graph_name.eq_ignore_ascii_case(bare)
    })?;
    let path = api
        .polymorphic
        .iter()
        .find(|def| def.base.name == model.rust_name)
        .map(|def| (def.area.as_str(), def.rust_name.as_str()))
        .unwrap_or((model.area.as_str(), model.rust_name.as_str()));
    Some(format!(
        "graph_client::{}::{}::{}",
        api.module, path.0, path.1
    ))
}

fn write_harness(
    out: &Path,
    generation: &graph_codegen::Generation,
    cases: &[Case],
) -> std::io::Result<()> {
    let changes = graph_codegen::output::plan(out, &generation.files)?;
    graph_codegen::output::apply(out, &generation.files, &changes)?;
    let mut types: Vec<&str> = cases.iter().map(|case| case.rust_type.as_str()).collect();
    types.sort();
    types.dedup();
    let mut harness = String::from(
        "//! Written by `cargo xtask examples`: reads the cases, deserialises each into its type.\n\n\
         fn check(rust_type: &str, body: &str) -> Result<(), String> {\n    match rust_type {\n",
    );
    for rust_type in &types {
        let _ = writeln!(
            harness,
            "        {rust_type:?} => serde_json::from_str::<{rust_type}>(body).map(|_| ()).map_err(|error| error.to_string()),"
        );
    }
    harness.push_str(
        "        other => Err(format!(\"no type {other}\")),\n    }\n}\n\n\
         fn main() {\n    let cases: Vec<(String, String)> = serde_json::from_str(include_str!(\"cases.json\")).unwrap();\n    \
         for (index, (rust_type, body)) in cases.iter().enumerate() {\n        \
         match check(rust_type, body) {\n            Ok(()) => println!(\"ok\\t{index}\"),\n            \
         Err(error) => println!(\"err\\t{index}\\t{}\", error.replace(['\\t', '\\n'], \" \")),\n        }\n    }\n}\n",
    );
    let pairs: Vec<(&str, &str)> = cases
        .iter()
        .map(|case| (case.rust_type.as_str(), case.body.as_str()))
        .collect();
    let examples = out.join("examples");
    std::fs::create_dir_all(&examples)?;
    std::fs::write(examples.join("check_examples.rs"), harness)?;
    std::fs::write(examples.join("cases.json"), serde_json::to_string(&pairs)?)?;
    Ok(())
}
