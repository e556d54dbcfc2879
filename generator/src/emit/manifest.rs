//! The emitted crate's `Cargo.toml`.

use super::{EmitOptions, TOML_HEADER};
use crate::model::{Api, Workload, WorkloadSet};

pub fn manifest(options: &EmitOptions, apis: &[Api]) -> String {
    // One feature per workload (shared by all versions), all on by default.
    let workloads: WorkloadSet = apis.iter().fold(WorkloadSet::default(), |all, api| {
        all.union(api.workloads())
    });
    let default = workloads
        .iter()
        .map(|workload| format!("\"{}\"", workload.name()))
        .collect::<Vec<_>>()
        .join(", ");
    let features: String = workloads
        .iter()
        .map(|workload| format!("# {}\n{} = []\n", workload.summary(), workload.name()))
        .collect();
    let example = workloads.iter().next().map_or("users", Workload::name);
    let runtime = toml_string(&options.runtime_path);
    let workspace = if options.standalone {
        "\n# Built on its own, outside the generator's workspace.\n[workspace]\n"
    } else {
        ""
    };
    format!(
        r#"{TOML_HEADER}

[package]
name = "graph-client"
version = "0.1.0"
description = "A typed Microsoft Graph client generated from the Graph reference pages"
edition = "2024"
rust-version = "1.95"
license = "MIT"
publish = false

[dependencies]
# The hand-written HTTP runtime, by path: relative when the crate is generated inside a checkout
# of graph-docgen. To build the crate somewhere else, point this at a copy of that repository's
# `runtime/` folder (`path = "…"`), or at the repository itself
# (`git = "<its URL>"`: cargo finds the `graph-runtime` package in it).
graph-runtime = {{ path = {runtime} }}
chrono = {{ version = "0.4", default-features = false, features = ["std", "serde"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[features]
# One feature per workload, named after what an application does; all on by default. To build
# fewer endpoints and types: `default-features = false, features = ["{example}", …]`. Each
# compiles the endpoints under its paths and every type they reach (`graph_client::features`).
default = [{default}]
{features}# Sign in with any `azure_identity` credential (`credentials::AzureIdentity`).
azure-identity = ["graph-runtime/azure-identity"]

[dev-dependencies]
futures-util = "0.3"
percent-encoding = "2"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
wiremock = "0.6"
{workspace}"#
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}
