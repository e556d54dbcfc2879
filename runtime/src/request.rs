//! [`Request`]: one API call, built by generated code, refined by the caller
//! and sent with `.send().await` (or just `.await`).
//!
//! ```no_run
//! # async fn demo(http: graph_runtime::HttpClient) -> Result<(), graph_runtime::Error> {
//! use graph_runtime::query::{self, Field, NoFields};
//! use graph_runtime::{Collection, Method, Request, RequestPath};
//!
//! // What the generator emits for `GET /users` (options per the endpoint's docs):
//! struct ListUsers;
//! impl query::Select for ListUsers { type Field = NoFields; }
//! impl query::Top for ListUsers {}
//!
//! let users: Vec<serde_json::Value> =
//!     Request::<Collection<serde_json::Value>, ListUsers>::new(
//!         &http, Method::GET, RequestPath::root().segment("users"))
//!     .select_raw("id,displayName")
//!     .top(50)
//!     .header("ConsistencyLevel", "eventual")
//!     .collect_all()
//!     .await?;
//! # let _ = users; Ok(()) }
//! ```

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Prepared;
use crate::query::{
    self, Count, Expand, Field, Filter, FilterExpr, NoOptions, Order, OrderBy, Search, Select,
    Skip, Top, encode_query_component,
};
use crate::upload::StreamedBody;
use crate::{Collection, Error, HttpClient, Page, RequestPath, ResponseKind};

/// The boxed future of [`Request::send`] (and of `.await` on a request).
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// The stream of [`Request::pages`].
pub type PageStream<T> = Pin<Box<dyn Stream<Item = Result<Page<T>, Error>> + Send + 'static>>;

/// The stream of [`Request::stream`].
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'static>>;

/// One API call: method, path, query options, headers and body.
///
/// `R` is the [`ResponseKind`] (what a success decodes to); `O` is the
/// endpoint's options type, whose [`query`] traits decide which OData query
/// methods exist. Builder methods never fail: an invalid header or a body
/// that cannot be serialised is remembered and returned by `send`.
///
/// `Debug` shows the method, path, query, header names and body size; the
/// access token is not part of a request (it is fetched per attempt).
pub struct Request<R, O = NoOptions> {
    http: HttpClient,
    method: Method,
    path: RequestPath,
    query: Vec<QueryPair>,
    headers: HeaderMap,
    body: Option<Body>,
    timeout: Option<Duration>,
    deferred: Option<Deferred>,
    kind: PhantomData<fn() -> (R, O)>,
}

#[derive(Debug, Clone)]
struct QueryPair {
    key: Cow<'static, str>,
    value: String,
    /// Sent as given (already encoded), not percent-encoded.
    verbatim: bool,
}

#[derive(Debug, Clone)]
struct Body {
    content_type: Result<HeaderValue, String>,
    bytes: bytes::Bytes,
    /// Set by [`Request::stream_body`]: the body is this stream, `bytes` is empty.
    streamed: Option<StreamedBody>,
}

/// A builder error kept until `send`.
#[derive(Debug, Clone)]
enum Deferred {
    Header { name: String, reason: &'static str },
    Encode(Arc<serde_json::Error>),
    Link { url: String, reason: String },
}

impl Deferred {
    fn into_error(self) -> Error {
        match self {
            Deferred::Header { name, reason } => Error::InvalidHeader { name, reason },
            Deferred::Encode(error) => Error::Encode(error),
            Deferred::Link { url, reason } => Error::InvalidUrl { url, reason },
        }
    }
}

impl<R, O> Clone for Request<R, O> {
    fn clone(&self) -> Self {
        Request {
            http: self.http.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            timeout: self.timeout,
            deferred: self.deferred.clone(),
            kind: PhantomData,
        }
    }
}

impl<R, O> fmt::Debug for Request<R, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        let body = self.body.as_ref().map(|body| {
            let content_type = match &body.content_type {
                Ok(value) => value.to_str().unwrap_or("<binary>"),
                Err(raw) => raw.as_str(),
            };
            match body.streamed {
                Some(_) => format!("{content_type}, streamed"),
                None => format!("{content_type}, {} bytes", body.bytes.len()),
            }
        });
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path.as_str().unwrap_or("<invalid>"))
            .field("query", &self.query_string())
            .field("headers", &headers)
            .field("body", &body)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<R, O> Request<R, O> {
    /// A request for `method path` on `http`'s base URL (generated code
    /// calls this).
    pub fn new(http: &HttpClient, method: Method, path: RequestPath) -> Self {
        Request {
            http: http.clone(),
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            timeout: None,
            deferred: None,
            kind: PhantomData,
        }
    }

    fn defer(&mut self, error: Deferred) {
        self.deferred.get_or_insert(error);
    }

    /// Sends `body` serialised as JSON (`Content-Type: application/json`).
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Body {
                    content_type: Ok(HeaderValue::from_static("application/json")),
                    bytes: bytes.into(),
                    streamed: None,
                });
            }
            Err(error) => self.defer(Deferred::Encode(Arc::new(error))),
        }
        self
    }

    /// Sends `bytes` as the body with the given `Content-Type`.
    pub fn bytes_body(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.body = Some(Body {
            content_type: HeaderValue::from_str(content_type).map_err(|_| content_type.to_owned()),
            bytes: bytes.into().into(),
            streamed: None,
        });
        self
    }

    /// Sends the chunks of `stream` as the body with the given `Content-Type`,
    /// without holding them all in memory (small uploads: `PUT …/content`).
    ///
    /// With `length`, it is sent as `Content-Length` and the stream must yield
    /// exactly that many bytes; without, the body is sent chunked. A stream
    /// can be read once, so such a request is never retried (a throttled
    /// answer is returned as the error), and sending a clone of it after the
    /// original fails with [`Error::UploadSource`]. A stream error ends the
    /// request with [`Error::Network`].
    pub fn stream_body<S, E>(mut self, content_type: &str, length: Option<u64>, stream: S) -> Self
    where
        S: Stream<Item = Result<bytes::Bytes, E>> + Send + 'static,
        E: Into<crate::BoxError> + 'static,
    {
        self.body = Some(Body {
            content_type: HeaderValue::from_str(content_type).map_err(|_| content_type.to_owned()),
            bytes: bytes::Bytes::new(),
            streamed: Some(StreamedBody::new(stream, length)),
        });
        self
    }

    /// This endpoint's request at `link`: an `@odata.nextLink` or
    /// `@odata.deltaLink` this endpoint produced, or a
    /// [`DeltaLink`](crate::DeltaLink). The link replaces the path and query
    /// (the service encodes the query options into it); the method becomes
    /// `GET`, the body is dropped, and the headers and timeout are kept.
    ///
    /// The link must be on the base URL's origin and under its path (the
    /// token is never sent elsewhere); otherwise sending fails with
    /// [`Error::InvalidUrl`].
    ///
    /// ```
    /// # use graph_runtime::{Collection, HttpClient, Method, Request, RequestPath, StaticToken};
    /// # let http = HttpClient::new("https://graph.microsoft.com/v1.0", StaticToken::new("t")).unwrap();
    /// let users = Request::<Collection<serde_json::Value>>::new(&http, Method::GET, RequestPath::root().segment("users"))
    ///     .header("ConsistencyLevel", "eventual");
    /// let next = users.at_link("https://graph.microsoft.com/v1.0/users?$skiptoken=X%2BY");
    /// assert_eq!(next.path().as_str().unwrap(), "/users");
    /// assert_eq!(next.query_string(), "$skiptoken=X%2BY");
    /// ```
    pub fn at_link(mut self, link: &str) -> Self {
        match split_link(&self.http, link) {
            Ok((path, query)) => {
                self.path = RequestPath::from_encoded(path);
                // Kept verbatim, each `name=value` pair as one key: the link is
                // already encoded, and re-encoding would change its tokens.
                self.query = query
                    .split('&')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| QueryPair {
                        key: Cow::Owned(pair.to_owned()),
                        value: String::new(),
                        verbatim: true,
                    })
                    .collect();
                self.method = Method::GET;
                self.body = None;
            }
            Err(Error::InvalidUrl { url, reason }) => self.defer(Deferred::Link { url, reason }),
            Err(other) => self.defer(Deferred::Link {
                url: link.to_owned(),
                reason: other.to_string(),
            }),
        }
        self
    }

    /// A request of this type at `link` (see [`Request::at_link`]), for a link
    /// kept from an earlier run: name the endpoint's request type to read it
    /// as that endpoint's answer.
    pub fn from_link(http: &HttpClient, link: &str) -> Self {
        Request::new(http, Method::GET, RequestPath::root()).at_link(link)
    }

    /// Adds a request header (e.g. `ConsistencyLevel: eventual`, `Prefer`).
    /// Repeating a name sends the header several times. An invalid name or
    /// value makes `send` fail with [`Error::InvalidHeader`].
    /// `Authorization` is always replaced by the client's bearer token.
    pub fn header(mut self, name: impl AsRef<str>, value: impl Into<String>) -> Self {
        let name = name.as_ref();
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::try_from(value.into()),
        ) {
            (Ok(header), Ok(value)) => {
                self.headers.append(header, value);
            }
            (Err(_), _) => self.defer(Deferred::Header {
                name: name.to_owned(),
                reason: "not a valid header name",
            }),
            (_, Err(_)) => self.defer(Deferred::Header {
                name: name.to_owned(),
                reason: "the value contains characters not allowed in a header",
            }),
        }
        self
    }

    /// Adds a query parameter: `name` written as given, `value`
    /// percent-encoded (see [`query`] for the rule). The escape hatch for
    /// options the generated types do not cover; repeated names repeat.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push(QueryPair {
            key: Cow::Owned(name.to_owned()),
            value: value.into(),
            verbatim: false,
        });
        self
    }

    /// Adds a query parameter fixed by the documented path template
    /// (e.g. `?$format=text/csv`), sent verbatim: it must already be encoded.
    pub fn fixed_query(mut self, name: &'static str, value: &'static str) -> Self {
        self.query.push(QueryPair {
            key: Cow::Borrowed(name),
            value: value.to_owned(),
            verbatim: true,
        });
        self
    }

    /// Limits each attempt of this request to `timeout` (overrides the
    /// client's [`HttpClientBuilder::timeout`](crate::HttpClientBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request path (relative to the client's base URL).
    pub fn path(&self) -> &RequestPath {
        &self.path
    }

    /// The encoded query string, without the leading `?` (empty if none).
    ///
    /// ```
    /// # use graph_runtime::{HttpClient, Json, Method, Request, RequestPath, StaticToken};
    /// # let http = HttpClient::new("https://graph.microsoft.com/beta", StaticToken::new("t")).unwrap();
    /// let request = Request::<Json<serde_json::Value>>::new(&http, Method::GET, RequestPath::root())
    ///     .query("$filter", "startswith(displayName,'a b')")
    ///     .fixed_query("$format", "text/csv");
    /// assert_eq!(
    ///     request.query_string(),
    ///     "$filter=startswith(displayName,'a%20b')&$format=text/csv"
    /// );
    /// ```
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for pair in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&pair.key);
            if pair.verbatim {
                if !pair.value.is_empty() {
                    out.push('=');
                    out.push_str(&pair.value);
                }
            } else {
                out.push('=');
                out.push_str(&encode_query_component(&pair.value));
            }
        }
        out
    }

    /// The query option `key` (an OData system option), if set.
    fn option_mut(&mut self, key: &'static str) -> Option<&mut String> {
        self.query
            .iter_mut()
            .find(|pair| !pair.verbatim && pair.key == key)
            .map(|pair| &mut pair.value)
    }

    /// Sets `key` to `value`, in place if already present.
    fn set_option(mut self, key: &'static str, value: String) -> Self {
        match self.option_mut(key) {
            Some(existing) => *existing = value,
            None => self.query.push(QueryPair {
                key: Cow::Borrowed(key),
                value,
                verbatim: false,
            }),
        }
        self
    }

    /// Appends `items` to the comma-separated list option `key`.
    fn extend_option(mut self, key: &'static str, items: &str) -> Self {
        if items.is_empty() {
            return self;
        }
        match self.option_mut(key) {
            Some(existing) => {
                existing.push(',');
                existing.push_str(items);
            }
            None => self = self.set_option(key, items.to_owned()),
        }
        self
    }

    fn joined<F: Field>(fields: impl IntoIterator<Item = F>) -> String {
        let mut out = String::new();
        for field in fields {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(field.name());
        }
        out
    }

    /// The client and everything `send` needs, for the runtime's multi-request
    /// patterns (batches, delta rounds).
    pub(crate) fn into_parts(self) -> (HttpClient, Result<Prepared, Error>) {
        let http = self.http.clone();
        (http, self.prepare())
    }

    /// Everything `send` needs, or the first builder error.
    fn prepare(self) -> Result<Prepared, Error> {
        if let Some(deferred) = self.deferred {
            return Err(deferred.into_error());
        }
        let mut path = self.path.as_str()?.to_owned();
        let template = Arc::from(self.path.template());
        let query = self.query_string();
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query);
        }
        let url = self.http.url(&path)?;
        let mut streamed = None;
        let body = match self.body {
            None => None,
            Some(Body {
                content_type: Ok(content_type),
                bytes,
                streamed: stream,
            }) => {
                streamed = stream;
                Some((content_type, bytes))
            }
            Some(Body {
                content_type: Err(name),
                ..
            }) => {
                return Err(Error::InvalidHeader {
                    name: format!("content-type ({name:?})"),
                    reason: "the value contains characters not allowed in a header",
                });
            }
        };
        Ok(Prepared {
            method: self.method,
            url,
            template,
            headers: self.headers,
            body,
            streamed,
            timeout: self.timeout,
        })
    }
}

/// The encoded path (relative to the base URL) and query of a link, which
/// must be on the base URL's origin and under its path.
fn split_link(http: &HttpClient, link: &str) -> Result<(String, String), Error> {
    let url = http.link(link)?;
    let base = reqwest::Url::parse(http.base_url()).map_err(|e| Error::InvalidUrl {
        url: http.base_url().to_owned(),
        reason: e.to_string(),
    })?;
    let base_path = base.path().trim_end_matches('/');
    let path = url
        .path()
        .strip_prefix(base_path)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .ok_or_else(|| Error::InvalidUrl {
            url: link.to_owned(),
            reason: format!("the link is not under the base URL path `{base_path}`"),
        })?;
    let path = if path.is_empty() { "/" } else { path };
    Ok((path.to_owned(), url.query().unwrap_or_default().to_owned()))
}

impl<R: ResponseKind, O> Request<R, O> {
    /// Sends the request (retrying per the client's policy) and decodes the
    /// response as `R` says. Same as `.await` on the request.
    pub fn send(self) -> ResponseFuture<R::Output> {
        let http = self.http.clone();
        let prepared = self.prepare();
        Box::pin(async move { http.execute::<R>(&prepared?).await })
    }
}

impl<R: ResponseKind, O> IntoFuture for Request<R, O> {
    type Output = Result<R::Output, Error>;
    type IntoFuture = ResponseFuture<R::Output>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<T: DeserializeOwned + Send + 'static, O> Request<Collection<T>, O> {
    /// All pages, following `@odata.nextLink` until the last page.
    ///
    /// Each next link is requested as-is (it already carries the query) with
    /// `GET`, this request's extra headers and timeout, a fresh token and
    /// the client's retries. A next link on another origin than the base
    /// URL is refused with [`Error::InvalidUrl`]; a next link that was
    /// already requested (a service that sends the same page again) ends
    /// paging with [`Error::RepeatedNextLink`] instead of looping for ever.
    /// The stream ends after the first error.
    pub fn pages(self) -> PageStream<T> {
        let http = self.http.clone();
        let first = self.prepare();
        let start = Paging {
            next: Some(first),
            requested: HashSet::new(),
        };
        Box::pin(stream::try_unfold(start, move |mut paging| {
            let http = http.clone();
            async move {
                let Some(prepared) = paging.next.take() else {
                    return Ok(None);
                };
                let prepared = prepared?;
                paging.requested.insert(prepared.url.as_str().to_owned());
                let page = http.execute::<Collection<T>>(&prepared).await?;
                if let Some(link) = &page.next_link {
                    let url = http.link(link)?;
                    if paging.requested.contains(url.as_str()) {
                        return Err(Error::RepeatedNextLink { link: link.clone() });
                    }
                    paging.next = Some(Ok(prepared.follow(url)));
                }
                Ok(Some((page, paging)))
            }
        }))
    }

    /// The items of all pages, one by one (see [`Request::pages`]).
    pub fn stream(self) -> ItemStream<T> {
        Box::pin(
            self.pages()
                .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
                .try_flatten(),
        )
    }

    /// Collects the items of all pages (see [`Request::pages`]).
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            items.extend(page?.value);
        }
        Ok(items)
    }
}

impl<R, O: Select> Request<R, O> {
    /// Adds typed fields to `$select` (merged with [`select_raw`](Self::select_raw)
    /// into one comma-separated list, in call order).
    pub fn select(self, fields: impl IntoIterator<Item = O::Field>) -> Self {
        let items = Self::joined(fields);
        self.extend_option("$select", &items)
    }

    /// Adds comma-separated property names to `$select` as written.
    pub fn select_raw(self, fields: &str) -> Self {
        self.extend_option("$select", fields)
    }
}

impl<R, O: Filter> Request<R, O> {
    /// Sets `$filter`; a second filter is combined with `and`.
    pub fn filter(self, expr: FilterExpr) -> Self {
        self.add_filter(expr)
    }

    /// Sets `$filter` to a hand-written expression; combined with `and` like
    /// [`filter`](Self::filter).
    pub fn filter_raw(self, expr: &str) -> Self {
        self.add_filter(FilterExpr::raw(expr))
    }

    fn add_filter(mut self, expr: FilterExpr) -> Self {
        match self.option_mut("$filter") {
            Some(existing) => {
                *existing = FilterExpr::raw(std::mem::take(existing))
                    .and(expr)
                    .to_string();
                self
            }
            None => self.set_option("$filter", expr.to_string()),
        }
    }
}

impl<R, O: OrderBy> Request<R, O> {
    /// Adds a sort key to `$orderby` (repeatable; earlier keys sort first).
    pub fn order_by(self, field: O::Field, direction: Order) -> Self {
        let item = match direction {
            Order::Asc => field.name().to_owned(),
            Order::Desc => format!("{} desc", field.name()),
        };
        self.extend_option("$orderby", &item)
    }

    /// Adds hand-written sort keys (`"displayName desc,id"`) to `$orderby`.
    pub fn order_by_raw(self, keys: &str) -> Self {
        self.extend_option("$orderby", keys)
    }
}

impl<R, O: Expand> Request<R, O> {
    /// Adds relationships to `$expand` (merged with
    /// [`expand_raw`](Self::expand_raw), in call order).
    pub fn expand(self, fields: impl IntoIterator<Item = O::Field>) -> Self {
        let items = Self::joined(fields);
        self.extend_option("$expand", &items)
    }

    /// Adds hand-written items (`"members($select=id)"`) to `$expand`.
    pub fn expand_raw(self, items: &str) -> Self {
        self.extend_option("$expand", items)
    }
}

impl<R, O: Top> Request<R, O> {
    /// Sets `$top` (page size, or result limit).
    pub fn top(self, n: u32) -> Self {
        self.set_option("$top", n.to_string())
    }
}

impl<R, O: Skip> Request<R, O> {
    /// Sets `$skip`.
    pub fn skip(self, n: u32) -> Self {
        self.set_option("$skip", n.to_string())
    }
}

impl<R, O: Count> Request<R, O> {
    /// Sets `$count=true` (or `false`) to ask for `@odata.count`.
    pub fn count(self, yes: bool) -> Self {
        self.set_option("$count", yes.to_string())
    }
}

impl<R, O: Search> Request<R, O> {
    /// Sets `$search` to `terms` in double quotes, as Graph documents it
    /// (`$search="displayName:room"`); `"` and `\` inside are backslash-escaped.
    pub fn search(self, terms: &str) -> Self {
        let escaped = terms.replace('\\', "\\\\").replace('"', "\\\"");
        self.set_option("$search", format!("\"{escaped}\""))
    }

    /// Sets `$search` as written, for compound searches
    /// (`"displayName:a" OR "mail:b"`).
    pub fn search_raw(self, expression: &str) -> Self {
        self.set_option("$search", expression.to_owned())
    }
}

/// Where [`Request::pages`] is: the next request, and every URL requested so far (one
/// string per page, small beside the pages themselves).
struct Paging {
    next: Option<Result<Prepared, Error>>,
    requested: HashSet<String>,
}

// Compile-time guarantees the generated code relies on.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Request<crate::Json<serde_json::Value>, query::NoOptions>>();
    send_sync::<Request<crate::Bytes, std::rc::Rc<()>>>();
};
