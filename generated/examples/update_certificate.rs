//! Clears a leaf certificate's revocation date and renames its device, printing the result.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-client --example update_certificate -- <certificate-id>
//! ```

use graph_client::beta::Client;
use graph_client::beta::intune::CloudCertificationAuthorityLeafCertificateUpdate;
use graph_client::{Error, Patch, StaticToken};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "00000000-0000-0000-0000-000000000000".to_string());
    let token = std::env::var("GRAPH_TOKEN").unwrap_or_default();
    let client = Client::new(StaticToken::new(token))?;

    let changes = CloudCertificationAuthorityLeafCertificateUpdate {
        device_name: Patch::Set("kiosk-7".to_string()),
        revocation_date_time: Patch::Clear,
        ..Default::default()
    };
    let certificate = client
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item(&id)
        .update(&changes)
        .await?;
    // The service answers `204 No Content` unless asked for the object.
    match certificate {
        Some(certificate) => println!(
            "{:?} is {:?}",
            certificate.subject_name, certificate.certificate_status
        ),
        None => println!("updated"),
    }
    Ok(())
}
