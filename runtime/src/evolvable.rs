//! Evolvable enums. Graph ends an enum that may grow with the member `unknownFutureValue`, and
//! sends the members added after it only to callers that ask with
//! `Prefer: include-unknown-enum-members`; others receive `unknownFutureValue` in their place.
//! Generated enums say whether they are evolvable ([`EvolvableEnum`]), and requests whose
//! responses can carry one ([`CarriesEvolvableEnums`]) offer
//! [`include_unknown_enum_members`](Request::include_unknown_enum_members).
//!
//! ```no_run
//! # async fn demo(http: graph_runtime::HttpClient) -> Result<(), graph_runtime::Error> {
//! use graph_runtime::{CarriesEvolvableEnums, Json, Method, Request, RequestPath};
//!
//! // What the generator emits for a resource with an evolvable enum among its properties:
//! #[derive(serde::Deserialize)]
//! struct Widget { shade: Option<String> }
//! impl CarriesEvolvableEnums for Widget {}
//!
//! let widget = Request::<Json<Widget>>::new(&http, Method::GET, RequestPath::root().segment("widget"))
//!     .include_unknown_enum_members() // members added after `unknownFutureValue` come as they are
//!     .await?;
//! # let _ = widget; Ok(()) }
//! ```

use crate::flags::StringEnum;
use crate::{ActionResult, Collection, Json, Request};

/// The value of the `Prefer` header that asks for an evolvable enum's newer members.
pub const INCLUDE_UNKNOWN_ENUM_MEMBERS: &str = "include-unknown-enum-members";

/// An enum whose members end in `unknownFutureValue`: the service may add members, and sends
/// those after `unknownFutureValue` only to requests that carry the `Prefer` header
/// [`INCLUDE_UNKNOWN_ENUM_MEMBERS`] (see [`CarriesEvolvableEnums`]).
pub trait EvolvableEnum: StringEnum {
    /// The members the docs list after `unknownFutureValue`: sent as `unknownFutureValue`
    /// unless the request asks for them.
    const NEWER_MEMBERS: &'static [&'static str];
}

/// A response type that holds an evolvable enum somewhere (a property, a property of a
/// property, an item): its requests offer
/// [`include_unknown_enum_members`](Request::include_unknown_enum_members).
pub trait CarriesEvolvableEnums {}

impl<T: CarriesEvolvableEnums> CarriesEvolvableEnums for Vec<T> {}
impl<T: CarriesEvolvableEnums> CarriesEvolvableEnums for Option<T> {}
impl<T: CarriesEvolvableEnums> CarriesEvolvableEnums for Box<T> {}
impl<T: CarriesEvolvableEnums> CarriesEvolvableEnums for crate::Dictionary<T> {}

macro_rules! include_unknown_enum_members {
    ($($kind:ident),*) => {$(
        impl<T: CarriesEvolvableEnums, O> Request<$kind<T>, O> {
            /// Asks for the members of evolvable enums that the service otherwise sends as
            /// `unknownFutureValue` (`Prefer: include-unknown-enum-members`). Unknown members
            /// are kept either way: they read as the enum's `Other(value)`.
            pub fn include_unknown_enum_members(self) -> Self {
                self.header("Prefer", INCLUDE_UNKNOWN_ENUM_MEMBERS)
            }
        }
    )*};
}

include_unknown_enum_members!(Json, Collection, ActionResult);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HttpClient, Method, RequestPath, StaticToken};

    struct Carrier;
    impl CarriesEvolvableEnums for Carrier {}

    #[test]
    fn the_request_carries_the_prefer_header() {
        let http = HttpClient::new("https://graph.microsoft.com/v1.0", StaticToken::new("t"))
            .expect("client");
        let request = Request::<Collection<Carrier>>::new(&http, Method::GET, RequestPath::root())
            .include_unknown_enum_members();
        let debug = format!("{request:?}");
        assert!(debug.contains("\"prefer\""), "{debug}");
    }
}
