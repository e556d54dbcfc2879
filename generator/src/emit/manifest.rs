//! The emitted crate's `Cargo.toml`.

use std::collections::BTreeSet;

use super::{EmitOptions, TOML_HEADER};
use crate::model::Api;

pub fn manifest(options: &EmitOptions, apis: &[Api]) -> String {
    // One feature per API area (shared by all versions), all on by default.
    let areas: BTreeSet<String> = apis.iter().flat_map(Api::areas).collect();
    let default = areas
        .iter()
        .map(|area| format!("\"{area}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let features: String = areas.iter().map(|area| format!("{area} = []\n")).collect();
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
graph-runtime = {{ path = {runtime} }}
chrono = {{ version = "0.4", default-features = false, features = ["std", "serde"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[features]
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
