//! Delta queries: the [`Delta<T>`] response kind of `…/delta` functions, and
//! rounds that follow `@odata.nextLink` to the `@odata.deltaLink` the next
//! round starts from.
//!
//! ```no_run
//! # async fn demo(http: graph_runtime::HttpClient) -> Result<(), graph_runtime::Error> {
//! use graph_runtime::{Change, Delta, DeltaLink, Method, Request, RequestPath};
//!
//! // What the generator emits for `GET /users/delta`:
//! let delta = || Request::<Delta<serde_json::Value>>::new(
//!     &http, Method::GET, RequestPath::root().segment("users").function("delta", &[]));
//!
//! let first = delta().round().await?;              // the whole current state
//! let saved = serde_json::to_string(&first.delta_link).unwrap();
//! // ... later, maybe in another process:
//! let link: DeltaLink = serde_json::from_str(&saved).unwrap();
//! let next = delta().resume(&link).round().await?; // what changed since
//! for change in next.changes {
//!     match change {
//!         Change::Updated(user) => println!("changed: {}", user["id"]),
//!         Change::Removed(removal) => println!("removed: {:?}", removal.id),
//!     }
//! }
//! # Ok(()) }
//! ```

use std::collections::HashSet;
use std::marker::PhantomData;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};
use reqwest::StatusCode;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

use crate::response::{buffered, decode_json, sealed};
use crate::{Error, Request, ResponseKind};

/// The response kind of a delta function (`GET /users/delta`, `…/root/delta`):
/// one [`DeltaPage<T>`]. [`Request::round`](Request::round) reads a whole
/// round; [`Request::resume`](Request::resume) starts the next one.
pub struct Delta<T>(PhantomData<fn() -> T>);

/// One page of a delta round.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
pub struct DeltaPage<T> {
    /// The changes on this page (may be empty, with more pages to come).
    #[serde(rename = "value", default = "Vec::new")]
    pub changes: Vec<Change<T>>,
    /// The next page of this round, if there is one.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// Where the next round starts, on the last page of this one.
    #[serde(rename = "@odata.deltaLink", default)]
    pub delta_link: Option<DeltaLink>,
}

/// One change of a delta round.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    /// The object was added or changed (with `Prefer: return=minimal` on a
    /// later round, only the changed properties are set).
    Updated(T),
    /// The object was removed (the service marked it `@removed`).
    Removed(Removal),
}

/// An object a delta round reports as removed:
/// `{"id": "…", "@removed": {"reason": "deleted"}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The removed object's id, if the service sent one as a string.
    pub id: Option<String>,
    /// Why: `"changed"` (soft-deleted, can be restored) or `"deleted"`
    /// (permanently), as the service says.
    pub reason: Option<String>,
    /// The object's other members (`@odata.type`, ...).
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = serde_json::Map::deserialize(deserializer)?;
        let Some(removed) = object.remove("@removed") else {
            return T::deserialize(serde_json::Value::Object(object))
                .map(Change::Updated)
                .map_err(D::Error::custom);
        };
        let reason = removed
            .get("reason")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let id = match object.remove("id") {
            Some(serde_json::Value::String(id)) => Some(id),
            Some(other) => {
                object.insert("id".to_owned(), other);
                None
            }
            None => None,
        };
        Ok(Change::Removed(Removal {
            id,
            reason,
            properties: object,
        }))
    }
}

/// Where a delta round ended and the next one starts: the round's
/// `@odata.deltaLink`, kept whole (the service encodes the query and its state
/// token into it). Serialises as the link string; store it and pass it to
/// [`Request::resume`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeltaLink(String);

impl DeltaLink {
    /// A delta link kept as a string elsewhere. Whether it belongs to the
    /// client's service is checked when a request is sent from it.
    pub fn new(link: impl Into<String>) -> Self {
        DeltaLink(link.into())
    }

    /// The link.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A whole delta round: every page's changes, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaRound<T> {
    /// The changes of all pages.
    pub changes: Vec<Change<T>>,
    /// Where the next round starts.
    pub delta_link: DeltaLink,
    /// How many pages the round took (empty pages included).
    pub pages: usize,
}

/// The pages of a delta round, from `pages` on a [`Delta`] request.
pub type DeltaPageStream<T> =
    Pin<Box<dyn Stream<Item = Result<DeltaPage<T>, Error>> + Send + 'static>>;

impl<T> sealed::Sealed for Delta<T> {}
impl<T: DeserializeOwned + Send + 'static> ResponseKind for Delta<T> {
    type Output = DeltaPage<T>;
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<DeltaPage<T>, Error> {
        let (status, _, body) = buffered(response).await?;
        decode_json(status, &body)
    }
}

impl<T: DeserializeOwned + Send + 'static, O> Request<Delta<T>, O> {
    /// This delta function's request at the start of the next round: `link`
    /// is the [`DeltaRound::delta_link`] of the last one. Headers and timeout
    /// are kept (e.g. `Prefer: return=minimal`); the query options of the
    /// first round are in the link. See [`Request::at_link`].
    pub fn resume(self, link: &DeltaLink) -> Self {
        self.at_link(link.as_str())
    }

    /// The pages of one round: this request, then each `@odata.nextLink`
    /// (empty pages included) up to the page with the `@odata.deltaLink`.
    ///
    /// Next links are requested as a collection's pages are (same origin only,
    /// this request's headers, a fresh token and the client's retries). The
    /// stream ends with an error, instead of looping, if the service sends a
    /// next link this round already followed, and with an error if a page has
    /// neither link.
    pub fn pages(self) -> DeltaPageStream<T> {
        let (http, first) = self.into_parts();
        let start = (Some(first), HashSet::new());
        Box::pin(stream::try_unfold(start, move |(next, mut seen)| {
            let http = http.clone();
            async move {
                let Some(prepared) = next else {
                    return Ok(None);
                };
                let prepared = prepared?;
                seen.insert(prepared.url.to_string());
                let page = http.execute::<Delta<T>>(&prepared).await?;
                let next = match (&page.next_link, &page.delta_link) {
                    (Some(link), _) => {
                        let url = http.link(link)?;
                        // Following a link this round already followed would loop.
                        if !seen.insert(url.to_string()) {
                            return Err(Error::RepeatedNextLink { link: link.clone() });
                        }
                        Some(Ok(prepared.follow(url)))
                    }
                    (None, Some(_)) => None,
                    (None, None) => {
                        return Err(Error::UnexpectedResponse {
                            status: StatusCode::OK,
                            reason: "a delta page has neither @odata.nextLink nor @odata.deltaLink",
                        });
                    }
                };
                Ok(Some((page, (next, seen))))
            }
        }))
    }

    /// One whole round (see [`pages`](Self::pages)): the changes
    /// of all its pages and the link the next round starts from.
    pub async fn round(self) -> Result<DeltaRound<T>, Error> {
        let mut pages = self.pages();
        let mut changes = Vec::new();
        let mut count = 0;
        let mut delta_link = None;
        while let Some(page) = pages.try_next().await? {
            count += 1;
            changes.extend(page.changes);
            if page.next_link.is_none() {
                delta_link = page.delta_link;
            }
        }
        match delta_link {
            Some(delta_link) => Ok(DeltaRound {
                changes,
                delta_link,
                pages: count,
            }),
            // `pages` ends with an error rather than without a link.
            None => Err(Error::UnexpectedResponse {
                status: StatusCode::OK,
                reason: "the delta round ended without an @odata.deltaLink",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    struct User {
        id: String,
        #[serde(rename = "displayName")]
        display_name: Option<String>,
    }

    #[test]
    fn removed_objects_are_removals_and_the_rest_are_updates() {
        let page: DeltaPage<User> = serde_json::from_value(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "value": [
                {"id": "1", "displayName": "Ada"},
                {"@odata.type": "#microsoft.graph.user", "id": "2", "@removed": {"reason": "changed"}},
                {"id": 3, "@removed": {}}
            ],
            "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"
        }))
        .expect("page");
        assert_eq!(
            page.changes[0],
            Change::Updated(User {
                id: "1".to_owned(),
                display_name: Some("Ada".to_owned())
            })
        );
        let Change::Removed(removal) = &page.changes[1] else {
            panic!("expected a removal: {:?}", page.changes[1]);
        };
        assert_eq!(removal.id.as_deref(), Some("2"));
        assert_eq!(removal.reason.as_deref(), Some("changed"));
        assert_eq!(
            removal.properties.get("@odata.type"),
            Some(&json!("#microsoft.graph.user"))
        );
        let Change::Removed(odd) = &page.changes[2] else {
            panic!("expected a removal");
        };
        assert_eq!((odd.id.as_deref(), odd.reason.as_deref()), (None, None));
        assert_eq!(odd.properties.get("id"), Some(&json!(3)), "kept, not lost");
        assert_eq!(page.next_link, None);
        assert_eq!(
            page.delta_link.as_ref().map(DeltaLink::as_str),
            Some("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x")
        );
    }

    #[test]
    fn a_change_that_is_not_the_type_is_a_decode_error() {
        let result =
            serde_json::from_value::<DeltaPage<User>>(json!({"value": [{"displayName": "no id"}]}));
        assert!(result.is_err());
        let empty: DeltaPage<User> = serde_json::from_value(json!({"value": []})).expect("page");
        assert!(empty.changes.is_empty());
    }

    #[test]
    fn delta_links_serialise_as_the_link() {
        let link = DeltaLink::new("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=a%2Bb");
        let text = serde_json::to_string(&link).expect("serialise");
        assert_eq!(
            text,
            r#""https://graph.microsoft.com/v1.0/users/delta?$deltatoken=a%2Bb""#
        );
        assert_eq!(
            serde_json::from_str::<DeltaLink>(&text).expect("deserialise"),
            link
        );
    }
}
