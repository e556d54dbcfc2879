//! A Cloud PKI round trip with the generated client: list the certification authorities, create
//! one, pause it, page through its leaf certificates and revoke the first active one.
//!
//! This changes the tenant it runs against: use a test tenant, or point `GRAPH_BASE_URL` at a
//! mock server. `tests/flow.rs` runs [`flow`] against wiremock serving the docs' examples, and
//! the README quotes it.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-client --example cloud_pki_flow
//! GRAPH_TOKEN=x GRAPH_BASE_URL=http://127.0.0.1:8080 cargo run -p graph-client --example cloud_pki_flow
//! ```

use futures_util::TryStreamExt;
use graph_client::beta::Client;
use graph_client::beta::intune::{
    ChangeCloudCertificationAuthorityStatusActionRequest, CloudCertificationAuthority,
    CloudCertificationAuthorityCertificateKeySize as KeySize,
    CloudCertificationAuthorityHashingAlgorithm as Hashing,
    CloudCertificationAuthorityKeyPlatformType as KeyPlatform,
    CloudCertificationAuthorityLeafCertificate as LeafCertificate,
    CloudCertificationAuthorityLeafCertificateStatus as LeafStatus,
    CloudCertificationAuthorityStatus as Status, CloudCertificationAuthorityType as Kind,
    CreateCloudCertificationAuthorityRequest, RevokeLeafCertificateActionRequest,
};
use graph_client::{Error, StaticToken};

/// What [`flow`] saw and changed.
#[derive(Debug)]
pub struct FlowReport {
    /// The certification authorities that existed before the flow ran.
    pub existing: Vec<CloudCertificationAuthority>,
    /// The certification authority the flow created, as the service answered.
    pub created: CloudCertificationAuthority,
    /// The same authority after the status change.
    pub paused: CloudCertificationAuthority,
    /// How many pages of leaf certificates the service returned.
    pub pages: usize,
    /// Leaf certificates seen across all pages.
    pub leaf_certificates: usize,
    /// The leaf certificate the flow revoked, if an active one was found.
    pub revoked: Option<LeafCertificate>,
}

/// Lists, creates, pauses, pages and revokes; stops at the first error.
pub async fn flow(client: &Client) -> Result<FlowReport, Error> {
    let authorities = client.device_management().cloud_certification_authority();

    // Every certification authority (`collect_all` follows `@odata.nextLink`).
    let existing = authorities.list().collect_all().await?;

    // A new issuing CA; unset fields are left out of the request body.
    let created = authorities
        .create(&CreateCloudCertificationAuthorityRequest {
            display_name: Some("Contoso Kiosk CA".to_string()),
            description: Some("Issues certificates to the shop-floor kiosks.".to_string()),
            cloud_certification_authority_type: Some(Kind::IssuingCertificationAuthority),
            common_name: Some("Contoso Kiosk CA".to_string()),
            organization_name: Some("Contoso".to_string()),
            country_name: Some("NZ".to_string()),
            validity_period_in_years: Some(6),
            certificate_key_size: Some(KeySize::Rsa4096),
            cloud_certification_authority_hashing_algorithm: Some(Hashing::Sha384),
            key_platform: Some(KeyPlatform::HardwareSecurityModule),
            ..Default::default()
        })
        .await?;
    // An id the service left out would be empty: refused before anything is sent.
    let ca = authorities.item(created.id.as_deref().unwrap_or_default());

    // Pause it: it stops signing until it is made active again.
    let paused = ca
        .change_cloud_certification_authority_status(
            &ChangeCloudCertificationAuthorityStatusActionRequest {
                certification_authority_status: Some(Status::Paused),
                certification_authority_version: created.version_number,
                ..Default::default()
            },
        )
        .await?;

    // Its leaf certificates, one page at a time; remember the first active one.
    let mut pages = ca
        .cloud_certification_authority_leaf_certificate()
        .list()
        .pages();
    let (mut page_count, mut leaf_certificates, mut active) = (0, 0, None);
    while let Some(page) = pages.try_next().await? {
        page_count += 1;
        leaf_certificates += page.value.len();
        active = active.or_else(|| {
            page.value
                .into_iter()
                .find(|leaf| leaf.certificate_status == Some(LeafStatus::Active))
        });
    }

    // Revoke it.
    let revoked = match active.and_then(|leaf| leaf.id) {
        Some(leaf_id) => Some(
            ca.revoke_leaf_certificate(&RevokeLeafCertificateActionRequest {
                leaf_certificate_id: Some(leaf_id),
                ..Default::default()
            })
            .await?,
        ),
        None => None,
    };

    Ok(FlowReport {
        existing,
        created,
        paused,
        pages: page_count,
        leaf_certificates,
        revoked,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Some(token) = std::env::var("GRAPH_TOKEN")
        .ok()
        .filter(|token| !token.trim().is_empty())
    else {
        eprintln!(
            "cloud_pki_flow: set GRAPH_TOKEN to a Microsoft Graph access token \
             (and GRAPH_BASE_URL to use another service root than {})",
            Client::BASE_URL
        );
        return std::process::ExitCode::from(2);
    };
    let base_url = std::env::var("GRAPH_BASE_URL").unwrap_or_else(|_| Client::BASE_URL.into());
    let client = match Client::with_base_url(base_url, StaticToken::new(token)) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cloud_pki_flow: {error}");
            return std::process::ExitCode::from(2);
        }
    };

    match flow(&client).await {
        Ok(report) => {
            println!("{} certification authorities before", report.existing.len());
            println!(
                "created {:?} ({:?}), now {:?}",
                report.created.display_name.unwrap_or_default(),
                report.created.id.unwrap_or_default(),
                report.paused.certification_authority_status,
            );
            println!(
                "{} leaf certificates on {} pages",
                report.leaf_certificates, report.pages
            );
            match report.revoked {
                Some(leaf) => println!(
                    "revoked {} ({:?})",
                    leaf.subject_name.unwrap_or_default(),
                    leaf.certificate_status
                ),
                None => println!("no active leaf certificate to revoke"),
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cloud_pki_flow: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
