//! Delta rounds and requests from links, against wiremock on 127.0.0.1.

use graph_runtime::query::{self, NoFields};
use graph_runtime::{
    Change, Collection, Delta, DeltaLink, Error, HttpClient, Method, Request, RequestPath,
    RetryPolicy, StaticToken,
};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "delta-secret-token";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: Option<String>,
}

/// The options `GET /users/delta` documents.
struct UserDeltaOptions;
impl query::Select for UserDeltaOptions {
    type Field = NoFields;
}

fn client(server: &MockServer) -> HttpClient {
    HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .expect("client")
}

/// What the generated `users().delta()` builds.
fn users_delta(http: &HttpClient) -> Request<Delta<User>, UserDeltaOptions> {
    Request::new(
        http,
        Method::GET,
        RequestPath::root().segment("users").function("delta", &[]),
    )
}

fn user(id: &str, name: &str) -> Value {
    json!({"id": id, "displayName": name})
}

/// Serves a `GET /v1.0/users/delta()` page: the page for the query parameter
/// `key=value`, once.
async fn page(server: &MockServer, key: &str, value: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta()"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("prefer", "return=minimal"))
        .and(query_param(key, value))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn two_delta_rounds_with_an_empty_page_and_a_removal() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    let link = |query: &str| format!("{base}/users/delta()?{query}");

    // Round one: three pages, the second empty.
    page(
        &server,
        "$select",
        "displayName",
        json!({
            "@odata.context": format!("{base}/$metadata#users"),
            "value": [user("1", "Ada"), user("2", "Grace")],
            "@odata.nextLink": link("$skiptoken=page2")
        }),
    )
    .await;
    page(
        &server,
        "$skiptoken",
        "page2",
        json!({
            "value": [],
            "@odata.nextLink": link("$skiptoken=page3")
        }),
    )
    .await;
    page(
        &server,
        "$skiptoken",
        "page3",
        json!({
            "value": [user("3", "Edsger")],
            "@odata.deltaLink": link("$deltatoken=round2%2Bstate")
        }),
    )
    .await;
    // Round two: a removal and a change, then an empty last page.
    page(
        &server,
        "$deltatoken",
        "round2+state",
        json!({
            "value": [
                {"id": "2", "@removed": {"reason": "deleted"}},
                {"id": "3", "displayName": "Edsger W."}
            ],
            "@odata.nextLink": link("$skiptoken=page5")
        }),
    )
    .await;
    page(
        &server,
        "$skiptoken",
        "page5",
        json!({
            "value": [],
            "@odata.deltaLink": link("$deltatoken=round3")
        }),
    )
    .await;

    let http = client(&server);
    let delta = || users_delta(&http).header("Prefer", "return=minimal");

    let first = delta()
        .select_raw("displayName")
        .round()
        .await
        .expect("round one");
    assert_eq!(first.pages, 3);
    assert_eq!(
        first.changes,
        vec![
            Change::Updated(User {
                id: "1".into(),
                display_name: Some("Ada".into())
            }),
            Change::Updated(User {
                id: "2".into(),
                display_name: Some("Grace".into())
            }),
            Change::Updated(User {
                id: "3".into(),
                display_name: Some("Edsger".into())
            }),
        ]
    );

    // The link is the resumable state: stored as JSON, read back elsewhere.
    let stored = serde_json::to_string(&first.delta_link).expect("serialise");
    assert_eq!(
        stored,
        format!("\"{}\"", link("$deltatoken=round2%2Bstate"))
    );
    let restored: DeltaLink = serde_json::from_str(&stored).expect("deserialise");

    let second = delta().resume(&restored).round().await.expect("round two");
    assert_eq!(second.pages, 2);
    assert_eq!(second.changes.len(), 2);
    let Change::Removed(removal) = &second.changes[0] else {
        panic!("expected a removal, got {:?}", second.changes[0]);
    };
    assert_eq!(removal.id.as_deref(), Some("2"));
    assert_eq!(removal.reason.as_deref(), Some("deleted"));
    assert_eq!(
        second.changes[1],
        Change::Updated(User {
            id: "3".into(),
            display_name: Some("Edsger W.".into())
        })
    );
    assert_eq!(second.delta_link.as_str(), link("$deltatoken=round3"));

    let requests = server.received_requests().await.expect("recording");
    let queries: Vec<&str> = requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        [
            "$select=displayName",
            "$skiptoken=page2",
            "$skiptoken=page3",
            "$deltatoken=round2%2Bstate",
            "$skiptoken=page5"
        ],
        "links are sent as the service wrote them, the first round's options inside them"
    );
}

#[tokio::test]
async fn a_repeated_next_link_ends_the_round_with_an_error() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    let link = |query: &str| format!("{base}/users/delta()?{query}");
    Mock::given(path("/v1.0/users/delta()"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [user("1", "Ada")], "@odata.nextLink": link("$skiptoken=a")
        })))
        .mount(&server)
        .await;
    // Page `a` sends the round back to `b`, and `b` back to `a`.
    for (token, next) in [("a", "b"), ("b", "a")] {
        Mock::given(path("/v1.0/users/delta()"))
            .and(query_param("$skiptoken", token))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [], "@odata.nextLink": link(&format!("$skiptoken={next}"))
            })))
            .mount(&server)
            .await;
    }
    // A page that ends the round without a delta link.
    Mock::given(path("/v1.0/groups/delta()"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;

    let http = client(&server);
    let err = users_delta(&http).round().await.expect_err("a loop");
    match &err {
        Error::RepeatedNextLink { link } => {
            assert!(link.ends_with("/users/delta()?$skiptoken=a"), "{link}");
        }
        other => panic!("expected RepeatedNextLink, got {other:?}"),
    }
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        3,
        "first page, a, b; a again is never requested"
    );

    let groups = Request::<Delta<User>>::new(
        &http,
        Method::GET,
        RequestPath::root().segment("groups").function("delta", &[]),
    );
    let err = groups.round().await.expect_err("no links");
    assert!(
        matches!(&err, Error::UnexpectedResponse { reason, .. } if reason.contains("neither")),
        "{err:?}"
    );
}

#[tokio::test]
async fn requests_from_links_are_typed_and_stay_on_the_service() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "X+Y"))
        .and(header("consistencylevel", "eventual"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [user("9", "Barbara")]
        })))
        .expect(2)
        .mount(&server)
        .await;
    let http = client(&server);
    let next_link = format!("{base}/users?$skiptoken=X%2BY");

    // From the request of the endpoint that produced the link: headers kept.
    let list =
        Request::<Collection<User>>::new(&http, Method::GET, RequestPath::root().segment("users"))
            .query("$top", "1")
            .header("ConsistencyLevel", "eventual");
    let page = list.at_link(&next_link).await.expect("page from a link");
    assert_eq!(page.value[0].display_name.as_deref(), Some("Barbara"));

    // From nothing but the link, typed as that endpoint's answer.
    let page = Request::<Collection<User>>::from_link(&http, &next_link)
        .header("ConsistencyLevel", "eventual")
        .collect_all()
        .await
        .expect("items from a link");
    assert_eq!(
        page,
        vec![User {
            id: "9".into(),
            display_name: Some("Barbara".into())
        }]
    );

    // Links elsewhere are refused before anything is sent.
    for bad in [
        "https://elsewhere.example/v1.0/users?$skiptoken=x".to_owned(),
        format!("{}/beta/users?$skiptoken=x", server.uri()),
        format!("{}/v1.0x/users", server.uri()),
        "/v1.0/users".to_owned(),
    ] {
        let err = Request::<Collection<User>>::from_link(&http, &bad)
            .await
            .expect_err(&bad);
        assert!(matches!(err, Error::InvalidUrl { .. }), "{bad}: {err:?}");
        let err = users_delta(&http)
            .resume(&DeltaLink::new(bad.clone()))
            .round()
            .await
            .expect_err(&bad);
        assert!(matches!(err, Error::InvalidUrl { .. }), "{bad}: {err:?}");
    }
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        2
    );
}
