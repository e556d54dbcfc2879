//! The Cloud PKI pages in `specs/`: enums come from their enum pages and agree with the
//! "Possible values" text of the seed, and every family page states the same facts as the
//! real page it was written from (`../shared/cloudpki`).

use std::path::{Path, PathBuf};

use graph_codegen::diagnostics::Code;
use graph_codegen::emit::EmitOptions;
use graph_codegen::model::Enum;
use graph_codegen::page::{self, TypeRef};
use serde_json::Value;

const SEED_FILE: &str =
    "beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md";
const STATUS_ENUM: &str = "cloudCertificationAuthorityLeafCertificateStatus";
const FAMILY_PREFIX: &str = "intune-cloudpkigraphservice-";

fn emit_options() -> EmitOptions {
    EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: false,
    }
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// The values of the seed's `certificateStatus` "Possible values are: `...`" list.
fn seed_status_values() -> Vec<String> {
    let source = std::fs::read_to_string(specs_dir().join(SEED_FILE))
        .expect("the seed page is checked in under specs/");
    let (page, _) = page::parse_page(SEED_FILE, &source);
    let body = page
        .method
        .and_then(|method| method.request_body)
        .expect("the seed has a request body table");
    let property = body
        .properties
        .into_iter()
        .find(|property| property.name == "certificateStatus")
        .expect("the seed's body lists certificateStatus");
    assert!(
        matches!(&property.type_ref, TypeRef::Named { name, .. } if name == STATUS_ENUM),
        "certificateStatus links to the {STATUS_ENUM} page: {:?}",
        property.type_ref
    );
    property.facts.possible_values
}

#[test]
fn seed_status_enum_comes_from_its_page_and_matches_the_possible_values() {
    let values = seed_status_values();
    // The backticked list, not the shorter prose list before it.
    assert_eq!(
        values,
        [
            "unknown",
            "active",
            "revoked",
            "expired",
            "unknownFutureValue"
        ]
    );

    let generation = graph_codegen::generate(&specs_dir(), &emit_options())
        .expect("the repository's specs generate");
    let api = generation
        .apis
        .iter()
        .find(|api| api.version == "beta")
        .expect("specs/ holds beta pages");
    let matching: Vec<&Enum> = api
        .enums
        .iter()
        .filter(|candidate| candidate.graph_name == STATUS_ENUM)
        .collect();
    let [status] = matching.as_slice() else {
        panic!(
            "expected exactly one {STATUS_ENUM} enum, found {}",
            matching.len()
        );
    };
    assert!(
        !status.inferred,
        "{STATUS_ENUM} must come from its enum page, not from the seed's description"
    );
    assert_eq!(
        status.source.file,
        "beta/resources/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificatestatus.md"
    );
    let members: Vec<&str> = status
        .members
        .iter()
        .map(|member| member.json_value.as_str())
        .collect();
    assert_eq!(members, values);

    let mismatches: Vec<String> = generation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::EnumMismatch)
        .map(ToString::to_string)
        .collect();
    assert!(
        mismatches.is_empty(),
        "no property's possible values may disagree with its enum page:\n{}",
        mismatches.join("\n")
    );
}

/// What a page states as facts, without its prose and example values: descriptions,
/// summaries, front-matter descriptions, body introductions, header values and examples
/// are the spec writer's own words; line numbers follow them.
fn facts_of(file: &str, source: &str) -> Value {
    let (page, _) = page::parse_page(file, source);
    let mut value = serde_json::to_value(&page).expect("a parsed page serialises");
    let object = value
        .as_object_mut()
        .expect("a page serialises to an object");
    object.remove("front_matter");
    object.remove("summary");
    if let Some(method) = object.get_mut("method").and_then(Value::as_object_mut) {
        method.remove("examples");
        if let Some(headers) = method.get_mut("request_headers") {
            let names: Vec<Value> = headers
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|header| header.get("name").cloned())
                .collect();
            *headers = Value::Array(names);
        }
        if let Some(body) = method
            .get_mut("request_body")
            .and_then(Value::as_object_mut)
        {
            body.remove("intro");
        }
    }
    strip(&mut value, &["description", "line", "body_line"]);
    value
}

fn strip(value: &mut Value, keys: &[&str]) {
    match value {
        Value::Object(object) => {
            for key in keys {
                object.remove(*key);
            }
            for child in object.values_mut() {
                strip(child, keys);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| strip(item, keys)),
        _ => {}
    }
}

/// Where two values first differ, as a JSON pointer, with both sides there.
fn first_difference(at: &str, ours: &Value, real: &Value) -> (String, String, String) {
    match (ours, real) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                if x != y {
                    return first_difference(&format!("{at}/{key}"), x, y);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                if x != y {
                    return first_difference(&format!("{at}/{index}"), x, y);
                }
            }
        }
        _ => {}
    }
    (at.to_string(), ours.to_string(), real.to_string())
}

#[test]
fn cloudpki_spec_pages_state_the_facts_of_the_real_pages() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/cloudpki");
    if !shared.is_dir() {
        println!(
            "SKIPPED: {} is absent, so the Cloud PKI spec pages cannot be compared with the real ones",
            shared.display()
        );
        return;
    }
    let mut compared = 0;
    let mut differences = Vec::new();
    for folder in ["api", "resources"] {
        let dir = specs_dir().join("beta").join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(FAMILY_PREFIX) && name.ends_with(".md"))
            .collect();
        names.sort();
        for name in names {
            let real = shared.join(folder).join(&name);
            let real = std::fs::read_to_string(&real).unwrap_or_else(|error| {
                panic!(
                    "{folder}/{name} is a Cloud PKI page with no counterpart in {}: {error}",
                    shared.display()
                )
            });
            let ours = std::fs::read_to_string(dir.join(&name)).expect("a spec page reads");
            let file = format!("beta/{folder}/{name}");
            let (ours, real) = (facts_of(&file, &ours), facts_of(&file, &real));
            if ours != real {
                let (at, spec, docs) = first_difference("", &ours, &real);
                differences.push(format!(
                    "{file} at {at}:\n  spec page: {spec}\n  real page: {docs}"
                ));
            }
            compared += 1;
        }
    }
    assert!(
        differences.is_empty(),
        "spec pages whose facts differ from the real page:\n{}",
        differences.join("\n")
    );
    // The seed page and the family pages written from the real ones.
    assert!(
        compared >= 19,
        "expected the seed and the 18 pages of the family's resources and deviceManagement share, compared {compared}"
    );
}
