//! Percent-encoding of values interpolated into request URLs.
//!
//! Only RFC 3986 *unreserved* characters (`A-Z a-z 0-9 - . _ ~`) are kept
//! verbatim; every other byte of the UTF-8 encoding becomes `%XX`. A value can
//! therefore never add path segments, a query or a fragment to the request.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::Error;
use crate::query::ODataLiteral;

/// Every ASCII byte except the RFC 3986 unreserved characters.
const NON_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`NON_UNRESERVED`] minus the OData function-call punctuation `' ( ) = , :`.
const FUNCTION_ARGUMENT: &AsciiSet = &NON_UNRESERVED
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'=')
    .remove(b',')
    .remove(b':');

/// Encodes `value` so that it is exactly one URL path segment.
///
/// `name` is the parameter name, used in the error. Empty values and the
/// dot-segments `.` and `..` are rejected with [`Error::InvalidPathParameter`]:
/// URL normalisation would otherwise drop or resolve them and change the
/// request target.
///
/// ```
/// # use graph_runtime::encode_path_segment;
/// assert_eq!(encode_path_segment("id", "abc/../x?y#z").unwrap(), "abc%2F..%2Fx%3Fy%23z");
/// assert!(encode_path_segment("id", "..").is_err());
/// ```
pub fn encode_path_segment(name: &'static str, value: &str) -> Result<String, Error> {
    match invalid_reason(value) {
        None => Ok(utf8_percent_encode(value, NON_UNRESERVED).to_string()),
        Some(reason) => Err(Error::InvalidPathParameter {
            name,
            value: value.to_owned(),
            reason,
        }),
    }
}

/// Why a value cannot be one path segment, if it cannot.
fn invalid_reason(value: &str) -> Option<&'static str> {
    match value {
        "" => Some("must not be empty"),
        "." | ".." => Some("must not be a dot-segment (`.` or `..`)"),
        _ => None,
    }
}

/// A request path built one segment at a time by the generated request builders.
///
/// Parameters are percent-encoded as they are added; an invalid one (empty, `.` or `..`) is
/// remembered and reported by [`RequestPath::as_str`] when the request is sent, so builder
/// chains stay free of `?` until the call that can fail anyway.
///
/// ```
/// # use graph_runtime::RequestPath;
/// let path = RequestPath::root().segment("users").parameter("user-id", "a/b");
/// assert_eq!(path.as_str().unwrap(), "/users/a%2Fb");
/// assert!(RequestPath::root().parameter("id", "..").as_str().is_err());
/// assert_eq!(RequestPath::root().segment("users").parameter("user-id", "a/b").template(), "/users/{user-id}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestPath {
    encoded: String,
    /// The path with each caller-supplied value replaced by `{name}`: what traces show, so
    /// that ids (often user names or mail addresses) stay out of logs.
    template: String,
    invalid: Option<InvalidParameter>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct InvalidParameter {
    name: &'static str,
    value: String,
    reason: &'static str,
}

impl RequestPath {
    /// The service root (an empty path).
    pub fn root() -> Self {
        Self::default()
    }

    /// A path that is already percent-encoded (from a service link), kept as is.
    pub(crate) fn from_encoded(encoded: String) -> Self {
        RequestPath {
            encoded,
            // Which of a link's segments are ids is unknown: traces show none of them.
            template: "{link}".to_string(),
            invalid: None,
        }
    }

    /// Appends a fixed segment, written by the generator and sent as is.
    pub fn segment(&self, segment: &str) -> Self {
        let mut next = self.clone();
        next.encoded.push('/');
        next.encoded.push_str(segment);
        next.template.push('/');
        next.template.push_str(segment);
        next
    }

    /// Appends a caller-supplied value as exactly one percent-encoded segment.
    pub fn parameter(&self, name: &'static str, value: &str) -> Self {
        let mut next = self.clone();
        next.encoded.push('/');
        next.template.push_str("/{");
        next.template.push_str(name);
        next.template.push('}');
        match invalid_reason(value) {
            None => next
                .encoded
                .extend(utf8_percent_encode(value, NON_UNRESERVED)),
            Some(reason) => {
                next.invalid.get_or_insert(InvalidParameter {
                    name,
                    value: value.to_owned(),
                    reason,
                });
            }
        }
        next
    }

    /// Appends a function-call segment `name(arg=literal,...)`, each argument
    /// an [`ODataLiteral`] (strings quoted with `'` doubled).
    ///
    /// Literals are percent-encoded like path parameters except that the
    /// call punctuation `' ( ) = , :` is kept, so the call reads as in the
    /// docs and still stays exactly one segment.
    ///
    /// ```
    /// # use graph_runtime::RequestPath;
    /// let path = RequestPath::root()
    ///     .segment("reports")
    ///     .function("getByIds", &[("ids", &"a'b/c d"), ("top", &5)]);
    /// assert_eq!(path.as_str().unwrap(), "/reports/getByIds(ids='a''b%2Fc%20d',top=5)");
    /// ```
    ///
    /// An argument with an empty name is a positional key: `range('A1:B2')`.
    pub fn function(&self, name: &'static str, args: &[(&'static str, &dyn ODataLiteral)]) -> Self {
        let mut next = self.clone();
        next.encoded.push('/');
        next.encoded.push_str(name);
        next.encoded.push('(');
        next.template.push('/');
        next.template.push_str(name);
        next.template.push('(');
        for (i, (arg, value)) in args.iter().enumerate() {
            if i > 0 {
                next.encoded.push(',');
                next.template.push(',');
            }
            if !arg.is_empty() {
                next.encoded.push_str(arg);
                next.encoded.push('=');
                next.template.push_str(arg);
                next.template.push('=');
            }
            next.template.push_str("{}");
            next.encoded.extend(utf8_percent_encode(
                &value.odata_literal(),
                FUNCTION_ARGUMENT,
            ));
        }
        next.encoded.push(')');
        next.template.push(')');
        next
    }

    /// Appends OneDrive path addressing to the last segment: `…/root` becomes
    /// `…/root:/Docs/a%20b.txt:`. Each segment of `value` is encoded as by
    /// [`encode_path_segment`]; empty, `.` and `..` segments are refused when the request
    /// is sent.
    ///
    /// ```
    /// # use graph_runtime::RequestPath;
    /// let path = RequestPath::root().segment("drive").segment("root").item_path("item-path", "Docs/a b.txt");
    /// assert_eq!(path.as_str().unwrap(), "/drive/root:/Docs/a%20b.txt:");
    /// assert!(RequestPath::root().segment("root").item_path("p", "a/../b").as_str().is_err());
    /// ```
    pub fn item_path(&self, name: &'static str, value: &str) -> Self {
        let mut next = self.clone();
        next.template.push_str(":/{");
        next.template.push_str(name);
        next.template.push_str("}:");
        match encode_path_segments(name, value) {
            Ok(encoded) => {
                next.encoded.push_str(":/");
                next.encoded.push_str(&encoded);
                next.encoded.push(':');
            }
            Err(Error::InvalidPathParameter { reason, .. }) => {
                next.invalid.get_or_insert(InvalidParameter {
                    name,
                    value: value.to_owned(),
                    reason,
                });
            }
            Err(_) => {
                next.invalid.get_or_insert(InvalidParameter {
                    name,
                    value: value.to_owned(),
                    reason: "is not a valid item path",
                });
            }
        }
        next
    }

    /// The path as the docs write it, each caller-supplied value shown as `{name}` (function
    /// arguments as `{}`); `/` for the root. Tracing spans carry this instead of the path so
    /// that ids stay out of logs.
    ///
    /// ```
    /// # use graph_runtime::RequestPath;
    /// let path = RequestPath::root()
    ///     .segment("drives").parameter("drive-id", "b!x")
    ///     .segment("root").item_path("item-path", "Docs/a.txt")
    ///     .function("search", &[("q", &"budget")]);
    /// assert_eq!(path.template(), "/drives/{drive-id}/root:/{item-path}:/search(q={})");
    /// ```
    pub fn template(&self) -> &str {
        if self.template.is_empty() {
            "/"
        } else {
            &self.template
        }
    }

    /// The encoded path, or the first invalid parameter.
    pub fn as_str(&self) -> Result<&str, Error> {
        match &self.invalid {
            None => Ok(if self.encoded.is_empty() {
                "/"
            } else {
                &self.encoded
            }),
            Some(invalid) => Err(Error::InvalidPathParameter {
                name: invalid.name,
                value: invalid.value.clone(),
                reason: invalid.reason,
            }),
        }
    }
}

/// Encodes a `/`-separated path (e.g. a drive item path used as
/// `/me/drive/root:/{item-path}:/content`) segment by segment, keeping the
/// separators.
///
/// Each segment is encoded as by [`encode_path_segment`]; one leading and one
/// trailing `/` are ignored, and empty, `.` or `..` segments are rejected.
///
/// ```
/// # use graph_runtime::encode_path_segments;
/// assert_eq!(encode_path_segments("path", "/Docs/a b.txt").unwrap(), "Docs/a%20b.txt");
/// assert!(encode_path_segments("path", "Docs/../secret").is_err());
/// ```
pub fn encode_path_segments(name: &'static str, value: &str) -> Result<String, Error> {
    let trimmed = value.strip_prefix('/').unwrap_or(value);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let mut out = String::with_capacity(trimmed.len());
    for (i, segment) in trimmed.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match encode_path_segment(name, segment) {
            Ok(encoded) => out.push_str(&encoded),
            Err(Error::InvalidPathParameter { reason, .. }) => {
                return Err(Error::InvalidPathParameter {
                    name,
                    value: value.to_owned(),
                    reason: if segment.is_empty() {
                        "must not contain empty segments"
                    } else {
                        reason
                    },
                });
            }
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}

/// Percent-encodes a query-string key or value (same character set as
/// [`encode_path_segment`]; never fails).
///
/// ```
/// # use graph_runtime::encode_query_value;
/// assert_eq!(encode_query_value("displayName eq 'a&b'"), "displayName%20eq%20%27a%26b%27");
/// ```
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, NON_UNRESERVED).to_string()
}

/// Formats `value` as a percent-encoded OData string literal for function
/// parameters and alternate keys, e.g. `/users(userPrincipalName={})` or
/// `/reports/getX(period={})`.
///
/// The result includes the surrounding single quotes; quotes inside the value
/// are doubled as OData requires, then everything is percent-encoded.
///
/// ```
/// # use graph_runtime::encode_odata_string_literal;
/// assert_eq!(encode_odata_string_literal("O'Neil/x"), "'O%27%27Neil%2Fx'");
/// ```
pub fn encode_odata_string_literal(value: &str) -> String {
    let escaped = value.replace('\'', "''");
    format!("'{}'", utf8_percent_encode(&escaped, NON_UNRESERVED))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(result: Result<String, Error>) -> (&'static str, String, &'static str) {
        match result {
            Err(Error::InvalidPathParameter {
                name,
                value,
                reason,
            }) => (name, value, reason),
            other => panic!("expected InvalidPathParameter, got {other:?}"),
        }
    }

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(
            encode_path_segment("id", "abc/../x?y#z").expect("valid"),
            "abc%2F..%2Fx%3Fy%23z"
        );
        assert_eq!(
            encode_path_segment("id", "a b+c&d=e;f:g@h%i'j(k)l,m*n!o$p").expect("valid"),
            "a%20b%2Bc%26d%3De%3Bf%3Ag%40h%25i%27j%28k%29l%2Cm%2An%21o%24p"
        );
        assert_eq!(
            encode_path_segment("id", "AZaz09-._~").expect("valid"),
            "AZaz09-._~"
        );
        assert_eq!(encode_path_segment("id", "...").expect("valid"), "...");
        assert_eq!(encode_path_segment("id", ".a").expect("valid"), ".a");
        assert_eq!(
            encode_path_segment("id", "%2E%2E").expect("valid"),
            "%252E%252E"
        );
    }

    #[test]
    fn encodes_unicode_as_utf8_bytes() {
        assert_eq!(encode_path_segment("name", "é").expect("valid"), "%C3%A9");
        assert_eq!(
            encode_path_segment("name", "日本 €").expect("valid"),
            "%E6%97%A5%E6%9C%AC%20%E2%82%AC"
        );
        assert_eq!(
            encode_path_segment("name", "😀").expect("valid"),
            "%F0%9F%98%80"
        );
    }

    #[test]
    fn rejects_empty_and_dot_segments() {
        assert_eq!(
            rejected(encode_path_segment("user-id", "")),
            ("user-id", String::new(), "must not be empty")
        );
        assert_eq!(
            rejected(encode_path_segment("user-id", ".")),
            (
                "user-id",
                ".".to_owned(),
                "must not be a dot-segment (`.` or `..`)"
            )
        );
        assert_eq!(
            rejected(encode_path_segment("user-id", "..")),
            (
                "user-id",
                "..".to_owned(),
                "must not be a dot-segment (`.` or `..`)"
            )
        );
        let err = encode_path_segment("user-id", "..").expect_err("rejected");
        assert_eq!(
            err.to_string(),
            "invalid value \"..\" for path parameter `user-id`: must not be a dot-segment (`.` or `..`)"
        );
    }

    #[test]
    fn encodes_multi_segment_paths() {
        assert_eq!(
            encode_path_segments("item-path", "/Documents/Q1 report?.docx").expect("valid"),
            "Documents/Q1%20report%3F.docx"
        );
        assert_eq!(
            encode_path_segments("item-path", "a/b/").expect("valid"),
            "a/b"
        );
        assert_eq!(
            rejected(encode_path_segments("item-path", "a/../b")),
            (
                "item-path",
                "a/../b".to_owned(),
                "must not be a dot-segment (`.` or `..`)"
            )
        );
        assert_eq!(
            rejected(encode_path_segments("item-path", "a//b")).2,
            "must not contain empty segments"
        );
        assert_eq!(
            rejected(encode_path_segments("item-path", "/")).2,
            "must not contain empty segments"
        );
    }

    #[test]
    fn function_segments_keep_call_punctuation_only() {
        let path = RequestPath::root().segment("drive").function(
            "search",
            &[("q", &"it's/x?y#z%(1),a=b"), ("n", &-3_i64), ("on", &true)],
        );
        assert_eq!(
            path.as_str().expect("valid"),
            "/drive/search(q='it''s%2Fx%3Fy%23z%25(1),a=b',n=-3,on=true)"
        );
        assert_eq!(
            RequestPath::root()
                .function("delta", &[])
                .as_str()
                .expect("valid"),
            "/delta()"
        );
        assert_eq!(
            RequestPath::root()
                .function("f", &[("s", &"日 é")])
                .as_str()
                .expect("valid"),
            "/f(s='%E6%97%A5%20%C3%A9')"
        );
    }

    #[test]
    fn encodes_query_values_and_literals() {
        assert_eq!(encode_query_value("a b&c=d#e"), "a%20b%26c%3Dd%23e");
        assert_eq!(encode_query_value(""), "");
        assert_eq!(encode_odata_string_literal("D7"), "'D7'");
        assert_eq!(encode_odata_string_literal("it's"), "'it%27%27s'");
        assert_eq!(encode_odata_string_literal(""), "''");
    }
}
