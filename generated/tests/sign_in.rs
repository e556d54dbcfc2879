//! Sign-in and national clouds through the generated crate alone: `Client::for_cloud`, the
//! `client_credentials` and `device_code` examples against loopback servers, and the
//! re-exports an escape hatch needs.

#[allow(dead_code)] // its `main` is for `cargo run --example`
#[path = "../examples/client_credentials.rs"]
mod client_credentials;
#[allow(dead_code)]
#[path = "../examples/device_code.rs"]
mod device_code;

use std::collections::HashMap;

use graph_client::beta::Client;
use graph_client::{
    Collection, Error, HttpClient, Json, Method, NationalCloud, Redirect, Request, RequestPath,
    RetryPolicy, StaticToken,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CAS: &str = "/beta/deviceManagement/cloudCertificationAuthority";
const TOKEN: &str = "eyJ0.example-app-token";

#[test]
fn for_cloud_uses_each_clouds_graph() {
    let expected = [
        (NationalCloud::Global, "https://graph.microsoft.com/beta"),
        (NationalCloud::UsGovL4, "https://graph.microsoft.us/beta"),
        (
            NationalCloud::UsGovL5,
            "https://dod-graph.microsoft.us/beta",
        ),
        (
            NationalCloud::China,
            "https://microsoftgraph.chinacloudapi.cn/beta",
        ),
    ];
    for (cloud, base_url) in expected {
        let client = Client::for_cloud(cloud, StaticToken::new("t")).expect("client");
        assert_eq!(client.http().base_url(), base_url, "{cloud}");
    }
    assert_eq!(Client::VERSION, "beta");
    assert_eq!(
        Client::new(StaticToken::new("t"))
            .expect("client")
            .http()
            .base_url(),
        Client::BASE_URL
    );
}

/// The token endpoint and Graph on loopback; Graph answers only to the token issued.
async fn services() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contoso.com/oauth2/v2.0/token"))
        .and(wiremock::matchers::body_string_contains(
            "grant_type=client_credentials",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 3599, "access_token": TOKEN
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CAS))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1", "displayName": "Contoso Kiosk CA"}]
        })))
        .mount(&server)
        .await;
    server
}

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[tokio::test]
async fn the_client_credentials_example_signs_in_and_lists() {
    let server = services().await;
    let settings = client_credentials::Settings::from_env(env(&[
        ("GRAPH_TENANT_ID", "contoso.com"),
        ("GRAPH_CLIENT_ID", "app"),
        ("GRAPH_CLIENT_SECRET", "s3cret"),
        ("GRAPH_CLOUD", "usgov-l4"),
        ("GRAPH_BASE_URL", &format!("{}/beta", server.uri())),
        ("GRAPH_LOGIN_URL", &server.uri()),
    ]))
    .expect("settings");
    assert_eq!(settings.cloud, NationalCloud::UsGovL4);
    let names = client_credentials::run(&settings).await.expect("run");
    assert_eq!(names, ["Contoso Kiosk CA"]);
    let token_request = &server.received_requests().await.expect("recorded")[0];
    let body = String::from_utf8_lossy(&token_request.body);
    assert!(
        body.contains("scope=https%3A%2F%2Fgraph.microsoft.us%2F.default"),
        "the cloud's scope: {body}"
    );

    let missing = client_credentials::Settings::from_env(env(&[("GRAPH_TENANT_ID", "t")]));
    assert_eq!(missing.expect_err("no client id"), "set GRAPH_CLIENT_ID");
    let bad_cloud = client_credentials::Settings::from_env(env(&[
        ("GRAPH_TENANT_ID", "t"),
        ("GRAPH_CLIENT_ID", "c"),
        ("GRAPH_CLIENT_SECRET", "s"),
        ("GRAPH_CLOUD", "germany"),
    ]));
    assert!(bad_cloud.expect_err("unknown").contains("germany"));
}

#[tokio::test]
async fn the_device_code_example_signs_in_and_lists() {
    let server = services().await;
    Mock::given(path("/contoso.com/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": "dc", "user_code": "ABCD1234",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900, "interval": 0,
            "message": "enter ABCD1234 at https://microsoft.com/devicelogin"
        })))
        .mount(&server)
        .await;
    Mock::given(path("/contoso.com/oauth2/v2.0/token"))
        .and(wiremock::matchers::body_string_contains("device_code=dc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 3599, "access_token": TOKEN,
            "refresh_token": "r"
        })))
        .mount(&server)
        .await;
    let settings = device_code::Settings::from_env(env(&[
        ("GRAPH_TENANT_ID", "contoso.com"),
        ("GRAPH_CLIENT_ID", "app"),
        ("GRAPH_BASE_URL", &format!("{}/beta", server.uri())),
        ("GRAPH_LOGIN_URL", &server.uri()),
    ]))
    .expect("settings");
    let mut shown = String::new();
    let names = device_code::run(&settings, |prompt| shown = prompt.message.clone())
        .await
        .expect("run");
    assert_eq!(names, ["Contoso Kiosk CA"]);
    assert!(shown.contains("ABCD1234"), "{shown}");
    assert_eq!(
        device_code::Settings::from_env(env(&[("GRAPH_CLIENT_ID", "c")]))
            .expect("defaults")
            .tenant,
        "organizations"
    );
}

/// An escape hatch, written with nothing but `graph_client`: a request the builders do not
/// cover, a configured HTTP client, typed response kinds.
#[tokio::test]
async fn escape_hatches_need_only_the_generated_crate() {
    let server = MockServer::start().await;
    Mock::given(path("/beta/me/people"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "p"}]})))
        .mount(&server)
        .await;
    Mock::given(path("/beta/me/photo/$value"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "https://cdn.example/p"))
        .mount(&server)
        .await;

    let http = HttpClient::builder(format!("{}/beta", server.uri()), StaticToken::new("t"))
        .retry(RetryPolicy::none())
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .expect("http");
    let client = Client::from_http(http);
    let people: Vec<serde_json::Value> = Request::<Collection<serde_json::Value>>::new(
        client.http(),
        Method::GET,
        RequestPath::root().segment("me").segment("people"),
    )
    .collect_all()
    .await
    .expect("people");
    assert_eq!(people, [json!({"id": "p"})]);
    let photo: Redirect = Request::<Redirect>::new(
        client.http(),
        Method::GET,
        RequestPath::root()
            .segment("me")
            .segment("photo")
            .segment("$value"),
    )
    .await
    .expect("redirect");
    assert_eq!(photo.location, "https://cdn.example/p");
    let missing: Result<serde_json::Value, Error> = Request::<Json<serde_json::Value>>::new(
        client.http(),
        Method::GET,
        RequestPath::root().segment("nothing"),
    )
    .await;
    assert_eq!(
        missing.expect_err("404").status(),
        Some(graph_client::StatusCode::NOT_FOUND)
    );
}
