//! Wire-level tests of `Request`: query options, headers, bodies, paths,
//! paging and every response kind, against a wiremock server on 127.0.0.1.

use futures_util::StreamExt;
use graph_runtime::query::{self, Field, NoFields, Order, field};
use graph_runtime::{
    Accepted, Bytes, Collection, CountValue, Error, ErrorBody, HttpClient, Json, Method, NoContent,
    Redirect, Request, RequestPath, RetryPolicy, StaticToken, StatusCode,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "secret-token-value";

fn client(server: &MockServer) -> HttpClient {
    HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .expect("client")
}

#[derive(Debug, Clone, Copy)]
enum UserField {
    Id,
    DisplayName,
    CreatedDateTime,
    Manager,
}

impl Field for UserField {
    fn name(self) -> &'static str {
        match self {
            UserField::Id => "id",
            UserField::DisplayName => "displayName",
            UserField::CreatedDateTime => "createdDateTime",
            UserField::Manager => "manager",
        }
    }
}

// The docs list no `$filter` operators for these properties: `field()` offers every one.
impl query::AllOperators for UserField {}

/// Options of an endpoint documenting every query option.
struct AllOptions;
impl query::Select for AllOptions {
    type Field = UserField;
}
impl query::Filter for AllOptions {
    type Field = UserField;
}
impl query::OrderBy for AllOptions {
    type Field = UserField;
}
impl query::Expand for AllOptions {
    type Field = UserField;
}
impl query::Top for AllOptions {}
impl query::Skip for AllOptions {}
impl query::Count for AllOptions {}
impl query::Search for AllOptions {}

/// Options of an endpoint documenting only `$select`, without typed fields.
struct SelectOnly;
impl query::Select for SelectOnly {
    type Field = NoFields;
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: String,
}

fn users(http: &HttpClient) -> Request<Collection<User>, AllOptions> {
    Request::new(http, Method::GET, RequestPath::root().segment("users"))
}

#[tokio::test]
async fn each_option_produces_the_documented_query_string() {
    let server = MockServer::start().await;
    let http = client(&server);
    let q = |request: Request<Collection<User>, AllOptions>| request.query_string();

    assert_eq!(q(users(&http)), "");
    assert_eq!(
        q(users(&http).select([UserField::Id, UserField::DisplayName])),
        "$select=id,displayName"
    );
    assert_eq!(
        q(users(&http)
            .select([UserField::Id])
            .top(5)
            .select_raw("mail,jobTitle")
            .select([])),
        "$select=id,mail,jobTitle&$top=5",
        "typed and raw merge into one $select at its first position"
    );
    assert_eq!(
        q(users(&http).filter(field(UserField::DisplayName).starts_with("a b"))),
        "$filter=startswith(displayName,'a%20b')"
    );
    assert_eq!(
        q(users(&http)
            .filter(field(UserField::DisplayName).eq("O'Neil & Co"))
            .filter_raw("accountEnabled eq true")),
        "$filter=(displayName%20eq%20'O''Neil%20%26%20Co')%20and%20(accountEnabled%20eq%20true)"
    );
    let since = chrono::DateTime::parse_from_rfc3339("2024-05-01T08:00:00+02:00").expect("date");
    assert_eq!(
        q(users(&http).filter(field(UserField::CreatedDateTime).ge(since))),
        "$filter=createdDateTime%20ge%202024-05-01T08:00:00%2B02:00"
    );
    assert_eq!(
        q(users(&http)
            .order_by(UserField::DisplayName, Order::Desc)
            .order_by(UserField::Id, Order::Asc)
            .order_by_raw("mail desc")),
        "$orderby=displayName%20desc,id,mail%20desc"
    );
    assert_eq!(
        q(users(&http)
            .expand([UserField::Manager])
            .expand_raw("memberOf($select=id)")),
        "$expand=manager,memberOf($select%3Did)"
    );
    assert_eq!(q(users(&http).top(10).top(20).skip(40)), "$top=20&$skip=40");
    assert_eq!(q(users(&http).count(true)), "$count=true");
    assert_eq!(q(users(&http).count(false)), "$count=false");
    assert_eq!(
        q(users(&http).search("displayName:wa \"x\"")),
        "$search=%22displayName:wa%20%5C%22x%5C%22%22"
    );
    assert_eq!(
        q(users(&http).search_raw("\"displayName:a\" OR \"mail:b\"")),
        "$search=%22displayName:a%22%20OR%20%22mail:b%22"
    );
    assert_eq!(
        q(users(&http)
            .query("$deltatoken", "a+b/c=")
            .query("custom key", "é")),
        "$deltatoken=a%2Bb%2Fc%3D&custom key=%C3%A9"
    );
    assert_eq!(
        q(users(&http)
            .fixed_query("$format", "text/csv")
            .fixed_query("flag", "")),
        "$format=text/csv&flag"
    );

    let untyped: Request<Json<serde_json::Value>, SelectOnly> =
        Request::new(&http, Method::GET, RequestPath::root().segment("me"));
    assert_eq!(untyped.select_raw("id").query_string(), "$select=id");
}

#[tokio::test]
async fn the_query_string_reaches_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$select", "id,displayName"))
        .and(query_param("$filter", "startswith(displayName,'a b')"))
        .and(query_param("$top", "5"))
        .and(query_param("$count", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(1)
        .mount(&server)
        .await;

    let page = users(&client(&server))
        .select([UserField::Id, UserField::DisplayName])
        .filter(field(UserField::DisplayName).starts_with("a b"))
        .top(5)
        .count(true)
        .await
        .expect("page");
    assert!(page.value.is_empty());

    let requests = server.received_requests().await.expect("recording");
    // The URL parser writes `'` as `%27` in http(s) queries (WHATWG rules);
    // everything else is sent as `query_string()` produced it.
    assert_eq!(
        requests[0].url.query(),
        Some(
            "$select=id,displayName&$filter=startswith(displayName,%27a%20b%27)&$top=5&$count=true"
        )
    );
}

#[tokio::test]
async fn three_pages_stream_with_the_custom_header_on_every_request() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    let user = |n: u32| json!({"id": n.to_string(), "displayName": format!("User {n}")});
    let pages = [
        (
            "",
            json!({"@odata.count": 5, "value": [user(1), user(2)], "@odata.nextLink": format!("{base}/users?$skiptoken=page2")}),
        ),
        (
            "page2",
            json!({"value": [user(3), user(4)], "@odata.nextLink": format!("{base}/users?$skiptoken=page3")}),
        ),
        (
            "page3",
            json!({"value": [user(5)], "@odata.deltaLink": format!("{base}/users/delta?$deltatoken=d")}),
        ),
    ];
    for (token, body) in pages {
        let mock = Mock::given(method("GET"))
            .and(path("/v1.0/users"))
            .and(header("consistencylevel", "eventual"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()));
        let mock = if token.is_empty() {
            mock.and(query_param("$top", "2"))
        } else {
            mock.and(query_param("$skiptoken", token))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(3)
            .mount(&server)
            .await;
    }

    let http = client(&server);
    let request = users(&http)
        .top(2)
        .count(true)
        .header("ConsistencyLevel", "eventual");

    let streamed: Vec<User> = request
        .clone()
        .stream()
        .map(|item| item.expect("item"))
        .collect()
        .await;
    let ids: Vec<&str> = streamed.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(streamed[4].display_name, "User 5");

    let all = request.clone().collect_all().await.expect("collect_all");
    assert_eq!(all, streamed);

    let pages: Vec<_> = request.pages().collect().await;
    let pages: Vec<_> = pages.into_iter().map(|p| p.expect("page")).collect();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].count, Some(5));
    assert_eq!(pages[2].next_link, None);
    assert_eq!(
        pages[2].delta_link.as_deref(),
        Some(format!("{base}/users/delta?$deltatoken=d").as_str())
    );

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 9);
    for request in &requests {
        assert_eq!(
            request
                .headers
                .get("consistencylevel")
                .map(|v| v.as_bytes()),
            Some(&b"eventual"[..])
        );
    }
    let queries: Vec<_> = requests[..3]
        .iter()
        .map(|r| r.url.query().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        ["$top=2&$count=true", "$skiptoken=page2", "$skiptoken=page3"],
        "next links are sent as-is, without re-appending the query"
    );
}

#[tokio::test]
async fn paging_stops_at_the_first_error_and_refuses_foreign_next_links() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    Mock::given(path("/v1.0/users"))
        .and(query_param("$skiptoken", "boom"))
        .respond_with(ResponseTemplate::new(500).set_body_string("page failed"))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1", "displayName": "A"}],
            "@odata.nextLink": format!("{base}/users?$skiptoken=boom")
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [],
            "@odata.nextLink": "https://elsewhere.example/v1.0/groups?$skiptoken=x"
        })))
        .mount(&server)
        .await;

    let http = client(&server);
    let items: Vec<Result<User, Error>> = users(&http).stream().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().expect("first").id, "1");
    let err = items[1].as_ref().expect_err("second page fails");
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));

    let groups: Request<Collection<User>> =
        Request::new(&http, Method::GET, RequestPath::root().segment("groups"));
    let err = groups.collect_all().await.expect_err("foreign link");
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err:?}");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(
        requests.len(),
        3,
        "users, its failing page 2, groups; nothing else"
    );
}

#[tokio::test]
async fn ids_stay_inside_their_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;

    let http = client(&server);
    let nasty = "a/b?c#d%e ..x/..";
    let path = RequestPath::root()
        .segment("users")
        .parameter("user-id", nasty)
        .segment("drive")
        .parameter("item-id", "日本語 é😀")
        .function("getByIds", &[("ids", &"a'b/(c)"), ("n", &7)]);
    let _: serde_json::Value = Request::<Json<serde_json::Value>>::new(&http, Method::GET, path)
        .await
        .expect("request");

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(
        requests[0].url.path(),
        "/v1.0/users/a%2Fb%3Fc%23d%25e%20..x%2F../drive/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%A9%F0%9F%98%80/getByIds(ids='a''b%2F(c)',n=7)"
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].url.fragment(), None);

    for bad in ["..", ".", ""] {
        let path = RequestPath::root()
            .segment("users")
            .parameter("user-id", bad);
        let err = Request::<NoContent>::new(&http, Method::DELETE, path)
            .await
            .expect_err("refused");
        assert!(
            matches!(
                err,
                Error::InvalidPathParameter {
                    name: "user-id",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn bodies_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users"))
        .and(header("content-type", "application/json"))
        .and(header("prefer", "return=minimal"))
        .and(body_json(json!({"displayName": "Ada"})))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "1", "displayName": "Ada"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/photo/$value"))
        .and(header("content-type", "image/png"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let http = client(&server);
    let created: User =
        Request::<Json<User>>::new(&http, Method::POST, RequestPath::root().segment("users"))
            .json_body(&json!({"displayName": "Ada"}))
            .header("Prefer", "return=minimal")
            .send()
            .await
            .expect("created");
    assert_eq!(created.display_name, "Ada");

    let photo = RequestPath::root()
        .segment("me")
        .segment("photo")
        .segment("$value");
    Request::<NoContent>::new(&http, Method::PUT, photo)
        .bytes_body("image/png", vec![0x89, b'P', b'N', b'G', 0xff])
        .await
        .expect("uploaded");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests[1].body, [0x89, b'P', b'N', b'G', 0xff]);
    assert_eq!(
        requests[1].headers.get("accept").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );

    let me = || Request::<NoContent>::new(&http, Method::GET, RequestPath::root().segment("me"));
    for request in [
        me().header("bad name", "x"),
        me().header("X-Ok", "line\nbreak"),
        me().bytes_body("text/\nplain", "x"),
    ] {
        let err = request.await.expect_err("invalid header");
        assert!(matches!(err, Error::InvalidHeader { .. }), "{err:?}");
    }
    let err = me()
        .json_body(&std::collections::HashMap::from([((1, 2), 3)]))
        .await
        .expect_err("unserialisable body");
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        2
    );
}

#[tokio::test]
async fn json_kind_decoding_failures_are_errors_not_panics() {
    let server = MockServer::start().await;
    let cases: [(&str, ResponseTemplate); 5] = [
        (
            "/v1.0/malformed",
            ResponseTemplate::new(200).set_body_raw("{\"id\": \"1\", ", "application/json"),
        ),
        ("/v1.0/empty", ResponseTemplate::new(200)),
        (
            "/v1.0/html",
            ResponseTemplate::new(200).set_body_raw("<html>hi</html>", "text/html"),
        ),
        (
            "/v1.0/bytes",
            ResponseTemplate::new(200).set_body_bytes(vec![0xff, 0xfe, 0x00, 0x80]),
        ),
        (
            "/v1.0/huge",
            ResponseTemplate::new(200).set_body_json(json!({"value": [], "@odata.count": 1e300})),
        ),
    ];
    for (route, template) in cases {
        Mock::given(path(route))
            .respond_with(template)
            .mount(&server)
            .await;
    }

    let http = client(&server);
    for route in ["malformed", "empty", "html", "bytes"] {
        let result =
            Request::<Json<User>>::new(&http, Method::GET, RequestPath::root().segment(route))
                .await;
        match result {
            Err(Error::Decode { status, .. }) => assert_eq!(status, StatusCode::OK, "{route}"),
            other => panic!("{route}: expected Decode, got {other:?}"),
        }
    }
    let Err(Error::Decode { body, .. }) =
        Request::<Json<User>>::new(&http, Method::GET, RequestPath::root().segment("malformed"))
            .await
    else {
        panic!("expected Decode");
    };
    assert_eq!(body, "{\"id\": \"1\", ");
    let huge =
        Request::<Collection<User>>::new(&http, Method::GET, RequestPath::root().segment("huge"))
            .await;
    assert!(matches!(huge, Err(Error::Decode { .. })), "{huge:?}");

    let unit: () =
        Request::<Json<()>>::new(&http, Method::GET, RequestPath::root().segment("empty"))
            .await
            .expect("unit accepts an empty body");
    assert_eq!(unit, ());
}

#[tokio::test]
async fn error_bodies_are_kept_whatever_their_shape() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/odata"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("request-id", "hdr-id")
                .set_body_json(json!({"error": {
                    "code": "Authorization_RequestDenied",
                    "message": "Insufficient privileges.",
                    "innerError": {"date": "2024-01-01T00:00:00", "request-id": "rid", "client-request-id": "cid", "extra": [1]}
                }})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/garbage"))
        .respond_with(ResponseTemplate::new(502).set_body_bytes(vec![0xc3, 0x28, b'x']))
        .mount(&server)
        .await;

    let http = client(&server);
    let get = |route: &'static str| {
        Request::<Json<serde_json::Value>>::new(
            &http,
            Method::GET,
            RequestPath::root().segment(route),
        )
    };
    let err = get("odata").await.expect_err("403");
    let message = err.to_string();
    assert_eq!(
        message,
        "Graph API error (HTTP 403 Forbidden): Authorization_RequestDenied: Insufficient privileges."
    );
    assert!(!format!("{err:?}{message}").contains(TOKEN));
    let api = err.as_api().expect("api error");
    assert_eq!(api.request_id.as_deref(), Some("hdr-id"));
    let inner = api
        .odata()
        .and_then(|o| o.inner_error.as_ref())
        .expect("inner");
    assert_eq!(inner.request_id.as_deref(), Some("rid"));
    assert_eq!(inner.client_request_id.as_deref(), Some("cid"));
    assert_eq!(inner.date.as_deref(), Some("2024-01-01T00:00:00"));
    assert_eq!(inner.other.get("extra"), Some(&json!([1])));

    let err = get("garbage").await.expect_err("502");
    let api = err.as_api().expect("api error");
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert_eq!(api.body, ErrorBody::Raw("\u{fffd}(x".to_owned()));
}

#[tokio::test]
async fn accepted_exposes_location_and_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/copy"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", "https://graph.example/monitor/42")
                .insert_header("retry-after", "3"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/bare"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"status": "queued"})))
        .mount(&server)
        .await;

    let http = client(&server);
    let accepted =
        Request::<Accepted>::new(&http, Method::POST, RequestPath::root().segment("copy"))
            .json_body(&json!({}))
            .await
            .expect("accepted");
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    assert_eq!(
        accepted.location.as_deref(),
        Some("https://graph.example/monitor/42")
    );
    assert_eq!(
        accepted.retry_after,
        Some(std::time::Duration::from_secs(3))
    );
    assert_eq!(accepted.body, None);

    let bare = Request::<Accepted>::new(&http, Method::POST, RequestPath::root().segment("bare"))
        .await
        .expect("accepted without location");
    assert_eq!(bare.location, None);
    assert_eq!(bare.body, Some(json!({"status": "queued"})));
}

#[tokio::test]
async fn redirects_are_exposed_not_followed() {
    let server = MockServer::start().await;
    let target = format!("{}/download/file.bin", server.uri());
    Mock::given(path("/v1.0/items/1/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", target.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/items/2/content"))
        .respond_with(ResponseTemplate::new(302))
        .mount(&server)
        .await;
    Mock::given(path("/download/file.bin"))
        .respond_with(ResponseTemplate::new(200).set_body_string("payload"))
        .expect(0)
        .mount(&server)
        .await;

    let http = client(&server);
    let content = |id: &str| {
        RequestPath::root()
            .segment("items")
            .parameter("item-id", id)
            .segment("content")
    };
    let redirect = Request::<Redirect>::new(&http, Method::GET, content("1"))
        .await
        .expect("redirect");
    assert_eq!(
        redirect,
        Redirect {
            location: target.clone(),
            status: StatusCode::FOUND
        }
    );

    let err = Request::<Json<serde_json::Value>>::new(&http, Method::GET, content("1"))
        .await
        .expect_err("unexpected redirect");
    match &err {
        Error::UnexpectedRedirect { status, location } => {
            assert_eq!(*status, StatusCode::FOUND);
            assert_eq!(location.as_deref(), Some(target.as_str()));
        }
        other => panic!("expected UnexpectedRedirect, got {other:?}"),
    }
    assert!(err.to_string().contains(&target));

    let err = Request::<Redirect>::new(&http, Method::GET, content("2"))
        .await
        .expect_err("no location");
    assert!(
        matches!(
            err,
            Error::UnexpectedResponse {
                status: StatusCode::FOUND,
                ..
            }
        ),
        "{err:?}"
    );
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 3, "the redirect target is never requested");
}

#[tokio::test]
async fn value_endpoints_stream_bytes() {
    let server = MockServer::start().await;
    let payload: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(7919) % 256) as u8)
        .collect();
    Mock::given(path("/v1.0/me/photo/$value"))
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(payload.clone(), "image/jpeg"))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/missing/$value"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"error": {"code": "itemNotFound"}})),
        )
        .mount(&server)
        .await;

    let http = client(&server);
    let value = || {
        RequestPath::root()
            .segment("me")
            .segment("photo")
            .segment("$value")
    };
    let stream = Request::<Bytes>::new(&http, Method::GET, value())
        .await
        .expect("stream");
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.content_type(), Some("image/jpeg"));
    assert_eq!(stream.content_length(), Some(200_000));
    assert_eq!(stream.collect().await.expect("bytes"), payload);

    let mut stream = Request::<Bytes>::new(&http, Method::GET, value())
        .await
        .expect("stream");
    let mut received = Vec::new();
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.expect("chunk"));
    }
    assert_eq!(received, payload);

    let err = Request::<Bytes>::new(
        &http,
        Method::GET,
        RequestPath::root().segment("missing").segment("$value"),
    )
    .await
    .expect_err("404");
    assert_eq!(err.as_api().and_then(|a| a.code()), Some("itemNotFound"));
}

#[tokio::test]
async fn count_endpoints_parse_a_number() {
    let server = MockServer::start().await;
    for (route, body) in [
        ("plain", "42"),
        ("bom", "\u{feff}17\r\n"),
        ("text", "forty-two"),
        ("huge", "99999999999999999999999"),
        ("negative", "-1"),
    ] {
        Mock::given(path(format!("/v1.0/{route}/$count")))
            .and(header("accept", "text/plain"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/plain"))
            .mount(&server)
            .await;
    }
    let http = client(&server);
    let count = |route: &'static str| {
        Request::<CountValue>::new(
            &http,
            Method::GET,
            RequestPath::root().segment(route).segment("$count"),
        )
        .header("ConsistencyLevel", "eventual")
    };
    assert_eq!(count("plain").await.expect("count"), 42);
    assert_eq!(count("bom").await.expect("count"), 17);
    for bad in ["text", "huge", "negative"] {
        let err = count(bad).await.expect_err(bad);
        assert!(matches!(err, Error::Decode { .. }), "{bad}: {err:?}");
    }
}

#[tokio::test]
async fn token_is_redacted_everywhere() {
    let server = MockServer::start().await;
    let http = client(&server);
    let request = users(&http)
        .top(1)
        .header("ConsistencyLevel", "eventual")
        .json_body(&json!({"a": 1}));
    let debug = format!("{request:?} {request:#?} {http:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("$top=1"), "{debug}");
    assert!(debug.contains("consistencylevel"), "{debug}");
    assert!(debug.contains("application/json, 7 bytes"), "{debug}");
}
