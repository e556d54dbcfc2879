//! `<!-- { "blockType": ..., ... } -->` annotation comments: the few keys the parser reads.
//!
//! Reading an annotation into a `serde_json::Value` would build a map of every key; the docs
//! have about two dozen thousand annotations, so only the keys below are kept and the rest is
//! validated and dropped without being stored. Strict JSON accepts exactly the annotations a
//! `Value` would (every value is still parsed, through the same deserializer), and a key
//! written twice keeps its last value, as in a `Value`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// What the parser needs of an annotation value: strings (borrowed from the page when they
/// have no escapes) and booleans; anything else only counts as present.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnnotationValue<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Other,
}

impl AnnotationValue<'_> {
    /// Like `Value::as_str`.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            AnnotationValue::Str(text) => Some(text),
            _ => None,
        }
    }

    fn from_value(value: &Value) -> AnnotationValue<'static> {
        match value {
            Value::String(text) => AnnotationValue::Str(Cow::Owned(text.clone())),
            Value::Bool(flag) => AnnotationValue::Bool(*flag),
            _ => AnnotationValue::Other,
        }
    }
}

/// The keys of an annotation the parser looks at.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Annotation<'a> {
    block_type: Option<AnnotationValue<'a>>,
    odata_type: Option<AnnotationValue<'a>>,
    at_type: Option<AnnotationValue<'a>>,
    truncated: Option<AnnotationValue<'a>>,
    base_type: Option<AnnotationValue<'a>>,
    key_property: Option<AnnotationValue<'a>>,
    open_type: Option<AnnotationValue<'a>>,
    is_abstract_short: Option<AnnotationValue<'a>>,
    is_abstract: Option<AnnotationValue<'a>>,
    page_type: Option<AnnotationValue<'a>>,
}

impl<'a> Annotation<'a> {
    fn slot(&mut self, key: &str) -> Option<&mut Option<AnnotationValue<'a>>> {
        Some(match key {
            "blockType" => &mut self.block_type,
            "@odata.type" => &mut self.odata_type,
            "@type" => &mut self.at_type,
            "truncated" => &mut self.truncated,
            "baseType" => &mut self.base_type,
            "keyProperty" => &mut self.key_property,
            "openType" => &mut self.open_type,
            "abstract" => &mut self.is_abstract_short,
            "isAbstract" => &mut self.is_abstract,
            "type" => &mut self.page_type,
            _ => return None,
        })
    }

    /// The value of `key`, when it is one of the keys kept.
    pub(crate) fn get(&self, key: &str) -> Option<&AnnotationValue<'a>> {
        match key {
            "blockType" => self.block_type.as_ref(),
            "@odata.type" => self.odata_type.as_ref(),
            "@type" => self.at_type.as_ref(),
            "truncated" => self.truncated.as_ref(),
            "baseType" => self.base_type.as_ref(),
            "keyProperty" => self.key_property.as_ref(),
            "openType" => self.open_type.as_ref(),
            "abstract" => self.is_abstract_short.as_ref(),
            "isAbstract" => self.is_abstract.as_ref(),
            "type" => self.page_type.as_ref(),
            _ => None,
        }
    }

    /// The kept keys of an annotation read some other way (JSON5).
    pub(crate) fn from_value(value: &Value) -> Annotation<'static> {
        let mut annotation = Annotation::default();
        if let Value::Object(object) = value {
            for (key, value) in object {
                if let Some(slot) = annotation.slot(key) {
                    *slot = Some(AnnotationValue::from_value(value));
                }
            }
        }
        annotation
    }

    /// Reads strict JSON; fails exactly when `serde_json::from_str::<Value>` fails on an
    /// object.
    pub(crate) fn from_json(text: &'a str) -> Result<Annotation<'a>, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl<'de> Deserialize<'de> for Annotation<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnnotationVisitor;

        impl<'de> Visitor<'de> for AnnotationVisitor {
            type Value = Annotation<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an annotation object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Annotation<'de>, A::Error> {
                let mut annotation = Annotation::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match annotation.slot(key.as_str()) {
                        Some(slot) => *slot = Some(map.next_value::<AnnotationValue>()?),
                        None => {
                            map.next_value::<Skip>()?;
                        }
                    }
                }
                Ok(annotation)
            }
        }

        deserializer.deserialize_map(AnnotationVisitor)
    }
}

impl<'de> Deserialize<'de> for AnnotationValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = AnnotationValue<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("any JSON value")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Str(Cow::Borrowed(text)))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Str(Cow::Owned(text.to_string())))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Str(Cow::Owned(text)))
            }

            fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Bool(flag))
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Other)
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Other)
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Other)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Other)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AnnotationValue::Other)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                SkipVisitor.visit_seq(seq)?;
                Ok(AnnotationValue::Other)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                SkipVisitor.visit_map(map)?;
                Ok(AnnotationValue::Other)
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

/// A map key, borrowed when it has no escapes; only compared, never kept.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(text) => text,
            Key::Owned(text) => text,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(text))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(text.to_string()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(text))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Any JSON value, parsed through `deserialize_any` as a `Value` would be (so it is accepted
/// or rejected alike) and then dropped.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_none<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Skip, D::Error> {
        Skip::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The light reading accepts and rejects what a `Value` does, and keeps the same values.
    #[test]
    fn agrees_with_value() {
        let cases = [
            r#"{ "blockType": "response", "truncated": true }"#,
            r#"{ "blockType": "resource", "openType": "true", "blockType": "request" }"#,
            r#"{ "name": "x", "sampleKeys": ["a", {"b": [1, 2.5, -3, null]}], "@type": "t" }"#,
            r#"{ "block\u0054ype": "example", "huge": 1e400 }"#,
            r#"{ "blockType": "response", }"#,
            r#"{ "x": "\ud800" }"#,
            r#"{ "x": "tab	inside" }"#,
            r#"{ "x": 01 }"#,
            r##"{ "type": "#page.annotation" } trailing"##,
            r#"{}"#,
        ];
        for case in cases {
            let value = serde_json::from_str::<Value>(case);
            let light = Annotation::from_json(case);
            assert_eq!(value.is_ok(), light.is_ok(), "{case}");
            if let (Ok(value), Ok(light)) = (value, light) {
                assert_eq!(Annotation::from_value(&value), light, "{case}");
            }
        }
        let deep = format!("{{\"x\": {}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Value>(&deep).is_err());
        assert!(Annotation::from_json(&deep).is_err());
    }
}
