//! Signs a user in with a device code (they enter a short code at
//! https://microsoft.com/devicelogin on any device) and lists the Cloud PKI certification
//! authorities as that user.
//!
//! ```sh
//! GRAPH_CLIENT_ID=<app id of a public client app> cargo run -p graph-client --example device_code
//! ```
//!
//! `GRAPH_TENANT_ID` defaults to `organizations` (any work or school account); `GRAPH_CLOUD`,
//! `GRAPH_BASE_URL` and `GRAPH_LOGIN_URL` as in the `client_credentials` example
//! (`tests/sign_in.rs` runs [`run`] against loopback servers).

use std::process::ExitCode;

use graph_client::beta::Client;
use graph_client::credentials::{DeviceCode, DeviceCodePrompt};
use graph_client::{Error, NationalCloud};

/// What the example needs to know, from the environment.
#[derive(Debug)]
pub struct Settings {
    pub tenant: String,
    pub client_id: String,
    pub cloud: NationalCloud,
    pub base_url: Option<String>,
    pub login_url: Option<String>,
}

impl Settings {
    /// Reads `GRAPH_CLIENT_ID` (required), `GRAPH_TENANT_ID`, `GRAPH_CLOUD`,
    /// `GRAPH_BASE_URL` and `GRAPH_LOGIN_URL` through `var`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        Ok(Settings {
            tenant: var("GRAPH_TENANT_ID").unwrap_or_else(|| "organizations".to_owned()),
            client_id: var("GRAPH_CLIENT_ID").ok_or("set GRAPH_CLIENT_ID")?,
            cloud: match var("GRAPH_CLOUD") {
                Some(name) => name.parse().map_err(|e| format!("GRAPH_CLOUD: {e}"))?,
                None => NationalCloud::Global,
            },
            base_url: var("GRAPH_BASE_URL"),
            login_url: var("GRAPH_LOGIN_URL"),
        })
    }
}

/// Signs the user in (showing `prompt` what to do), then returns the display name of every
/// certification authority they can see.
pub async fn run(
    settings: &Settings,
    prompt: impl FnOnce(&DeviceCodePrompt),
) -> Result<Vec<String>, Error> {
    let mut flow = DeviceCode::new(&settings.tenant, &settings.client_id).cloud(settings.cloud);
    if let Some(login_url) = &settings.login_url {
        flow = flow.login_url(login_url);
    }
    let tokens = flow.sign_in(prompt).await?;
    let client = match &settings.base_url {
        Some(base_url) => Client::with_base_url(base_url, tokens)?,
        None => Client::for_cloud(settings.cloud, tokens)?,
    };
    let authorities = client
        .device_management()
        .cloud_certification_authority()
        .list()
        .collect_all()
        .await?;
    Ok(authorities
        .into_iter()
        .map(|ca| ca.display_name.unwrap_or_else(|| "-".to_owned()))
        .collect())
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env(|name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("device_code: {message} (see the example's documentation)");
            return ExitCode::from(2);
        }
    };
    match run(&settings, |prompt| eprintln!("{}", prompt.message)).await {
        Ok(names) => {
            for name in names {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("device_code: {error}");
            ExitCode::FAILURE
        }
    }
}
