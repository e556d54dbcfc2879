//! Counts the leaf certificates of every Cloud PKI certification authority with JSON batching: one
//! `$batch` request asks for up to 20 authorities' certificates, and each answer comes back as its
//! own request's typed result.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-client --example batch_leaf_certificates
//! GRAPH_TOKEN=x GRAPH_BASE_URL=http://127.0.0.1:8080 cargo run -p graph-client --example batch_leaf_certificates
//! ```

use std::process::ExitCode;

use graph_client::Batch;
use graph_client::beta::Client;
use graph_client::beta::intune::{
    CloudCertificationAuthority, CloudCertificationAuthorityLeafCertificate as LeafCertificate,
};
use graph_client::{Error, Page, StaticToken};

/// An authority and the first page of its leaf certificates, or why that page is missing.
#[derive(Debug)]
pub struct AuthorityCertificates {
    /// The certification authority.
    pub authority: CloudCertificationAuthority,
    /// Its leaf certificates' first page, or this request's own failure.
    pub certificates: Result<Page<LeafCertificate>, Error>,
}

/// Every certification authority with the first page of its leaf certificates, fetched in
/// batches; one authority's failure is only its own.
pub async fn leaf_certificates(client: &Client) -> Result<Vec<AuthorityCertificates>, Error> {
    let authorities = client.device_management().cloud_certification_authority();
    let all = authorities.list().collect_all().await?;

    // The generated endpoints' requests go into the batch as they are.
    let mut batch = Batch::new(client.http());
    let keys: Vec<_> = all
        .iter()
        .map(|ca| {
            let id = ca.id.as_deref().unwrap_or_default();
            let leaves = authorities
                .item(id)
                .cloud_certification_authority_leaf_certificate();
            batch.add(leaves.list())
        })
        .collect();
    let mut answers = batch.send().await;

    // Each key takes its own answer, typed as its request's: here a `Page<LeafCertificate>`.
    Ok(all
        .into_iter()
        .zip(keys)
        .map(|(authority, key)| AuthorityCertificates {
            certificates: answers.take(key),
            authority,
        })
        .collect())
}

/// One line per authority: its display name and how many leaf certificates its first page has
/// (or the error).
pub fn describe(entry: &AuthorityCertificates) -> String {
    let name = entry.authority.display_name.as_deref().unwrap_or("-");
    match &entry.certificates {
        Ok(page) if page.next_link.is_some() => {
            format!(
                "{name}\t{} leaf certificates on the first page",
                page.value.len()
            )
        }
        Ok(page) => format!("{name}\t{} leaf certificates", page.value.len()),
        Err(error) => format!("{name}\t{error}"),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(token) = std::env::var("GRAPH_TOKEN")
        .ok()
        .filter(|token| !token.trim().is_empty())
    else {
        eprintln!(
            "batch_leaf_certificates: set GRAPH_TOKEN to a Microsoft Graph access token \
             (and GRAPH_BASE_URL to use another service root than {})",
            Client::BASE_URL
        );
        return ExitCode::from(2);
    };
    let base_url = std::env::var("GRAPH_BASE_URL").unwrap_or_else(|_| Client::BASE_URL.into());
    let client = match Client::with_base_url(base_url, StaticToken::new(token)) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("batch_leaf_certificates: {error}");
            return ExitCode::from(2);
        }
    };

    match leaf_certificates(&client).await {
        Ok(entries) => {
            for entry in &entries {
                println!("{}", describe(entry));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("batch_leaf_certificates: {error}");
            ExitCode::FAILURE
        }
    }
}
