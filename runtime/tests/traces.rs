//! Tracing: what a request and a sign-in record, and that no token, secret or code is ever
//! in a span or an event.
//!
//! Its own test binary, and every test installs the capturing subscriber first: tracing
//! caches per call site whether anyone listens, and a call site first reached on a thread
//! without a subscriber while another thread installs one can be cached as "never".

mod captured;

use std::time::Duration;

use captured::Captured;
use graph_runtime::credentials::{ClientCredentials, DeviceCode};
use graph_runtime::{
    HttpClient, Json, Method, Request, RequestPath, RetryPolicy, StaticToken, TokenProvider,
};
use serde_json::json;
use wiremock::matchers::{body_string_contains, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "production-secret-token-4f8e";
const SECRET: &str = "client-secret-Zx8~q";
const ACCESS: &str = "eyJ0.access-token-one";
const REFRESH: &str = "refresh-token-AwABAAAA";
const DEVICE_CODE: &str = "GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8";

fn client(base: &str) -> HttpClient {
    HttpClient::builder(base, StaticToken::new(TOKEN))
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

#[tokio::test]
async fn requests_are_traced_without_the_token() {
    let (captured, _guard) = Captured::install();
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/users/alice%40contoso.com"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0.05"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/users/alice%40contoso.com"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req-42")
                .set_body_json(json!({"id": "1"})),
        )
        .mount(&server)
        .await;
    let http = client(&format!("{}/v1.0", server.uri()));
    let path = RequestPath::root()
        .segment("users")
        .parameter("user-id", "alice@contoso.com");
    Request::<Json<serde_json::Value>>::new(&http, Method::GET, path)
        .await
        .expect("retried");

    let text = captured.text();
    for expected in [
        "span graph.request: method=GET path=/users/{user-id} client_request_id=",
        " attempts=2",
        " status=429",
        " status=200",
        " request_id=req-42",
        " wait_ms=50",
        " throttled_ms=50",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(
        !text.contains("alice@contoso.com"),
        "ids stay out of traces:\n{text}"
    );
    assert!(
        !text.contains(TOKEN),
        "the token leaked into a trace:\n{text}"
    );
}

#[tokio::test]
async fn sign_in_is_traced_without_secrets() {
    let (captured, _guard) = Captured::install();
    let server = MockServer::start().await;
    let token_path = "/contoso.com/oauth2/v2.0/token";
    Mock::given(path("/contoso.com/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": DEVICE_CODE, "user_code": "ABCD1234",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900, "interval": 0, "message": "enter ABCD1234"
        })))
        .mount(&server)
        .await;
    Mock::given(path(token_path))
        .and(body_string_contains("device_code"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "authorization_pending", "error_description": "AADSTS70016: pending"
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // A 1-second token: the next request after half a second refreshes it.
    Mock::given(path(token_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 1, "access_token": ACCESS,
            "refresh_token": REFRESH
        })))
        .mount(&server)
        .await;

    let app = ClientCredentials::new("contoso.com", "app", SECRET).login_url(server.uri());
    app.token().await.expect("app token");
    let user = DeviceCode::new("contoso.com", "app")
        .login_url(server.uri())
        .sign_in(|_| {})
        .await
        .expect("signed in");
    tokio::time::sleep(Duration::from_millis(600)).await;
    user.token().await.expect("refreshed");

    let text = captured.text();
    for expected in [
        "span graph.sign_in: grant_type=client_credentials",
        "span graph.sign_in: grant_type=urn:ietf:params:oauth:grant-type:device_code",
        "span graph.sign_in: grant_type=refresh_token",
        " status=400",
        " error=authorization_pending",
        " status=200",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    for secret in [SECRET, ACCESS, REFRESH, DEVICE_CODE] {
        assert!(!text.contains(secret), "{secret} in a trace:\n{text}");
    }
}
