//! The body of a `$ref` call: a link to another object by its URL.

use serde::{Deserialize, Serialize};

/// What `POST …/members/$ref` and its kin send: `{"@odata.id": "<the object's URL>"}`.
///
/// ```
/// let member = graph_runtime::Reference::new(
///     "https://graph.microsoft.com/v1.0/directoryObjects/1d3a7f9c-0000-0000-0000-000000000000",
/// );
/// assert_eq!(
///     serde_json::to_string(&member).unwrap(),
///     r#"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/1d3a7f9c-0000-0000-0000-000000000000"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The URL of the object referred to; empty in [`Reference::none`].
    #[serde(
        rename = "@odata.id",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub odata_id: String,
}

impl Reference {
    /// A reference to the object at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            odata_id: url.into(),
        }
    }

    /// No reference: `{}`, which some `PUT …/$ref` calls take to clear theirs (a user flow's
    /// API connector, for one).
    ///
    /// ```
    /// let none = graph_runtime::Reference::none();
    /// assert_eq!(serde_json::to_string(&none).unwrap(), "{}");
    /// assert_eq!(serde_json::from_str::<graph_runtime::Reference>("{}").unwrap(), none);
    /// ```
    pub fn none() -> Self {
        Self::default()
    }
}
