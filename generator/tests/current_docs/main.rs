//! Today's docs layout and page forms (issue 17), each on a small tree of pages written for
//! these tests in the docs' format: facts may mirror real pages, the words are ours. Every
//! test goes through the whole chain (tree reader, parser, resolver, emitter) the way
//! `cargo xtask regenerate` does.

mod areas;
mod bodies;
mod dictionary;
mod enums;
mod examples;
mod filters;
mod functions;
mod permissions;
mod sample;

use std::path::{Path, PathBuf};

use graph_codegen::Generation;
use graph_codegen::diagnostics::{Code, Diagnostic};
use graph_codegen::emit::EmitOptions;
use graph_codegen::model::{Api, Operation};

/// Writes `files` (path relative to the specs root, contents) under a fresh folder named
/// `name` and generates from it.
pub fn generate(name: &str, files: &[(&str, &str)]) -> Generation {
    let root = specs_tree(name, files);
    let options = EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: false,
    };
    graph_codegen::generate(&root, &options).expect("the tree generates")
}

/// A fresh specs tree holding `files`.
pub fn specs_tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("current_docs")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("files sit in folders")).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    root
}

/// The one API version the tree holds.
pub fn api(generation: &Generation) -> &Api {
    assert_eq!(generation.apis.len(), 1, "one version");
    &generation.apis[0]
}

/// The operation `method template`.
pub fn operation<'a>(api: &'a Api, method: &str, template: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|operation| operation.method.as_str() == method && operation.template() == template)
        .unwrap_or_else(|| {
            let all: Vec<String> = api
                .operations
                .iter()
                .map(|operation| format!("{} {}", operation.method.as_str(), operation.template()))
                .collect();
            panic!("no {method} {template} among {all:#?}")
        })
}

/// `(code, file, line)` of the diagnostics with `code`.
pub fn found(generation: &Generation, code: Code) -> Vec<(String, usize)> {
    generation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == code)
        .map(|diagnostic| (diagnostic.file.clone(), diagnostic.line))
        .collect()
}

/// Every diagnostic, one per line, for assertion messages.
pub fn listed(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The contents of the emitted file at `path`.
pub fn emitted<'g>(generation: &'g Generation, path: &str) -> &'g str {
    &generation
        .files
        .iter()
        .find(|file| file.path == path)
        .unwrap_or_else(|| panic!("no emitted file {path}"))
        .contents
}

/// `contents` with each paragraph of `///` doc lines joined into one line, so a test can look
/// for a sentence wherever the emitter wrapped it.
pub fn unwrapped_docs(contents: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_paragraph = false;
    for line in contents.lines() {
        match line.trim_start().strip_prefix("///").map(str::trim) {
            Some(text) if in_paragraph && !text.is_empty() => {
                let last = lines.last_mut().expect("a paragraph has a first line");
                last.push(' ');
                last.push_str(text);
            }
            Some(text) => {
                lines.push(format!("/// {text}"));
                in_paragraph = !text.is_empty();
            }
            None => {
                lines.push(line.to_string());
                in_paragraph = false;
            }
        }
    }
    lines.join("\n")
}

/// A resource page for `name` (`widget`) with the given property rows.
pub fn resource_page(name: &str, rows: &str) -> String {
    format!(
        "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\nNamespace: microsoft.graph\n\nA thing kept in a workshop.\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}\n"
    )
}
