//! Hand-written runtime for the generated Microsoft Graph client.
//!
//! The code generator turns the Graph markdown documentation into a typed
//! Rust crate; that crate contains only models and thin operation functions
//! and builds on this one (in the spirit of `progenitor-client`) for
//! everything that does not depend on the API description:
//!
//! - [`HttpClient`] (configured by [`HttpClientBuilder`]): authenticated
//!   requests over reqwest + rustls (`aws-lc-rs`), with [`RetryPolicy`] retries of
//!   throttled requests, per-attempt timeouts, and non-2xx responses turned
//!   into [`Error::Api`];
//! - [`Request`]: one call with typed OData query options (gated per endpoint
//!   by the traits in [`query`]), headers, body, and a response kind
//!   ([`Json`], [`Collection`] with [`Page`] streaming, [`NoContent`],
//!   [`Accepted`], [`Redirect`], [`Bytes`], [`CountValue`], [`Delta`]);
//! - the Graph patterns that take more than one request: [`Batch`] (JSON
//!   batching with typed answers), [`Delta`] rounds resumed from a
//!   [`DeltaLink`], [`Request::at_link`] (a typed request from any
//!   `@odata.nextLink` or `@odata.deltaLink`), [`UploadSession`] and
//!   [`LargeFileUpload`] (resumable chunked uploads), [`Request::stream_body`]
//!   (small uploads from a stream), and [`Bytes`] downloads that follow the
//!   redirect to a pre-authenticated URL without the token;
//! - [`TokenProvider`], [`AccessToken`], [`StaticToken`], [`TokenFn`]: pluggable
//!   bearer-token acquisition (the token never appears in `Debug` output or errors);
//! - [`encode_path_segment`] and friends: safe interpolation of parameters into URLs;
//! - [`Patch`]: the tri-state field type of update bodies;
//! - [`Dictionary`]: the docs' dictionary types (string keys, one value type), whose `null`
//!   entries remove a key in an update;
//! - [`EvolvableEnum`], [`CarriesEvolvableEnums`] and [`INCLUDE_UNKNOWN_ENUM_MEMBERS`]: enums
//!   ending in `unknownFutureValue`, and the requests that may ask for their newer members;
//! - [`Base64Bytes`] and [`IsoDuration`]: `Edm.Binary` and `Edm.Duration`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), graph_runtime::Error> {
//! use graph_runtime::{HttpClient, Json, Method, Request, RequestPath, StaticToken, GRAPH_V1_BASE_URL};
//!
//! let client = HttpClient::new(GRAPH_V1_BASE_URL, StaticToken::new("eyJ0..."))?;
//! let path = RequestPath::root().segment("users").parameter("user-id", "someone@contoso.com");
//! let user: serde_json::Value =
//!     Request::<Json<serde_json::Value>>::new(&client, Method::GET, path).await?;
//! # let _ = user; Ok(()) }
//! ```

#![warn(missing_docs)]

mod auth;
mod batch;
mod client;
mod cloud;
pub mod credentials;
pub mod de;
mod delta;
mod dictionary;
mod download;
mod error;
mod evolvable;
mod flags;
mod patch;
mod path;
mod primitives;
pub mod query;
mod reference;
mod request;
mod response;
mod retry;
pub mod ser;
mod upload;

pub use auth::{AccessToken, StaticToken, TokenFn, TokenFuture, TokenProvider};
pub use batch::{Batch, BatchItemId, BatchKey, BatchResponses, MAX_BATCH_REQUESTS};
pub use client::{
    DEFAULT_TIMEOUT, GRAPH_BETA_BASE_URL, GRAPH_V1_BASE_URL, HttpClient, HttpClientBuilder,
};
pub use cloud::{NationalCloud, UnknownCloud};
pub use delta::{Change, Delta, DeltaLink, DeltaPage, DeltaPageStream, DeltaRound, Removal};
pub use dictionary::Dictionary;
pub use error::{ApiError, BoxError, Error, ErrorBody, InnerError, ODataError};
pub use evolvable::{CarriesEvolvableEnums, EvolvableEnum, INCLUDE_UNKNOWN_ENUM_MEMBERS};
pub use flags::{Flags, StringEnum};
pub use patch::Patch;
pub use path::{
    RequestPath, encode_odata_string_literal, encode_path_segment, encode_path_segments,
    encode_query_value,
};
pub use primitives::{Base64Bytes, IsoDuration, ParsePrimitiveError};
pub use reference::Reference;
pub use request::{ItemStream, PageStream, Request, ResponseFuture};
pub use response::{
    Accepted, ActionResult, ByteStream, Bytes, Collection, CountValue, Json, NoContent, Page,
    Redirect, ResponseKind, unwrap_action_value,
};
pub use retry::RetryPolicy;
pub use upload::{
    LargeFileUpload, SeekableSource, UPLOAD_CHUNK_UNIT, UploadProgress, UploadSession, UploadSource,
};

/// The reqwest version the runtime is built on, for [`HttpClient::with_reqwest`].
pub use reqwest;
/// HTTP method (re-exported from reqwest).
pub use reqwest::Method;
/// HTTP status code (re-exported from reqwest).
pub use reqwest::StatusCode;
