//! How a string reads as a typed value: the formats the generated code parses, and text
//! that only stands in for a value.

use crate::page::Primitive;

/// Text standing in for a value: a type name (`"String"`, `"Int32"`, `"String (timestamp)"`),
/// a `<placeholder>`, `{placeholder}`, or "... value".
pub fn looks_like_placeholder(text: &str) -> bool {
    let trimmed = text.trim();
    let head = trimmed.split(['(', ' ']).next().unwrap_or("");
    Primitive::parse(head).is_some()
        || trimmed.starts_with('<')
        || trimmed.starts_with('{')
        || trimmed.to_ascii_lowercase().contains("value")
        || trimmed.eq_ignore_ascii_case("true | false")
        || trimmed.eq_ignore_ascii_case("true/false")
}

/// Whether `text` reads as `primitive` the way the generated code parses it.
pub fn check_format(primitive: Primitive, text: &str) -> Result<(), String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
    match primitive {
        Primitive::DateTimeOffset => {
            if text
                .parse::<chrono::DateTime<chrono::FixedOffset>>()
                .is_ok()
            {
                return Ok(());
            }
            if text.parse::<chrono::NaiveDate>().is_ok() {
                Err("a timestamp needs a time and an offset, not only a date".to_string())
            } else if text.parse::<chrono::NaiveDateTime>().is_ok() {
                Err("a timestamp needs an offset (`Z` or `+hh:mm`)".to_string())
            } else {
                Err("not an RFC 3339 timestamp".to_string())
            }
        }
        Primitive::Date => text
            .parse::<chrono::NaiveDate>()
            .map(|_| ())
            .map_err(|_| "not a `yyyy-mm-dd` date".to_string()),
        Primitive::TimeOfDay => text
            .parse::<chrono::NaiveTime>()
            .map(|_| ())
            .map_err(|_| "not an `hh:mm:ss` time of day".to_string()),
        Primitive::Duration => check_duration(text),
        Primitive::Binary => STANDARD_PAD_INDIFFERENT
            .decode(text)
            .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(text))
            .map(|_| ())
            .map_err(|_| "not base64".to_string()),
        _ => Ok(()),
    }
}

/// The ISO 8601 duration grammar the runtime's `IsoDuration` reads:
/// `-?P(nY)?(nM)?(nW)?(nD)?(T(nH)?(nM)?(n(.n)?S)?)?` with at least one component.
fn check_duration(text: &str) -> Result<(), String> {
    let bad = || Err("not an ISO 8601 duration such as `PT1H30M`".to_string());
    let rest = text.strip_prefix('-').unwrap_or(text);
    let Some(rest) = rest.strip_prefix('P') else {
        return bad();
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => {
            if time.is_empty() {
                return bad();
            }
            (date, Some(time))
        }
        None => (rest, None),
    };
    let components = |part: &str, designators: &[u8], fraction_last: bool| -> Option<usize> {
        let mut rest = part;
        let mut next = 0;
        let mut count = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let mut after = &rest[digits..];
            let mut fractional = false;
            if let Some(tail) = after.strip_prefix('.') {
                let fraction = tail.bytes().take_while(u8::is_ascii_digit).count();
                if fraction == 0 || !fraction_last {
                    return None;
                }
                after = &tail[fraction..];
                fractional = true;
            }
            let designator = *after.as_bytes().first()?;
            // Only seconds may have a fraction.
            if fractional && designator != b'S' {
                return None;
            }
            let position = designators[next..].iter().position(|&d| d == designator)? + next;
            next = position + 1;
            count += 1;
            rest = &after[1..];
        }
        Some(count)
    };
    let Some(date_count) = components(date, b"YMWD", false) else {
        return bad();
    };
    let time_count = match time {
        Some(time) => match components(time, b"HMS", true) {
            Some(count) => count,
            None => return bad(),
        },
        None => 0,
    };
    if date_count + time_count == 0 {
        return bad();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_read_as_the_runtime_reads_them() {
        let ok = |primitive, text| check_format(primitive, text).is_ok();
        assert!(ok(
            Primitive::DateTimeOffset,
            "2016-12-31T23:59:36.3292251-08:00"
        ));
        assert!(ok(Primitive::DateTimeOffset, "2021-01-01T00:00:00Z"));
        assert!(!ok(Primitive::DateTimeOffset, "2021-01-01"));
        assert!(!ok(Primitive::DateTimeOffset, "2021-01-01T00:00:00"));
        assert!(
            check_format(Primitive::DateTimeOffset, "2021-01-01")
                .unwrap_err()
                .contains("only a date")
        );
        assert!(ok(Primitive::Date, "2021-02-28"));
        assert!(!ok(Primitive::Date, "2021-02-30"));
        assert!(ok(Primitive::TimeOfDay, "08:30:00"));
        assert!(ok(Primitive::Binary, "aGVsbG8="));
        assert!(ok(Primitive::Binary, "aGVsbG8"));
        assert!(!ok(Primitive::Binary, "not base64!"));
    }

    #[test]
    fn durations_follow_iso_8601() {
        for good in ["PT1H30M", "P1D", "-P2W", "PT0.5S", "P1Y2M3DT4H5M6.7S"] {
            assert!(check_duration(good).is_ok(), "{good}");
        }
        for bad in ["P", "PT", "1H", "PT1.5H", "P1H", "PT1S2M", "half an hour"] {
            assert!(check_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn placeholders_are_type_names_and_stand_ins() {
        for text in [
            "String",
            "Int32",
            "String (timestamp)",
            "datetime-value",
            "<id>",
            "{value}",
        ] {
            assert!(looks_like_placeholder(text), "{text}");
        }
        for text in ["2021", "two", "copper"] {
            assert!(!looks_like_placeholder(text), "{text}");
        }
    }
}
