//! Wrappers for Graph (EDM) primitive types that have no natural Rust/serde
//! counterpart: [`Base64Bytes`] (`Edm.Binary`) and [`IsoDuration`]
//! (`Edm.Duration`).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Error returned when text is not a valid [`Base64Bytes`] or [`IsoDuration`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {type_name}: {reason}")]
pub struct ParsePrimitiveError {
    type_name: &'static str,
    reason: String,
}

impl ParsePrimitiveError {
    fn new(type_name: &'static str, reason: impl Into<String>) -> Self {
        ParsePrimitiveError {
            type_name,
            reason: reason.into(),
        }
    }
}

/// Binary data (`Edm.Binary`), serialised as a standard, padded base64 string.
///
/// Deserialisation also accepts unpadded and URL-safe base64.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Base64Bytes(pub Vec<u8>);

impl Base64Bytes {
    /// The decoded bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Bytes(bytes)
    }
}

impl From<Base64Bytes> for Vec<u8> {
    fn from(bytes: Base64Bytes) -> Self {
        bytes.0
    }
}

impl AsRef<[u8]> for Base64Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&STANDARD.encode(&self.0))
    }
}

impl FromStr for Base64Bytes {
    type Err = ParsePrimitiveError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        STANDARD_PAD_INDIFFERENT
            .decode(s)
            .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(s))
            .map(Base64Bytes)
            .map_err(|e| ParsePrimitiveError::new("base64", e.to_string()))
    }
}

impl Serialize for Base64Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// An ISO 8601 duration (`Edm.Duration`), e.g. `P1DT2H`, `PT1M30.5S`, `-P1Y2M`.
///
/// The validated original text is kept, so `Display` and serialisation
/// reproduce the input exactly (and equality is textual: `PT60S != PT1M`).
/// The parsed components are available through accessors. Fractions are only
/// allowed on seconds; sub-nanosecond digits are kept in the text but dropped
/// from [`IsoDuration::subsec_nanos`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IsoDuration {
    text: String,
    negative: bool,
    years: u64,
    months: u64,
    weeks: u64,
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: u64,
    nanos: u32,
}

const DURATION: &str = "ISO 8601 duration";

impl IsoDuration {
    /// The original text, e.g. `PT1M30.5S`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `true` for a leading `-`.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The `Y` component.
    pub fn years(&self) -> u64 {
        self.years
    }

    /// The date `M` component.
    pub fn months(&self) -> u64 {
        self.months
    }

    /// The `W` component.
    pub fn weeks(&self) -> u64 {
        self.weeks
    }

    /// The `D` component.
    pub fn days(&self) -> u64 {
        self.days
    }

    /// The `H` component.
    pub fn hours(&self) -> u64 {
        self.hours
    }

    /// The time `M` component.
    pub fn minutes(&self) -> u64 {
        self.minutes
    }

    /// Whole part of the `S` component.
    pub fn seconds(&self) -> u64 {
        self.seconds
    }

    /// Fractional part of the `S` component, in nanoseconds.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Converts to a [`std::time::Duration`] (weeks count as 7 days, days as
    /// 24 hours).
    ///
    /// `None` if the duration is negative, has a year or month component
    /// (whose length is calendar dependent), or overflows.
    pub fn to_std(&self) -> Option<Duration> {
        if self.negative || self.years != 0 || self.months != 0 {
            return None;
        }
        let days = self.weeks.checked_mul(7)?.checked_add(self.days)?;
        let secs = days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3_600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?;
        Some(Duration::new(secs, self.nanos))
    }

    /// Builds the canonical day/time form of a [`std::time::Duration`], e.g.
    /// `P1DT2H3M4.5S` (`PT0S` for zero).
    pub fn from_std(duration: Duration) -> Self {
        let total = duration.as_secs();
        let nanos = duration.subsec_nanos();
        let (days, hours) = (total / 86_400, total % 86_400 / 3_600);
        let (minutes, seconds) = (total % 3_600 / 60, total % 60);

        let mut text = String::from("P");
        if days != 0 {
            text.push_str(&format!("{days}D"));
        }
        if hours != 0 || minutes != 0 || seconds != 0 || nanos != 0 || days == 0 {
            text.push('T');
            if hours != 0 {
                text.push_str(&format!("{hours}H"));
            }
            if minutes != 0 {
                text.push_str(&format!("{minutes}M"));
            }
            if seconds != 0 || nanos != 0 || (hours == 0 && minutes == 0) {
                text.push_str(&seconds.to_string());
                if nanos != 0 {
                    let frac = format!("{nanos:09}");
                    text.push('.');
                    text.push_str(frac.trim_end_matches('0'));
                }
                text.push('S');
            }
        }
        IsoDuration {
            text,
            negative: false,
            years: 0,
            months: 0,
            weeks: 0,
            days,
            hours,
            minutes,
            seconds,
            nanos,
        }
    }
}

/// Parses the components of one part (`YMWD` or `HMS`) of a duration into
/// `(designator, integer, fraction digits)` triples, checking their order.
fn parse_components<'a>(
    part: &'a str,
    designators: &[u8],
) -> Result<Vec<(u8, u64, &'a str)>, ParsePrimitiveError> {
    let mut out = Vec::new();
    let mut rest = part;
    let mut next_allowed = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int, after) = rest.split_at(digits);
        let (frac, after) = match after.strip_prefix('.') {
            Some(tail) => {
                let n = tail.bytes().take_while(u8::is_ascii_digit).count();
                if n == 0 {
                    return Err(ParsePrimitiveError::new(
                        DURATION,
                        "expected digits after `.`",
                    ));
                }
                tail.split_at(n)
            }
            None => ("", after),
        };
        if int.is_empty() {
            return Err(ParsePrimitiveError::new(
                DURATION,
                format!("expected a number at `{rest}`"),
            ));
        }
        let Some(&designator) = after.as_bytes().first() else {
            return Err(ParsePrimitiveError::new(
                DURATION,
                format!("number `{int}` has no designator"),
            ));
        };
        let index = designators[next_allowed..]
            .iter()
            .position(|&d| d == designator)
            .map(|i| i + next_allowed)
            .ok_or_else(|| {
                ParsePrimitiveError::new(
                    DURATION,
                    format!(
                        "unexpected or out-of-order designator `{}`",
                        char::from(designator)
                    ),
                )
            })?;
        let value = int
            .parse::<u64>()
            .map_err(|_| ParsePrimitiveError::new(DURATION, format!("`{int}` is too large")))?;
        out.push((designator, value, frac));
        next_allowed = index + 1;
        rest = &after[1..];
    }
    Ok(out)
}

impl FromStr for IsoDuration {
    type Err = ParsePrimitiveError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| ParsePrimitiveError::new(DURATION, reason);
        let (negative, rest) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let rest = rest
            .strip_prefix('P')
            .ok_or_else(|| err("must start with `P` or `-P`"))?;
        let (date, time) = match rest.split_once('T') {
            Some((date, time)) => (date, Some(time)),
            None => (rest, None),
        };
        if time == Some("") {
            return Err(err("`T` must be followed by at least one time component"));
        }

        let mut d = IsoDuration {
            text: s.to_owned(),
            negative,
            years: 0,
            months: 0,
            weeks: 0,
            days: 0,
            hours: 0,
            minutes: 0,
            seconds: 0,
            nanos: 0,
        };
        let date_parts = parse_components(date, b"YMWD")?;
        let time_parts = parse_components(time.unwrap_or(""), b"HMS")?;
        if date_parts.is_empty() && time_parts.is_empty() {
            return Err(err("must contain at least one component"));
        }
        for (designator, value, frac) in date_parts {
            if !frac.is_empty() {
                return Err(err("only the seconds component may have a fraction"));
            }
            match designator {
                b'Y' => d.years = value,
                b'M' => d.months = value,
                b'W' => d.weeks = value,
                _ => d.days = value,
            }
        }
        for (designator, value, frac) in time_parts {
            match designator {
                b'S' => {
                    d.seconds = value;
                    // Keep nanosecond precision; extra digits stay in `text` only.
                    d.nanos = frac
                        .bytes()
                        .chain(std::iter::repeat(b'0'))
                        .take(9)
                        .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'));
                }
                _ if !frac.is_empty() => {
                    return Err(err("only the seconds component may have a fraction"));
                }
                b'H' => d.hours = value,
                _ => d.minutes = value,
            }
        }
        Ok(d)
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<Duration> for IsoDuration {
    fn from(duration: Duration) -> Self {
        IsoDuration::from_std(duration)
    }
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_round_trip() {
        let bytes = Base64Bytes(vec![0xfb, 0xff, 0x00, 0x41]);
        assert_eq!(bytes.to_string(), "+/8AQQ==");
        assert_eq!(
            serde_json::to_value(&bytes).expect("json"),
            json!("+/8AQQ==")
        );
        let back: Base64Bytes = serde_json::from_value(json!("+/8AQQ==")).expect("json");
        assert_eq!(back, bytes);
        assert_eq!("+/8AQQ==".parse::<Base64Bytes>(), Ok(bytes.clone()));
        assert_eq!(
            serde_json::to_value(Base64Bytes::default()).expect("json"),
            json!("")
        );
    }

    #[test]
    fn base64_accepts_unpadded_and_url_safe() {
        let expected = Base64Bytes(vec![0xfb, 0xff, 0x00, 0x41]);
        for input in ["+/8AQQ", "-_8AQQ==", "-_8AQQ"] {
            let parsed: Base64Bytes = serde_json::from_value(json!(input)).expect(input);
            assert_eq!(parsed, expected, "{input}");
        }
        assert_eq!(
            "aGVsbG8".parse::<Base64Bytes>().map(Vec::from),
            Ok(b"hello".to_vec())
        );
    }

    #[test]
    fn base64_rejects_garbage() {
        assert!("not base64!".parse::<Base64Bytes>().is_err());
        assert!("+/8A_Q==".parse::<Base64Bytes>().is_err());
        assert!(serde_json::from_value::<Base64Bytes>(json!("a")).is_err());
        assert!(serde_json::from_value::<Base64Bytes>(json!(12)).is_err());
    }

    fn dur(s: &str) -> IsoDuration {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn duration_components() {
        let d = dur("P1DT2H");
        assert_eq!(
            (d.days(), d.hours(), d.minutes(), d.seconds()),
            (1, 2, 0, 0)
        );
        assert_eq!(d.to_std(), Some(Duration::from_secs(93_600)));

        let d = dur("PT1M30.5S");
        assert_eq!(
            (d.minutes(), d.seconds(), d.subsec_nanos()),
            (1, 30, 500_000_000)
        );
        assert_eq!(d.to_std(), Some(Duration::from_millis(90_500)));

        let d = dur("-P1Y2M");
        assert!(d.is_negative());
        assert_eq!((d.years(), d.months()), (1, 2));
        assert_eq!(d.to_std(), None);

        let d = dur("P2W");
        assert_eq!(d.weeks(), 2);
        assert_eq!(d.to_std(), Some(Duration::from_secs(14 * 86_400)));

        let d = dur("P1Y2M3W4DT5H6M7.0000001S");
        assert_eq!(
            (
                d.years(),
                d.months(),
                d.weeks(),
                d.days(),
                d.hours(),
                d.minutes(),
                d.seconds(),
                d.subsec_nanos()
            ),
            (1, 2, 3, 4, 5, 6, 7, 100)
        );

        assert_eq!(dur("PT0.1234567891S").subsec_nanos(), 123_456_789);
        assert_eq!(dur("PT0S").to_std(), Some(Duration::ZERO));
        assert_eq!(dur("-PT5S").to_std(), None);
        assert_eq!(dur("P0D").to_std(), Some(Duration::ZERO));
    }

    #[test]
    fn duration_round_trip_keeps_text() {
        for text in [
            "P1DT2H",
            "PT1M30.5S",
            "-P1Y2M",
            "PT0.1234567891S",
            "PT90S",
            "P0D",
        ] {
            let d: IsoDuration = serde_json::from_value(json!(text)).expect(text);
            assert_eq!(d.to_string(), text);
            assert_eq!(d.as_str(), text);
            assert_eq!(serde_json::to_value(&d).expect("json"), json!(text));
        }
        assert_ne!(dur("PT60S"), dur("PT1M"));
    }

    #[test]
    fn duration_from_std() {
        assert_eq!(IsoDuration::from_std(Duration::ZERO).as_str(), "PT0S");
        assert_eq!(
            IsoDuration::from_std(Duration::new(93_784, 500_000_000)).as_str(),
            "P1DT2H3M4.5S"
        );
        assert_eq!(
            IsoDuration::from_std(Duration::from_secs(86_400)).as_str(),
            "P1D"
        );
        assert_eq!(
            IsoDuration::from_std(Duration::from_secs(3_600)).as_str(),
            "PT1H"
        );
        assert_eq!(
            IsoDuration::from(Duration::from_millis(1)).as_str(),
            "PT0.001S"
        );
        let d = IsoDuration::from_std(Duration::new(93_784, 5));
        assert_eq!(d, dur("P1DT2H3M4.000000005S"));
        assert_eq!(d.to_std(), Some(Duration::new(93_784, 5)));
    }

    #[test]
    fn duration_rejections() {
        for bad in [
            "",
            "P",
            "PT",
            "1D",
            "-",
            "+P1D",
            "p1d",
            "P1",
            "P1H",
            "PT1D",
            "P1D2Y",
            "P1DT",
            "PT1S2M",
            "P1Y1Y",
            "P1.5D",
            "PT1.5M",
            "PT1.S",
            "PT.5S",
            "P-1D",
            "P 1D",
            "P1DT2H ",
            "PT1S1",
            "P99999999999999999999D",
            "P1DT2HT3M",
        ] {
            assert!(
                bad.parse::<IsoDuration>().is_err(),
                "{bad:?} should be rejected"
            );
            assert!(
                serde_json::from_value::<IsoDuration>(json!(bad)).is_err(),
                "{bad:?} should be rejected by serde"
            );
        }
        let err = serde_json::from_value::<IsoDuration>(json!("P1H")).expect_err("rejected");
        assert_eq!(
            err.to_string(),
            "invalid ISO 8601 duration: unexpected or out-of-order designator `H`"
        );
    }
}
