//! `AzureIdentity`: an azure_core `TokenCredential` as the runtime's token provider
//! (feature `azure-identity`).
//!
//! azure_identity refuses an authority host that is not `https`, so no azure_identity
//! credential can be pointed at a loopback token endpoint; the credential here is a fake
//! that records what it was asked, and Graph is wiremock.
#![cfg(feature = "azure-identity")]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use graph_runtime::credentials::AzureIdentity;
use graph_runtime::credentials::azure_core::credentials::{
    AccessToken, TokenCredential, TokenRequestOptions,
};
use graph_runtime::credentials::azure_core::time::{Duration, OffsetDateTime};
use graph_runtime::credentials::azure_core::{self, error::ErrorKind};
use graph_runtime::{
    Error, HttpClient, Json, Method, NationalCloud, Request, RequestPath, TokenProvider,
};
use serde_json::json;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "eyJ0.azure-identity-token";

#[derive(Debug, Default)]
struct FakeCredential {
    calls: AtomicUsize,
    scopes: std::sync::Mutex<Vec<String>>,
    fail: bool,
}

/// `#[async_trait]`'s expansion of `TokenCredential::get_token`, written out so the tests
/// need no proc-macro crate of their own.
impl TokenCredential for FakeCredential {
    fn get_token<'a, 'b, 'c, 'd, 'f>(
        &'a self,
        scopes: &'b [&'c str],
        _options: Option<TokenRequestOptions<'d>>,
    ) -> Pin<Box<dyn Future<Output = azure_core::Result<AccessToken>> + Send + 'f>>
    where
        'a: 'f,
        'b: 'f,
        'c: 'f,
        'd: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            *self.scopes.lock().expect("scopes") = scopes.iter().map(|s| s.to_string()).collect();
            if self.fail {
                return Err(azure_core::Error::with_message(
                    ErrorKind::Credential,
                    "ManagedIdentityCredential authentication failed. no IMDS endpoint",
                ));
            }
            Ok(AccessToken::new(
                TOKEN.to_owned(),
                OffsetDateTime::now_utc() + Duration::seconds(3600),
            ))
        })
    }
}

#[tokio::test]
async fn asks_the_credential_for_the_clouds_default_scope_once() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
        .expect(2)
        .mount(&server)
        .await;
    let credential = Arc::new(FakeCredential::default());
    let tokens = AzureIdentity::new(credential.clone()).cloud(NationalCloud::UsGovL5);
    assert_eq!(
        tokens.requested_scopes(),
        ["https://dod-graph.microsoft.us/.default"]
    );
    let http = HttpClient::new(format!("{}/v1.0", server.uri()), tokens.clone()).expect("client");
    for _ in 0..2 {
        Request::<Json<serde_json::Value>>::new(
            &http,
            Method::GET,
            RequestPath::root().segment("me"),
        )
        .await
        .expect("call");
    }
    assert_eq!(credential.calls.load(Ordering::SeqCst), 1, "cached");
    assert_eq!(
        *credential.scopes.lock().expect("scopes"),
        ["https://dod-graph.microsoft.us/.default"]
    );
    assert!(!format!("{tokens:?}").contains(TOKEN));
    assert!(!format!("{http:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_credential_error_is_a_token_error_that_says_why() {
    let tokens = AzureIdentity::new(Arc::new(FakeCredential {
        fail: true,
        ..Default::default()
    }));
    let err = tokens.token().await.expect_err("fails");
    assert!(matches!(err, Error::Token(_)), "{err:?}");
    assert!(
        err.to_string().contains("no IMDS endpoint"),
        "the credential's message is shown: {err}"
    );
}

#[test]
fn clouds_map_to_azure_core_cloud_configurations() {
    use azure_core::cloud::CloudConfiguration;
    let configuration = |cloud: NationalCloud| format!("{:?}", cloud.azure_cloud_configuration());
    assert_eq!(
        configuration(NationalCloud::Global),
        format!("{:?}", CloudConfiguration::AzurePublic)
    );
    assert_eq!(
        configuration(NationalCloud::UsGovL4),
        format!("{:?}", CloudConfiguration::AzureGovernment)
    );
    assert_eq!(
        configuration(NationalCloud::UsGovL5),
        format!("{:?}", CloudConfiguration::AzureGovernment)
    );
    assert_eq!(
        configuration(NationalCloud::China),
        format!("{:?}", CloudConfiguration::AzureChina)
    );
}
