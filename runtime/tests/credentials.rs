//! Sign-in flows end to end against a loopback token endpoint (wiremock): the request
//! bodies the Microsoft identity platform documents, caching and refresh, refusals as
//! typed errors, one refresh for 50 concurrent calls, and no secret in `Debug` or `Display`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use graph_runtime::credentials::{
    AuthorizationCode, ClientCredentials, DeviceCode, RefreshToken, UserTokens,
};
use graph_runtime::{
    Error, HttpClient, Json, Method, NationalCloud, Request, RequestPath, TokenProvider,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
const SECRET: &str = "client-secret-Zx8~q";
const ACCESS: &str = "eyJ0.access-token-one";
const ACCESS_2: &str = "eyJ0.access-token-two";
const REFRESH: &str = "refresh-token-AwABAAAA";
const REFRESH_2: &str = "refresh-token-rotated";
const DEVICE_CODE: &str = "GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8";

const TOKEN_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";
const DEVICE_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/devicecode";

/// The form fields of a recorded `application/x-www-form-urlencoded` request.
fn form(request: &Received) -> BTreeMap<String, String> {
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    let body = std::str::from_utf8(&request.body).expect("utf-8");
    body.split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').expect("key=value");
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8()
                    .expect("utf-8")
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn token_requests(server: &MockServer) -> Vec<BTreeMap<String, String>> {
    server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|request| request.url.path() == TOKEN_PATH)
        .map(form)
        .collect()
}

fn token_answer(access: &str, expires_in: u64, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({
        "token_type": "Bearer",
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": access,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
        body["scope"] = json!("https://graph.microsoft.com/User.Read");
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn refusal(status: u16, error: &str, code: u64) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": error,
        "error_description": format!("AADSTS{code}: refused for the test.\r\nTrace ID: 255d1aef\r\nCorrelation ID: fb3d2015\r\nTimestamp: 2024-01-09 02:02:12Z"),
        "error_codes": [code],
        "timestamp": "2024-01-09 02:02:12Z",
        "trace_id": "255d1aef-8c98-452f-ac51-23d051240864",
        "correlation_id": "fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7"
    }))
}

/// A Graph `GET /v1.0/me` that answers only to `Bearer {token}`.
async fn graph_accepting(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
        .mount(server)
        .await;
}

async fn me(http: &HttpClient) -> Result<serde_json::Value, Error> {
    Request::<Json<serde_json::Value>>::new(http, Method::GET, RequestPath::root().segment("me"))
        .await
}

fn graph(server: &MockServer, tokens: impl TokenProvider + 'static) -> HttpClient {
    HttpClient::new(format!("{}/v1.0", server.uri()), tokens).expect("client")
}

#[tokio::test]
async fn client_credentials_end_to_end() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS, 3599, None))
        .mount(&server)
        .await;
    graph_accepting(&server, ACCESS).await;

    let tokens = ClientCredentials::new(TENANT, CLIENT_ID, SECRET).login_url(server.uri());
    assert_eq!(
        tokens.token_url().expect("url"),
        format!("{}{TOKEN_PATH}", server.uri())
    );
    let http = graph(&server, tokens);
    assert_eq!(me(&http).await.expect("first call"), json!({"id": "me"}));
    assert_eq!(me(&http).await.expect("second call"), json!({"id": "me"}));

    // One token request, as documented: client_id, the /.default scope, the secret, the grant.
    let requests = token_requests(&server).await;
    assert_eq!(
        requests,
        vec![fields(&[
            ("client_id", CLIENT_ID),
            ("scope", "https://graph.microsoft.com/.default"),
            ("client_secret", SECRET),
            ("grant_type", "client_credentials"),
        ])],
        "one token request for two calls"
    );
}

#[tokio::test]
async fn an_expiring_token_is_refreshed() {
    let server = MockServer::start().await;
    // A 1-second token (refreshed after half its life), then a long one.
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS, 1, None))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS_2, 3599, None))
        .mount(&server)
        .await;
    graph_accepting(&server, ACCESS).await;
    graph_accepting(&server, ACCESS_2).await;

    let tokens = ClientCredentials::new(TENANT, CLIENT_ID, SECRET).login_url(server.uri());
    assert_eq!(tokens.token().await.expect("first").secret(), ACCESS);
    assert_eq!(tokens.token().await.expect("cached").secret(), ACCESS);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let http = graph(&server, tokens.clone());
    me(&http).await.expect("with the refreshed token");
    assert_eq!(tokens.token().await.expect("refreshed").secret(), ACCESS_2);
    assert_eq!(token_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_refused_sign_in_is_a_typed_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(refusal(401, "invalid_client", 7000215))
        .mount(&server)
        .await;
    let tokens = ClientCredentials::new(TENANT, CLIENT_ID, SECRET).login_url(server.uri());
    let http = graph(&server, tokens.clone());
    let err = me(&http).await.expect_err("refused");
    let Error::SignIn(refusal) = &err else {
        panic!("expected Error::SignIn, got {err:?}");
    };
    assert_eq!(refusal.code, "invalid_client");
    assert_eq!(refusal.status.map(|s| s.as_u16()), Some(401));
    assert_eq!(refusal.error_codes, vec![7000215]);
    assert_eq!(
        refusal.trace_id.as_deref(),
        Some("255d1aef-8c98-452f-ac51-23d051240864")
    );
    assert_eq!(
        err.to_string(),
        "sign-in failed: invalid_client: AADSTS7000215: refused for the test. (HTTP 401 Unauthorized)"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    for shown in [
        format!("{err}"),
        format!("{err:?}"),
        format!("{tokens:?}"),
        format!("{http:?}"),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
    // No Graph request was sent without a token.
    let graph_calls = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path().starts_with("/v1.0"))
        .count();
    assert_eq!(graph_calls, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS, 3599, None).set_delay(Duration::from_millis(300)))
        .expect(1)
        .mount(&server)
        .await;
    graph_accepting(&server, ACCESS).await;

    let tokens = ClientCredentials::new(TENANT, CLIENT_ID, SECRET).login_url(server.uri());
    let http = graph(&server, tokens);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let http = http.clone();
            tokio::spawn(async move { me(&http).await })
        })
        .collect();
    for call in calls {
        assert_eq!(
            call.await.expect("task").expect("call"),
            json!({"id": "me"})
        );
    }
    assert_eq!(token_requests(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_share_one_refresh_token_redemption() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            token_answer(ACCESS_2, 3599, Some(REFRESH_2)).set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&server)
        .await;
    graph_accepting(&server, ACCESS_2).await;

    // A user whose access token is gone: the first request redeems the refresh token.
    let tokens: UserTokens = DeviceCode::new(TENANT, CLIENT_ID)
        .login_url(server.uri())
        .resume(RefreshToken::new(REFRESH));
    let http = graph(&server, tokens.clone());
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let http = http.clone();
            tokio::spawn(async move { me(&http).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("call");
    }
    assert_eq!(
        token_requests(&server).await,
        vec![fields(&[
            ("client_id", CLIENT_ID),
            (
                "scope",
                "https://graph.microsoft.com/.default offline_access"
            ),
            ("refresh_token", REFRESH),
            ("grant_type", "refresh_token"),
        ])]
    );
    assert_eq!(
        tokens.refresh_token().expect("kept").secret(),
        REFRESH_2,
        "the rotated refresh token replaces the old one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_shared_by_the_calls_that_waited_for_it() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(refusal(400, "invalid_grant", 70008).set_delay(Duration::from_millis(300)))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = DeviceCode::new(TENANT, CLIENT_ID)
        .login_url(server.uri())
        .resume(RefreshToken::new(REFRESH));
    let http = graph(&server, tokens);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let http = http.clone();
            tokio::spawn(async move { me(&http).await })
        })
        .collect();
    for call in calls {
        match call.await.expect("task") {
            Err(Error::SignIn(refusal)) => assert_eq!(refusal.code, "invalid_grant"),
            other => panic!("expected invalid_grant, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn device_code_end_to_end() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(DEVICE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": DEVICE_CODE,
            "user_code": "ABCD1234",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900,
            "interval": 0,
            "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD1234 to authenticate."
        })))
        .expect(1)
        .mount(&server)
        .await;
    // The user is not done yet, then the service asks to slow down, then the user signed in.
    Mock::given(path(TOKEN_PATH))
        .respond_with(refusal(400, "authorization_pending", 70016))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(refusal(400, "slow_down", 70016))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS, 1, Some(REFRESH)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS_2, 3599, Some(REFRESH_2)))
        .mount(&server)
        .await;
    graph_accepting(&server, ACCESS).await;
    graph_accepting(&server, ACCESS_2).await;

    let flow = DeviceCode::new(TENANT, CLIENT_ID)
        .scopes(["User.Read", "offline_access"])
        .login_url(server.uri());
    let mut shown = None;
    let started = Instant::now();
    let tokens = flow
        .sign_in(|prompt| shown = Some(prompt.clone()))
        .await
        .expect("signed in");
    let prompt = shown.expect("the prompt was shown");
    assert_eq!(prompt.user_code, "ABCD1234");
    assert_eq!(prompt.verification_uri, "https://microsoft.com/devicelogin");
    assert!(prompt.message.contains("ABCD1234"));
    assert_eq!(prompt.expires_in, Duration::from_secs(900));
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "slow_down adds 5 seconds to the interval"
    );

    let http = graph(&server, tokens.clone());
    me(&http).await.expect("with the first access token");
    tokio::time::sleep(Duration::from_millis(600)).await;
    me(&http).await.expect("with the refreshed access token");

    let devicecode = server
        .received_requests()
        .await
        .expect("recorded")
        .into_iter()
        .find(|r| r.url.path() == DEVICE_PATH)
        .expect("devicecode request");
    assert_eq!(
        form(&devicecode),
        fields(&[
            ("client_id", CLIENT_ID),
            ("scope", "User.Read offline_access")
        ])
    );
    let poll = fields(&[
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("client_id", CLIENT_ID),
        ("device_code", DEVICE_CODE),
    ]);
    assert_eq!(
        token_requests(&server).await,
        vec![
            poll.clone(),
            poll.clone(),
            poll,
            fields(&[
                ("client_id", CLIENT_ID),
                ("scope", "User.Read offline_access"),
                ("refresh_token", REFRESH),
                ("grant_type", "refresh_token"),
            ]),
        ]
    );
    assert_eq!(tokens.refresh_token().expect("rotated").secret(), REFRESH_2);

    // Nothing secret in any Debug output (traces: tests/traces.rs).
    for secret in [ACCESS, ACCESS_2, REFRESH, REFRESH_2, DEVICE_CODE] {
        for shown in [
            format!("{tokens:?}"),
            format!("{flow:?}"),
            format!("{prompt:?}"),
            format!("{:?}", tokens.refresh_token()),
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}

#[tokio::test]
async fn a_declined_or_expired_device_code_ends_the_sign_in() {
    for (error, status) in [
        ("authorization_declined", 400),
        ("access_denied", 400),
        ("expired_token", 400),
        ("bad_verification_code", 400),
    ] {
        let server = MockServer::start().await;
        Mock::given(path(DEVICE_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "device_code": DEVICE_CODE, "user_code": "U", "verification_uri": "https://microsoft.com/devicelogin",
                "expires_in": 900, "interval": 0, "message": "m"
            })))
            .mount(&server)
            .await;
        Mock::given(path(TOKEN_PATH))
            .respond_with(refusal(status, error, 70000))
            .mount(&server)
            .await;
        let result = DeviceCode::new(TENANT, CLIENT_ID)
            .login_url(server.uri())
            .sign_in(|_| {})
            .await;
        match result {
            Err(Error::SignIn(refusal)) => assert_eq!(refusal.code, error),
            other => panic!("{error}: expected a refusal, got {other:?}"),
        }
        assert_eq!(
            token_requests(&server).await.len(),
            1,
            "{error}: no more polling"
        );
    }

    // The code's own lifetime ends polling too, even if the service keeps saying "pending".
    let server = MockServer::start().await;
    Mock::given(path(DEVICE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": DEVICE_CODE, "user_code": "U", "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 1, "interval": 0, "message": "m"
        })))
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            refusal(400, "authorization_pending", 70016).set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        DeviceCode::new(TENANT, CLIENT_ID)
            .login_url(server.uri())
            .sign_in(|_| {}),
    )
    .await
    .expect("ends by itself");
    match result {
        Err(Error::SignIn(refusal)) => {
            assert_eq!(refusal.code, "expired_token");
            assert_eq!(refusal.status, None, "found locally");
        }
        other => panic!("expected expired_token, got {other:?}"),
    }
}

#[tokio::test]
async fn authorization_code_with_pkce_end_to_end() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer(ACCESS, 3599, Some(REFRESH)))
        .mount(&server)
        .await;
    graph_accepting(&server, ACCESS).await;

    let redirect_uri = "http://localhost:8400/callback";
    let flow = AuthorizationCode::new(TENANT, CLIENT_ID, redirect_uri)
        .scopes(["User.Read", "offline_access"])
        .login_url(server.uri());
    let request = flow.start().expect("start");
    let url = reqwest::Url::parse(request.url()).expect("url");
    assert_eq!(url.path(), "/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    let challenge = query["code_challenge"].clone();
    let state = request.state().to_owned();
    assert_eq!(query["state"], state);

    let tokens = request
        .finish(&format!(
            "{redirect_uri}?code=M.C1_code&state={state}&session_state=s"
        ))
        .await
        .expect("redeemed");
    me(&graph(&server, tokens.clone())).await.expect("call");

    let requests = token_requests(&server).await;
    assert_eq!(requests.len(), 1);
    let redeemed = &requests[0];
    let verifier = &redeemed["code_verifier"];
    assert_eq!(
        redeemed,
        &fields(&[
            ("client_id", CLIENT_ID),
            ("scope", "User.Read offline_access"),
            ("code", "M.C1_code"),
            ("redirect_uri", redirect_uri),
            ("grant_type", "authorization_code"),
            ("code_verifier", verifier),
        ])
    );
    // S256: the challenge sent to the browser is the SHA-256 of the verifier sent here.
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    assert_eq!(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()),
        challenge
    );
    assert_eq!(tokens.refresh_token().expect("kept").secret(), REFRESH);
}

#[tokio::test]
async fn every_cloud_signs_in_at_its_authority_for_its_graph() {
    let expected = [
        (
            NationalCloud::Global,
            "https://graph.microsoft.com",
            "https://login.microsoftonline.com",
        ),
        (
            NationalCloud::UsGovL4,
            "https://graph.microsoft.us",
            "https://login.microsoftonline.us",
        ),
        (
            NationalCloud::UsGovL5,
            "https://dod-graph.microsoft.us",
            "https://login.microsoftonline.us",
        ),
        (
            NationalCloud::China,
            "https://microsoftgraph.chinacloudapi.cn",
            "https://login.chinacloudapi.cn",
        ),
    ];
    assert_eq!(NationalCloud::ALL.len(), expected.len());
    for (cloud, graph_url, login_url) in expected {
        assert_eq!(cloud.graph_url(), graph_url);
        assert_eq!(cloud.login_url(), login_url);
        assert_eq!(cloud.base_url("v1.0"), format!("{graph_url}/v1.0"));
        let app = ClientCredentials::new(TENANT, CLIENT_ID, SECRET).cloud(cloud);
        assert_eq!(
            app.token_url().expect("url"),
            format!("{login_url}/{TENANT}/oauth2/v2.0/token")
        );
        assert_eq!(
            app.requested_scopes(),
            vec![format!("{graph_url}/.default")]
        );
        let user = DeviceCode::new(TENANT, CLIENT_ID).cloud(cloud);
        assert_eq!(
            user.token_url().expect("url"),
            format!("{login_url}/{TENANT}/oauth2/v2.0/token")
        );
        assert_eq!(
            user.requested_scopes(),
            vec![format!("{graph_url}/.default"), "offline_access".to_owned()]
        );
        let browser = AuthorizationCode::new(TENANT, CLIENT_ID, "http://localhost/")
            .cloud(cloud)
            .start()
            .expect("start");
        assert!(
            browser
                .url()
                .starts_with(&format!("{login_url}/{TENANT}/oauth2/v2.0/authorize?")),
            "{}",
            browser.url()
        );

        // On the wire: the cloud's scope, at a login URL pointed at loopback.
        let server = MockServer::start().await;
        Mock::given(path(TOKEN_PATH))
            .respond_with(token_answer(ACCESS, 3599, None))
            .mount(&server)
            .await;
        app.login_url(server.uri()).token().await.expect("token");
        assert_eq!(
            token_requests(&server).await[0]["scope"],
            format!("{graph_url}/.default")
        );
    }
}

#[tokio::test]
async fn a_plain_http_login_url_is_refused_off_loopback() {
    let tokens =
        ClientCredentials::new(TENANT, CLIENT_ID, SECRET).login_url("http://login.example.com");
    let err = tokens.token().await.expect_err("refused");
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err:?}");
    assert!(err.to_string().contains("https"), "{err}");
}

#[test]
fn providers_are_shareable() {
    fn shareable<T: TokenProvider + Clone + Send + Sync + 'static>() {}
    shareable::<ClientCredentials>();
    shareable::<UserTokens>();
    let _: Arc<dyn TokenProvider> = Arc::new(ClientCredentials::new("t", "c", "s"));
}
