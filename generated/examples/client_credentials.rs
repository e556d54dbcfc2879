//! Signs in as an app with a client secret (the client credentials grant) and lists the Cloud
//! PKI certification authorities of the tenant.
//!
//! ```sh
//! GRAPH_TENANT_ID=contoso.onmicrosoft.com GRAPH_CLIENT_ID=<app id> GRAPH_CLIENT_SECRET=<secret> \
//!     cargo run -p graph-client --example client_credentials
//! ```
//!
//! `GRAPH_CLOUD` picks a national cloud (`global`, `usgov-l4`, `usgov-l5`, `china`);
//! `GRAPH_BASE_URL` and `GRAPH_LOGIN_URL` point Graph and the sign-in service elsewhere, such
//! as test servers on loopback (`tests/sign_in.rs` runs [`run`] that way).

use std::process::ExitCode;

use graph_client::beta::Client;
use graph_client::credentials::ClientCredentials;
use graph_client::{Error, NationalCloud};

/// What the example needs to know, from the environment.
#[derive(Debug)]
pub struct Settings {
    pub tenant: String,
    pub client_id: String,
    pub client_secret: String,
    pub cloud: NationalCloud,
    /// Another Graph root than the cloud's, e.g. `http://127.0.0.1:8080/beta`.
    pub base_url: Option<String>,
    /// Another sign-in host than the cloud's, e.g. `http://127.0.0.1:8081`.
    pub login_url: Option<String>,
}

impl Settings {
    /// Reads `GRAPH_TENANT_ID`, `GRAPH_CLIENT_ID`, `GRAPH_CLIENT_SECRET` (required) and
    /// `GRAPH_CLOUD`, `GRAPH_BASE_URL`, `GRAPH_LOGIN_URL` through `var`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let required = |name: &str| var(name).ok_or_else(|| format!("set {name}"));
        Ok(Settings {
            tenant: required("GRAPH_TENANT_ID")?,
            client_id: required("GRAPH_CLIENT_ID")?,
            client_secret: required("GRAPH_CLIENT_SECRET")?,
            cloud: match var("GRAPH_CLOUD") {
                Some(name) => name.parse().map_err(|e| format!("GRAPH_CLOUD: {e}"))?,
                None => NationalCloud::Global,
            },
            base_url: var("GRAPH_BASE_URL"),
            login_url: var("GRAPH_LOGIN_URL"),
        })
    }
}

/// The client: app-only tokens from the cloud's sign-in service, for that cloud's Graph.
pub fn client(settings: &Settings) -> Result<Client, Error> {
    let mut tokens = ClientCredentials::new(
        &settings.tenant,
        &settings.client_id,
        &settings.client_secret,
    )
    .cloud(settings.cloud);
    if let Some(login_url) = &settings.login_url {
        tokens = tokens.login_url(login_url);
    }
    match &settings.base_url {
        Some(base_url) => Client::with_base_url(base_url, tokens),
        None => Client::for_cloud(settings.cloud, tokens),
    }
}

/// Signs in and returns the display name of every certification authority.
pub async fn run(settings: &Settings) -> Result<Vec<String>, Error> {
    let client = client(settings)?;
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
            eprintln!("client_credentials: {message} (see the example's documentation)");
            return ExitCode::from(2);
        }
    };
    match run(&settings).await {
        Ok(names) => {
            for name in names {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("client_credentials: {error}");
            ExitCode::FAILURE
        }
    }
}
