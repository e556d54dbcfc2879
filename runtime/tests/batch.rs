//! JSON batching against a wiremock `$batch` endpoint on 127.0.0.1 that
//! answers like the service: out of order, `424` after a failed dependency,
//! `429` with `Retry-After` for one request, base64 for non-JSON bodies.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use graph_runtime::query::{self, NoFields};
use graph_runtime::{
    Batch, Bytes, Collection, CountValue, Error, HttpClient, Json, MAX_BATCH_REQUESTS, Method,
    NoContent, Request, RequestPath, RetryPolicy, StaticToken, StatusCode,
};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const TOKEN: &str = "batch-secret-token";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: String,
}

/// `GET /users` documents `$select`.
struct UserOptions;
impl query::Select for UserOptions {
    type Field = NoFields;
}

fn client(server: &MockServer) -> HttpClient {
    HttpClient::new(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN)).expect("client")
}

/// What the generated `users().item(id).get()` builds.
fn get_user(http: &HttpClient, id: &str) -> Request<Json<User>, UserOptions> {
    Request::new(
        http,
        Method::GET,
        RequestPath::root()
            .segment("users")
            .parameter("user-id", id),
    )
}

/// The answer to one request, given how often its URL was sent before;
/// `None` leaves it out of the batch's answer.
type AnswerFn = dyn Fn(&Value, usize) -> Option<Value> + Send + Sync;

/// A `$batch` endpoint that answers each request as `answer` says, in reverse
/// order, and `424` when a `dependsOn` request of the same batch failed.
/// It keeps every batch body it received.
#[derive(Clone)]
struct BatchService {
    received: Arc<Mutex<Vec<Value>>>,
    answer: Arc<AnswerFn>,
}

impl BatchService {
    fn new(answer: impl Fn(&Value, usize) -> Option<Value> + Send + Sync + 'static) -> Self {
        BatchService {
            received: Arc::default(),
            answer: Arc::new(answer),
        }
    }

    fn batches(&self) -> Vec<Value> {
        self.received.lock().expect("lock").clone()
    }

    /// How many times a request for `url` was in a batch, before this one.
    fn seen(&self, url: &str) -> usize {
        self.batches()
            .iter()
            .flat_map(|batch| batch["requests"].as_array().cloned().unwrap_or_default())
            .filter(|request| request["url"] == url)
            .count()
    }
}

impl Respond for BatchService {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let batch: Value = serde_json::from_slice(&request.body).expect("a JSON batch");
        let seen: HashMap<String, usize> = batch["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| {
                let url = r["url"].as_str().expect("url").to_owned();
                let count = self.seen(&url);
                (url, count)
            })
            .collect();
        self.received.lock().expect("lock").push(batch.clone());

        let mut statuses: HashMap<String, u64> = HashMap::new();
        let mut responses = Vec::new();
        for request in batch["requests"].as_array().expect("requests") {
            let id = request["id"].as_str().expect("id").to_owned();
            let failed_dependency =
                request["dependsOn"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|dependency| {
                        !(200..300).contains(&statuses[dependency.as_str().expect("id")])
                    });
            let response = if failed_dependency {
                Some(
                    json!({"status": 424, "body": {"error": {"code": "FailedDependency", "message": "a dependency failed"}}}),
                )
            } else {
                (self.answer)(request, seen[request["url"].as_str().expect("url")])
            };
            let Some(mut response) = response else {
                continue;
            };
            statuses.insert(id.clone(), response["status"].as_u64().expect("status"));
            response["id"] = json!(id);
            responses.push(response);
        }
        // The service answers in any order.
        responses.reverse();
        ResponseTemplate::new(200).set_body_json(json!({"responses": responses}))
    }
}

async fn mount(server: &MockServer, service: &BatchService) {
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .respond_with(service.clone())
        .mount(server)
        .await;
}

fn user_json(id: &str) -> Value {
    json!({"id": id, "displayName": format!("User {id}")})
}

fn ok_json(status: u16, body: Value) -> Value {
    json!({"status": status, "headers": {"Content-Type": "application/json; odata.metadata=minimal"}, "body": body})
}

#[tokio::test]
async fn forty_five_requests_go_in_three_batches_with_a_throttled_request_and_a_chain() {
    let server = MockServer::start().await;
    let service = BatchService::new(|request, seen_before| {
        let url = request["url"].as_str().expect("url");
        Some(match (request["method"].as_str().expect("method"), url) {
            // Throttled the first time only, with its own Retry-After.
            ("GET", "/users/u7") if seen_before == 0 => json!({
                "status": 429,
                "headers": {"Retry-After": "1", "Content-Type": "application/json"},
                "body": {"error": {"code": "TooManyRequests", "message": "Slow down."}}
            }),
            ("POST", "/users") => ok_json(
                201,
                json!({"id": "new", "displayName": request["body"]["displayName"]}),
            ),
            ("PATCH", "/users/new") => json!({"status": 204, "headers": {}}),
            ("GET", "/users/new/photo/$value") => json!({
                "status": 200,
                "headers": {"Content-Type": "image/png"},
                "body": STANDARD.encode(PNG)
            }),
            ("GET", "/users/$count") => json!({
                "status": 200,
                "headers": {"Content-Type": "text/plain"},
                "body": STANDARD.encode("1234")
            }),
            ("GET", "/users?$top=2") => ok_json(
                200,
                json!({
                    "value": [user_json("a"), user_json("b")],
                    "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"
                }),
            ),
            ("GET", user) => {
                let id = user
                    .trim_start_matches("/users/")
                    .split('?')
                    .next()
                    .expect("id");
                ok_json(200, user_json(id))
            }
            other => panic!("unexpected request {other:?}"),
        })
    });
    mount(&server, &service).await;
    let http = client(&server);
    let users = || RequestPath::root().segment("users");

    let mut batch = Batch::new(&http);
    let mut first_users = Vec::new();
    for n in 1..=20 {
        let request = get_user(&http, &format!("u{n}"));
        let request = match n {
            3 => request.header("ConsistencyLevel", "eventual"),
            4 => request.header("Authorization", "Bearer smuggled"),
            5 => request.select_raw("id,displayName"),
            _ => request,
        };
        first_users.push(batch.add(request));
    }
    // A chain of five, each a different response kind.
    let created = batch.add(
        Request::<Json<User>>::new(&http, Method::POST, users())
            .json_body(&json!({"displayName": "New"})),
    );
    let updated = batch.add_after(
        Request::<NoContent>::new(&http, Method::PATCH, users().segment("new"))
            .json_body(&json!({"jobTitle": "Engineer"})),
        &[created.id()],
    );
    let photo = batch.add_after(
        Request::<Bytes>::new(
            &http,
            Method::GET,
            users().segment("new").segment("photo").segment("$value"),
        ),
        &[updated.id()],
    );
    let count = batch.add_after(
        Request::<CountValue>::new(&http, Method::GET, users().segment("$count")),
        &[photo.id()],
    );
    let page = batch.add_after(
        Request::<Collection<User>, UserOptions>::new(&http, Method::GET, users())
            .query("$top", "2"),
        &[count.id()],
    );
    let mut last_users = Vec::new();
    for n in 26..=45 {
        last_users.push(batch.add(get_user(&http, &format!("u{n}"))));
    }
    assert_eq!(batch.len(), 45);
    let throttled = first_users[6].id();

    let started = Instant::now();
    let mut answers = batch.send().await;
    let took = started.elapsed();

    // Typed answers, each as its own request's response kind.
    for (key, n) in first_users.into_iter().zip(1..) {
        let user: User = answers.take(key).expect("user");
        assert_eq!(user.id, format!("u{n}"));
        assert_eq!(user.display_name, format!("User u{n}"));
    }
    for (key, n) in last_users.into_iter().zip(26..) {
        assert_eq!(answers.take(key).expect("user").id, format!("u{n}"));
    }
    let created: User = answers.take(created).expect("created");
    assert_eq!(created.display_name, "New");
    let (): () = answers.take(updated).expect("updated");
    let photo = answers.take(photo).expect("photo");
    assert_eq!(photo.content_type(), Some("image/png"));
    assert_eq!(photo.collect().await.expect("bytes"), PNG);
    let count: u64 = answers.take(count).expect("count");
    assert_eq!(count, 1234);
    let page = answers.take(page).expect("page");
    assert_eq!(page.value.len(), 2);
    assert!(page.next_link.is_some());

    // The throttled request was sent again after its own Retry-After.
    assert_eq!(answers.sends(throttled), 2);
    assert_eq!(answers.status(throttled), Some(StatusCode::OK));
    assert!(took >= Duration::from_secs(1), "{took:?}");

    // Three batches as planned (20 parallel, the chain alone, 20 parallel),
    // then one with the throttled request.
    let batches = service.batches();
    assert_eq!(answers.batches_sent(), 4);
    let ids = |batch: &Value| -> Vec<String> {
        batch["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let numbered = |range: std::ops::RangeInclusive<u32>| -> Vec<String> {
        range.map(|n| n.to_string()).collect()
    };
    assert_eq!(ids(&batches[0]), numbered(1..=20));
    assert_eq!(ids(&batches[1]), numbered(21..=25));
    assert_eq!(ids(&batches[2]), numbered(26..=45));
    assert_eq!(ids(&batches[3]), ["7"]);
    assert!(batches.iter().all(|b| ids(b).len() <= MAX_BATCH_REQUESTS));

    // Only the chain carries dependsOn, each on the one before.
    let chain = batches[1]["requests"].as_array().expect("requests");
    assert_eq!(chain[0].get("dependsOn"), None);
    for (request, previous) in chain[1..].iter().zip(21..) {
        assert_eq!(request["dependsOn"], json!([previous.to_string()]));
    }
    for batch in [&batches[0], &batches[2], &batches[3]] {
        for request in batch["requests"].as_array().expect("requests") {
            assert_eq!(request.get("dependsOn"), None, "{request}");
        }
    }

    // Each request as the service documents it, and no token inside.
    let first = batches[0]["requests"].as_array().expect("requests");
    assert_eq!(
        first[0],
        json!({"id": "1", "method": "GET", "url": "/users/u1"})
    );
    assert_eq!(first[2]["headers"], json!({"consistencylevel": "eventual"}));
    assert_eq!(
        first[3].get("headers"),
        None,
        "an Authorization header set on a request is dropped"
    );
    assert_eq!(first[4]["url"], "/users/u5?$select=id,displayName");
    assert_eq!(
        chain[0],
        json!({"id": "21", "method": "POST", "url": "/users",
               "headers": {"content-type": "application/json"}, "body": {"displayName": "New"}})
    );
    for batch in &batches {
        assert!(!batch.to_string().contains(TOKEN), "{batch}");
    }
}

#[tokio::test]
async fn a_failed_batch_or_a_missing_answer_fails_only_those_requests() {
    let server = MockServer::start().await;
    let service = BatchService::new(|request, _| match request["url"].as_str().expect("url") {
        "/users/u4" => None,
        "/users/u5" => Some(
            json!({"status": 404, "body": {"error": {"code": "Request_ResourceNotFound", "message": "No such user."}}}),
        ),
        user => Some(ok_json(200, user_json(user.trim_start_matches("/users/")))),
    });
    // The second batch (requests 21-25) fails as a whole.
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(body_string_contains(r#""id":"21""#))
        .respond_with(ResponseTemplate::new(500).set_body_string("batch broke"))
        .with_priority(1)
        .mount(&server)
        .await;
    mount(&server, &service).await;
    let http = client(&server);

    let mut batch = Batch::new(&http);
    let keys: Vec<_> = (1..=25)
        .map(|n| batch.add(get_user(&http, &format!("u{n}"))))
        .collect();
    let ids: Vec<_> = keys.iter().map(|key| key.id()).collect();
    let mut answers = batch.send().await;
    assert_eq!(answers.batches_sent(), 2);
    assert_eq!(answers.len(), 25);
    let results: Vec<Result<User, Error>> = keys.into_iter().map(|key| answers.take(key)).collect();

    for (n, result) in (1..=20).zip(&results) {
        match n {
            4 => {
                let err = result.as_ref().expect_err("no answer");
                assert!(
                    matches!(err, Error::Batch { source: None, reason } if reason.contains("no answer for request 4")),
                    "{err:?}"
                );
                assert_eq!(answers.status(ids[3]), None);
            }
            5 => {
                let err = result.as_ref().expect_err("404");
                assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
                assert_eq!(
                    err.as_api().and_then(|a| a.code()),
                    Some("Request_ResourceNotFound")
                );
                assert_eq!(answers.status(ids[4]), Some(StatusCode::NOT_FOUND));
            }
            _ => assert_eq!(result.as_ref().expect("user").id, format!("u{n}")),
        }
    }
    for result in &results[20..] {
        let err = result.as_ref().expect_err("its batch failed");
        let Error::Batch {
            source: Some(source),
            ..
        } = err
        else {
            panic!("expected a batch failure, got {err:?}");
        };
        assert_eq!(source.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(err.to_string().contains("batch broke"), "{err}");
    }
    assert_eq!(
        answers.sends(ids[24]),
        1,
        "a POST of a batch is not retried on a 500"
    );
    assert_eq!(
        service.batches().len(),
        1,
        "the failed batch never reached the service"
    );
}

#[tokio::test]
async fn dependents_are_sent_again_with_a_throttled_request_and_misuse_is_reported() {
    let server = MockServer::start().await;
    let service = BatchService::new(|request, seen_before| {
        let url = request["url"].as_str().expect("url");
        Some(match (request["method"].as_str().expect("method"), url) {
            // A POST is retried only because the service sent Retry-After.
            ("POST", "/groups") if seen_before == 0 => json!({
                "status": 503, "headers": {"Retry-After": "0"}, "body": {"error": {"code": "serviceUnavailable"}}
            }),
            ("POST", "/groups") => ok_json(201, json!({"id": "g1", "displayName": "Group"})),
            ("POST", "/teams") => {
                json!({"status": 429, "body": {"error": {"code": "TooManyRequests"}}})
            }
            ("GET", "/missing") => {
                json!({"status": 404, "body": {"error": {"code": "itemNotFound"}}})
            }
            ("PUT", "/me/photo/$value") => json!({"status": 204}),
            (_, url) => ok_json(200, user_json(url.trim_start_matches('/'))),
        })
    });
    mount(&server, &service).await;
    let http = client(&server);
    let post = |segment: &str| {
        Request::<Json<User>>::new(&http, Method::POST, RequestPath::root().segment(segment))
            .json_body(&json!({"displayName": "Group"}))
    };
    let get = |segment: &str| {
        Request::<Json<User>>::new(&http, Method::GET, RequestPath::root().segment(segment))
    };

    let mut other = Batch::new(&http);
    let foreign = other.add(get("foreign"));

    let mut batch = Batch::new(&http).retry(RetryPolicy::default().max_attempts(3));
    let group = batch.add(post("groups"));
    let owner = batch.add_after(get("owner"), &[group.id()]);
    let missing = batch.add(get("missing"));
    let orphan = batch.add_after(get("orphan"), &[missing.id()]);
    let team = batch.add(post("teams"));
    let photo = batch.add(
        Request::<NoContent>::new(
            &http,
            Method::PUT,
            RequestPath::root()
                .segment("me")
                .segment("photo")
                .segment("$value"),
        )
        .bytes_body("image/png", PNG),
    );
    let streamed = batch.add(
        Request::<NoContent>::new(&http, Method::PUT, RequestPath::root().segment("stream"))
            .stream_body(
                "text/plain",
                None,
                futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(
                    b"x",
                ))]),
            ),
    );
    let cross = batch.add_after(get("cross"), &[foreign.id()]);
    let invalid = batch.add(get_user(&http, ".."));
    let after_invalid = batch.add_after(get("after-invalid"), &[invalid.id()]);
    let (group_id, owner_id, orphan_id, team_id) = (group.id(), owner.id(), orphan.id(), team.id());

    let mut answers = batch.send().await;

    // Each dependsOn group alone, the independent requests together.
    let batches = service.batches();
    let urls = |batch: &Value| -> Vec<String> {
        batch["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| r["url"].as_str().expect("url").to_owned())
            .collect()
    };
    assert_eq!(urls(&batches[0]), ["/groups", "/owner"]);
    assert_eq!(urls(&batches[1]), ["/missing", "/orphan"]);
    assert_eq!(urls(&batches[2]), ["/teams", "/me/photo/$value"]);
    assert_eq!(batches.len(), 4);

    // The throttled POST and the request that failed 424 because of it were
    // sent again, together, in the dependsOn order.
    assert_eq!(answers.take(group).expect("group").id, "g1");
    assert_eq!(answers.take(owner).expect("owner").id, "owner");
    assert_eq!((answers.sends(group_id), answers.sends(owner_id)), (2, 2));
    let retried = batches.last().expect("a retry batch")["requests"].clone();
    assert_eq!(retried[0]["url"], "/groups");
    assert_eq!(retried[1]["url"], "/owner");
    assert_eq!(retried[1]["dependsOn"], json!([retried[0]["id"]]));
    assert_eq!(retried.as_array().map(Vec::len), Some(2));

    // A request whose dependency failed for good keeps its 424.
    assert_eq!(
        answers.take(missing).expect_err("404").status(),
        Some(StatusCode::NOT_FOUND)
    );
    let orphan_error = answers.take(orphan).expect_err("424");
    assert_eq!(orphan_error.status(), Some(StatusCode::FAILED_DEPENDENCY));
    assert_eq!(answers.sends(orphan_id), 1);

    // A POST throttled without Retry-After is not sent again.
    assert_eq!(
        answers.take(team).expect_err("429").status(),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
    assert_eq!(answers.sends(team_id), 1);

    // A binary body travels base64-encoded with its content type.
    answers.take(photo).expect("photo uploaded");
    let sent_photo = batches
        .iter()
        .flat_map(|b| b["requests"].as_array().expect("requests"))
        .find(|r| r["url"] == "/me/photo/$value")
        .expect("photo request")
        .clone();
    assert_eq!(sent_photo["headers"], json!({"content-type": "image/png"}));
    assert_eq!(sent_photo["body"], json!(STANDARD.encode(PNG)));

    // What cannot be batched is reported on its own request, and never sent.
    let err = answers.take(streamed).expect_err("streamed");
    assert!(
        matches!(&err, Error::Batch { reason, .. } if reason.contains("streamed")),
        "{err:?}"
    );
    let err = answers
        .take(cross)
        .expect_err("dependency from another batch");
    assert!(
        matches!(&err, Error::Batch { reason, .. } if reason.contains("not an earlier one")),
        "{err:?}"
    );
    let err = answers.take(invalid).expect_err("invalid id");
    assert!(matches!(err, Error::InvalidPathParameter { .. }), "{err:?}");
    let err = answers
        .take(after_invalid)
        .expect_err("its dependency was never sent");
    assert!(
        matches!(&err, Error::Batch { reason, .. } if reason.contains("could not be sent")),
        "{err:?}"
    );
    let err = answers.take(foreign).expect_err("another batch's key");
    assert!(
        matches!(&err, Error::Batch { reason, .. } if reason.contains("another batch")),
        "{err:?}"
    );
    let sent: Vec<&str> = batches
        .iter()
        .flat_map(|b| b["requests"].as_array().expect("requests"))
        .filter_map(|r| r["url"].as_str())
        .collect();
    for never in ["/stream", "/cross", "/after-invalid", "/foreign"] {
        assert!(!sent.contains(&never), "{never} was sent: {sent:?}");
    }
}

#[tokio::test]
async fn an_empty_batch_sends_nothing_and_the_future_is_send() {
    fn send_future<F: std::future::Future + Send>(future: F) -> F {
        future
    }
    let server = MockServer::start().await;
    let http = client(&server);
    let batch = Batch::new(&http);
    assert!(batch.is_empty());
    let answers = send_future(batch.send()).await;
    assert!(answers.is_empty());
    assert_eq!(answers.batches_sent(), 0);
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}
