//! Lists the Cloud PKI certification authorities of a tenant with their display name and status.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-client --example list_authorities
//! GRAPH_TOKEN=x GRAPH_BASE_URL=http://127.0.0.1:8080 cargo run -p graph-client --example list_authorities
//! ```

use std::process::ExitCode;

use graph_client::beta::Client;
use graph_client::beta::intune::CloudCertificationAuthority;
use graph_client::{Error, StaticToken};

/// Every certification authority, across all pages.
pub async fn authorities(client: &Client) -> Result<Vec<CloudCertificationAuthority>, Error> {
    client
        .device_management()
        .cloud_certification_authority()
        .list()
        .collect_all()
        .await
}

/// One line per authority: display name and status (`-` when the service left one out).
pub fn describe(ca: &CloudCertificationAuthority) -> String {
    let status = ca
        .certification_authority_status
        .as_ref()
        .map_or("-", |status| status.as_str());
    format!("{}\t{status}", ca.display_name.as_deref().unwrap_or("-"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(token) = std::env::var("GRAPH_TOKEN")
        .ok()
        .filter(|token| !token.trim().is_empty())
    else {
        eprintln!(
            "list_authorities: set GRAPH_TOKEN to a Microsoft Graph access token \
             (and GRAPH_BASE_URL to use another service root than {})",
            Client::BASE_URL
        );
        return ExitCode::from(2);
    };
    let base_url = std::env::var("GRAPH_BASE_URL").unwrap_or_else(|_| Client::BASE_URL.into());
    let client = match Client::with_base_url(base_url, StaticToken::new(token)) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("list_authorities: {error}");
            return ExitCode::from(2);
        }
    };

    match authorities(&client).await {
        Ok(authorities) => {
            for ca in &authorities {
                println!("{}", describe(ca));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("list_authorities: {error}");
            ExitCode::FAILURE
        }
    }
}
