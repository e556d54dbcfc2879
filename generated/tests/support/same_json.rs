//! Semantic JSON comparison for round-trip tests.

use serde_json::Value;

/// Semantic JSON equality: objects compare without regard to key order (a `null` property is
/// the same as an absent one), numbers by value, and
/// strings that are both RFC 3339 timestamps compare as instants (`-08:00` and `Z` forms of
/// one moment are equal; a lost fraction of a second is not).
pub fn assert_same_json(actual: &Value, expected: &Value) {
    if let Err(path) = compare(actual, expected, String::new()) {
        panic!("JSON differs at `{path}`\nactual:   {actual}\nexpected: {expected}");
    }
}

/// [`assert_same_json`] as a predicate.
#[allow(dead_code)] // not every test target that includes this module asks
pub fn is_same_json(actual: &Value, expected: &Value) -> bool {
    compare(actual, expected, String::new()).is_ok()
}

fn compare(actual: &Value, expected: &Value, path: String) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            // Every generated property is optional: `"x": null` reads as "no value", which is
            // written back by leaving `x` out. Both say the same.
            let present = |map: &serde_json::Map<String, Value>| -> Vec<String> {
                let mut keys: Vec<String> = map
                    .iter()
                    .filter(|(_, value)| !value.is_null())
                    .map(|(key, _)| key.clone())
                    .collect();
                keys.sort();
                keys
            };
            if present(a) != present(e) {
                return Err(format!(
                    "{path} (keys {:?} vs {:?})",
                    present(a),
                    present(e)
                ));
            }
            for (key, expected_value) in e.iter().filter(|(_, value)| !value.is_null()) {
                let actual_value = a
                    .get(key)
                    .ok_or_else(|| format!("{path}/{key} (missing)"))?;
                compare(actual_value, expected_value, format!("{path}/{key}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!("{path} (length)"));
            }
            for (index, (a, e)) in a.iter().zip(e).enumerate() {
                compare(a, e, format!("{path}/{index}"))?;
            }
            Ok(())
        }
        (Value::String(a), Value::String(e)) => {
            match (
                chrono::DateTime::parse_from_rfc3339(a),
                chrono::DateTime::parse_from_rfc3339(e),
            ) {
                (Ok(a), Ok(e)) if a == e => Ok(()),
                _ if a == e => Ok(()),
                _ => Err(path),
            }
        }
        // Numbers by value: `1`, `1.0` and `1e0` are one number.
        (Value::Number(a), Value::Number(e)) if a == e || a.as_f64() == e.as_f64() => Ok(()),
        (a, e) if a == e => Ok(()),
        _ => Err(path),
    }
}
