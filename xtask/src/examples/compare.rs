//! What "the same" means when a call's request or result is compared with the docs' example:
//! JSON by meaning, paths by decoded segment, queries as decoded pairs in any order.

use serde_json::Value;

/// The first place where `written` differs in meaning from `original`, if any. Numbers
/// compare by value, timestamps as instants; a `null` property and an absent one are the
/// same (the types drop nulls they read as "not set"); an `@odata.type` the type adds is
/// allowed; flags compare as sets of members.
pub fn semantic_difference(original: &Value, written: &Value, at: &str) -> Option<String> {
    let here = || {
        if at.is_empty() {
            "the body".to_string()
        } else {
            format!("`{at}`")
        }
    };
    match (original, written) {
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => {
                    x == y
                        || ((x - y).abs() <= f64::EPSILON * x.abs().max(1.0) * 4.0)
                        || (x as f32) == (y as f32)
                }
                _ => a == b,
            };
            (!same).then(|| format!("{} was {a}, written {b}", here()))
        }
        (Value::String(a), Value::String(b)) => {
            if a == b || same_instant(a, b) || same_flags(a, b) || same_base64(a, b) {
                None
            } else {
                Some(format!("{} was {a:?}, written {b:?}", here()))
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{} had {} items, written {}",
                    here(),
                    a.len(),
                    b.len()
                ));
            }
            a.iter().zip(b).enumerate().find_map(|(position, (x, y))| {
                semantic_difference(x, y, &format!("{at}[{position}]"))
            })
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match b.get(key) {
                    Some(other) => {
                        if let Some(difference) = semantic_difference(value, other, &path) {
                            return Some(difference);
                        }
                    }
                    None if value.is_null() => {}
                    None => return Some(format!("`{path}` was dropped")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) && !value.is_null() && key != "@odata.type" {
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    return Some(format!("`{path}` was added"));
                }
            }
            None
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{} was {a}, written {b}", here())),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
    if let (Ok(x), Ok(y)) = (
        a.parse::<DateTime<FixedOffset>>(),
        b.parse::<DateTime<FixedOffset>>(),
    ) {
        return x == y;
    }
    if let (Ok(x), Ok(y)) = (a.parse::<NaiveTime>(), b.parse::<NaiveTime>()) {
        return x == y;
    }
    matches!((a.parse::<NaiveDate>(), b.parse::<NaiveDate>()), (Ok(x), Ok(y)) if x == y)
}

fn same_flags(a: &str, b: &str) -> bool {
    if !a.contains(',') {
        return false;
    }
    let members = |text: &str| {
        let mut members: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|member| !member.is_empty())
            .map(str::to_string)
            .collect();
        members.dedup();
        members
    };
    members(a) == members(b)
}

fn same_base64(a: &str, b: &str) -> bool {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
    let decode = |text: &str| {
        STANDARD_PAD_INDIFFERENT
            .decode(text)
            .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(text))
            .ok()
    };
    matches!((decode(a), decode(b)), (Some(x), Some(y)) if x == y)
}

/// How a call reads a response body into its result: the whole body, an action's result
/// without the `{"value": …}` wrapper, or a collection page's `value` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    Whole,
    ActionValue,
    Items,
}

impl Reads {
    /// The part of `body` the result type holds.
    pub fn part(self, body: &Value) -> Option<&Value> {
        match self {
            // The client reads one object wrapped as `{"value": {…}}` as that object.
            Reads::Whole => match wrapped_object(body) {
                Some(inner) => Some(inner),
                None => Some(body),
            },
            Reads::Items => body.get("value"),
            Reads::ActionValue => match body.as_object() {
                Some(object)
                    if object.contains_key("value")
                        && object
                            .keys()
                            .all(|key| key == "value" || key.starts_with('@')) =>
                {
                    object.get("value")
                }
                _ => Some(body),
            },
        }
    }

    /// `body` with its result part replaced by `part`.
    pub fn with_part(self, body: &Value, part: Value) -> Value {
        match self {
            Reads::Whole if wrapped_object(body).is_none() => part,
            Reads::Whole | Reads::Items | Reads::ActionValue => match body.as_object() {
                Some(object) if object.contains_key("value") => {
                    let mut object = object.clone();
                    object.insert("value".to_string(), part);
                    Value::Object(object)
                }
                _ => part,
            },
        }
    }
}

/// The object of a body that is exactly `{"value": {…}}` besides `@odata.*` annotations.
fn wrapped_object(body: &Value) -> Option<&Value> {
    let object = body.as_object()?;
    let inner = object.get("value").filter(|inner| inner.is_object())?;
    object
        .keys()
        .all(|key| key == "value" || key.starts_with('@'))
        .then_some(inner)
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A path's segments, percent-decoded and lowercased: Graph reads paths without regard to
/// case (`/Me/messages`, `/me/calendargroups`), and a trailing `/` is no segment.
pub fn path_segments(path: &str) -> Vec<String> {
    let path = path
        .strip_suffix('/')
        .filter(|path| !path.is_empty())
        .unwrap_or(path);
    // `f(a=1, b=2)` is `f(a=1,b=2)`: the space after a comma between arguments means nothing.
    path.split('/')
        .map(|segment| decode(segment).to_lowercase().replace(", ", ","))
        .collect()
}

/// A query's `name=value` pairs, decoded (`+` as a space, as some docs write it), sorted.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // Option names without regard to case (`startdatetime=`), values exactly.
            (
                decode(name).to_lowercase(),
                decode(&value.replace('+', " ")),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_and_timestamps_as_instants() {
        assert_eq!(
            semantic_difference(&json!({"a": 1.0}), &json!({"a": 1}), ""),
            None
        );
        assert_eq!(
            semantic_difference(
                &json!({"t": "2016-12-31T23:59:36.3292251-08:00"}),
                &json!({"t": "2017-01-01T07:59:36.329225100+00:00"}),
                ""
            ),
            None
        );
        assert!(semantic_difference(&json!({"a": 1}), &json!({"a": 2}), "").is_some());
        assert!(
            semantic_difference(
                &json!({"t": "2016-12-31T23:59:36Z"}),
                &json!({"t": "2016-12-31T23:59:37Z"}),
                ""
            )
            .is_some()
        );
    }

    #[test]
    fn nulls_may_be_dropped_but_values_may_not() {
        assert_eq!(
            semantic_difference(&json!({"a": null}), &json!({}), ""),
            None
        );
        assert_eq!(
            semantic_difference(&json!({"a": "x"}), &json!({}), "").as_deref(),
            Some("`a` was dropped")
        );
        assert_eq!(
            semantic_difference(&json!({}), &json!({"b": 1}), "").as_deref(),
            Some("`b` was added")
        );
        assert_eq!(
            semantic_difference(&json!({}), &json!({"@odata.type": "#x"}), ""),
            None
        );
    }

    #[test]
    fn flags_compare_as_members() {
        assert_eq!(semantic_difference(&json!("a, b"), &json!("a,b"), ""), None);
        assert!(semantic_difference(&json!("a, b"), &json!("a"), "").is_some());
    }

    #[test]
    fn paths_compare_by_decoded_segments_and_queries_as_pairs() {
        assert_eq!(
            path_segments("/users/a%40b.com/drive"),
            path_segments("/users/a@b.com/drive")
        );
        assert_eq!(
            query_pairs("$top=5&$select=id,displayName"),
            query_pairs("%24select=id%2CdisplayName&%24top=5")
        );
        assert_ne!(query_pairs("$top=5"), query_pairs("$top=6"));
        assert_eq!(query_pairs("$search=a+b"), query_pairs("$search=a%20b"));
        assert_eq!(
            path_segments("/Me/messages/"),
            path_segments("/me/messages")
        );
        assert_ne!(
            path_segments("/me/messages/a"),
            path_segments("/me/messages/b")
        );
        assert_eq!(
            query_pairs("startDateTime=x"),
            query_pairs("startdatetime=x")
        );
        assert_ne!(query_pairs("a=X"), query_pairs("a=x"));
    }

    #[test]
    fn a_call_reads_the_part_of_a_body_its_kind_holds() {
        let wrapped = json!({"@odata.context": "x", "value": {"id": "1"}});
        assert_eq!(Reads::ActionValue.part(&wrapped), Some(&json!({"id": "1"})));
        assert_eq!(Reads::Whole.part(&wrapped), Some(&json!({"id": "1"})));
        let entity = json!({"id": "2", "value": {"k": 1}});
        assert_eq!(Reads::Whole.part(&entity), Some(&entity));
        assert_eq!(
            Reads::Whole.with_part(&wrapped, json!({"id": "3"})),
            json!({"@odata.context": "x", "value": {"id": "3"}})
        );
        let page = json!({"value": [1, 2]});
        assert_eq!(Reads::Items.part(&page), Some(&json!([1, 2])));
        assert_eq!(
            Reads::Items.with_part(&page, json!([3])),
            json!({"value": [3]})
        );
        assert_eq!(Reads::Items.part(&json!({"id": 1})), None);
    }
}
