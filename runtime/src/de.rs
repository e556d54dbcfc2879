//! Reading Graph objects into generated structs.
//!
//! A generated struct reads its JSON object with [`Properties::read`], takes each documented
//! property out of it with [`Properties::take`], keeps the [rest](Properties::rest) as its
//! `additional_properties`, and returns through [`Properties::finish`], which fails with the
//! first property that did not read. This is one short function per struct, where
//! `#[derive(Deserialize)]` with a `#[serde(flatten)]` map expands to a field enum, identifier
//! visitors and a map visitor: on the whole Graph API that derive was most of what the
//! compiler had to check. `take` returns the value rather than a `Result` so that the body has
//! no `?` per property: on the v1.0 crate those were 10,435 matches for the borrow checker
//! (its memory 903 → 748 MB).
//!
//! ```
//! use graph_runtime::de;
//! use serde::Deserialize;
//!
//! struct Device {
//!     display_name: Option<String>,
//!     additional_properties: de::Object,
//! }
//!
//! impl<'de> Deserialize<'de> for Device {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         let mut properties = de::Properties::read(deserializer)?;
//!         let device = Self {
//!             display_name: properties.take("displayName"),
//!             additional_properties: properties.rest(),
//!         };
//!         properties.finish(device)
//!     }
//! }
//!
//! let device: Device = serde_json::from_str(r#"{"displayName": "Laptop", "osVersion": "11"}"#)?;
//! assert_eq!(device.display_name.as_deref(), Some("Laptop"));
//! assert_eq!(device.additional_properties["osVersion"], "11");
//!
//! let error = serde_json::from_str::<Device>(r#"{"displayName": 7}"#).err().unwrap();
//! assert!(error.to_string().starts_with("displayName: invalid type: integer `7`"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};

/// A JSON object, in the order its properties were read.
pub type Object = serde_json::Map<String, serde_json::Value>;

/// The properties of the JSON object a struct is being read from.
#[derive(Debug)]
pub struct Properties {
    object: Object,
    /// The first property that did not read, with why.
    error: Option<String>,
}

impl Properties {
    /// Reads the JSON object a struct is made from.
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Object::deserialize(deserializer).map(|object| Self {
            object,
            error: None,
        })
    }

    /// Takes the property `name` out and reads it as a `T`; an absent property is
    /// `T::default()` (`None` for an `Option`, [`crate::Patch::Unchanged`] for a `Patch`), while
    /// `null` is whatever `T` makes of it. A property that does not read as a `T` is
    /// `T::default()` here and makes [`finish`](Self::finish) fail, naming it.
    pub fn take<T>(&mut self, name: &str) -> T
    where
        T: DeserializeOwned + Default,
    {
        // `shift_remove` keeps the order of the properties left for `rest`.
        let Some(value) = self.object.shift_remove(name) else {
            return T::default();
        };
        T::deserialize(value).unwrap_or_else(|error: serde_json::Error| {
            self.error.get_or_insert_with(|| format!("{name}: {error}"));
            T::default()
        })
    }

    /// The properties not taken, in the order they were read.
    pub fn rest(&mut self) -> Object {
        std::mem::take(&mut self.object)
    }

    /// `value`, the struct made of the properties, unless one of them did not read: then the
    /// error of the first that did not.
    pub fn finish<T, E: Error>(self, value: T) -> Result<T, E> {
        match self.error {
            None => Ok(value),
            Some(error) => Err(E::custom(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Patch;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Sample {
        name: Option<String>,
        count: Option<i32>,
        note: Patch<String>,
        additional_properties: Object,
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut properties = Properties::read(deserializer)?;
            let sample = Self {
                name: properties.take("name"),
                count: properties.take("count"),
                note: properties.take("note"),
                additional_properties: properties.rest(),
            };
            properties.finish(sample)
        }
    }

    #[test]
    fn absent_null_and_present_properties() {
        let sample: Sample =
            serde_json::from_value(json!({"count": null, "note": null, "name": "a"})).unwrap();
        assert_eq!(sample.name.as_deref(), Some("a"));
        assert_eq!(sample.count, None);
        assert_eq!(sample.note, Patch::Clear);
        let sample: Sample = serde_json::from_value(json!({})).unwrap();
        assert_eq!(sample.note, Patch::Unchanged);
        assert!(sample.additional_properties.is_empty());
    }

    #[test]
    fn unknown_properties_are_kept_in_order() {
        let sample: Sample =
            serde_json::from_str(r#"{"z": 1, "name": "a", "b": 2, "count": 3, "a": [true]}"#)
                .unwrap();
        let keys: Vec<&str> = sample
            .additional_properties
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["z", "b", "a"]);
    }

    #[test]
    fn an_error_names_the_property() {
        let error = serde_json::from_str::<Sample>(r#"{"count": "three"}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("count: invalid type: string \"three\""),
            "{error}"
        );
        // The first property that fails is the one named.
        let error = serde_json::from_str::<Sample>(r#"{"name": 1, "count": "three"}"#).unwrap_err();
        assert!(
            error.to_string().starts_with("name: invalid type"),
            "{error}"
        );
        let error = serde_json::from_str::<Sample>("[1]").unwrap_err();
        assert!(error.to_string().contains("expected a map"), "{error}");
    }
}
