//! [`Dictionary`]: Graph's dictionary types, objects whose property names are keys of the
//! caller's choosing and whose values all have one type.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Graph dictionary type: string keys to values of type `V`, written as one JSON object.
///
/// A key whose value is `None` is written as `null`: in an update (`PATCH`) that removes the
/// entry, which is how the service deletes dictionary entries. Annotations (`@odata.type`,
/// ...) are kept apart from the entries, so a round trip loses nothing.
///
/// ```
/// use graph_runtime::Dictionary;
/// let mut labels: Dictionary<String> = serde_json::from_str(
///     r##"{"@odata.type":"#microsoft.graph.stringDictionary","colour":"teal","size":"L"}"##,
/// ).unwrap();
/// assert_eq!(labels.get("colour").map(String::as_str), Some("teal"));
/// labels.insert("size", "XL".to_string());
/// labels.remove_on_update("colour");
/// assert_eq!(
///     serde_json::to_string(&labels).unwrap(),
///     r##"{"@odata.type":"#microsoft.graph.stringDictionary","colour":null,"size":"XL"}"##,
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary<V> {
    /// The entries, by key; `None` is `null` on the wire (in an update: remove the entry).
    pub entries: BTreeMap<String, Option<V>>,
    /// The `@…` annotations, as sent.
    pub annotations: serde_json::Map<String, serde_json::Value>,
}

impl<V> Default for Dictionary<V> {
    fn default() -> Self {
        Dictionary {
            entries: BTreeMap::new(),
            annotations: serde_json::Map::new(),
        }
    }
}

impl<V> Dictionary<V> {
    /// An empty dictionary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `key`, if the entry is there and not `null`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key).and_then(Option::as_ref)
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: impl Into<String>, value: V) {
        self.entries.insert(key.into(), Some(value));
    }

    /// Sets `key` to `null`: sent in an update, this removes the entry.
    pub fn remove_on_update(&mut self, key: impl Into<String>) {
        self.entries.insert(key.into(), None);
    }
}

impl<V: Serialize> Serialize for Dictionary<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map =
            serializer.serialize_map(Some(self.annotations.len() + self.entries.len()))?;
        for (key, value) in &self.annotations {
            map.serialize_entry(key, value)?;
        }
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Dictionary<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<fn() -> V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Dictionary<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of dictionary entries")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut dictionary = Dictionary::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key.starts_with('@') {
                        let value = map.next_value()?;
                        dictionary.annotations.insert(key, value);
                    } else {
                        let value = map.next_value()?;
                        dictionary.entries.insert(key, value);
                    }
                }
                Ok(dictionary)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Value {
        value: String,
    }

    #[test]
    fn entries_and_annotations_round_trip() {
        let text = r##"{"@odata.type":"#x","a":{"value":"1"},"b":null}"##;
        let dictionary: Dictionary<Value> = serde_json::from_str(text).expect("read");
        assert_eq!(
            dictionary.get("a"),
            Some(&Value {
                value: "1".to_owned()
            })
        );
        assert_eq!(dictionary.get("b"), None);
        assert_eq!(dictionary.entries.get("b"), Some(&None));
        assert_eq!(serde_json::to_string(&dictionary).expect("write"), text);
        assert!(serde_json::from_str::<Dictionary<Value>>(r#"{"a":1}"#).is_err());
        assert!(serde_json::from_str::<Dictionary<Value>>("[]").is_err());
    }
}
