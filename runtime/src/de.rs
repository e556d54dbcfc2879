//! Reading Graph objects into generated structs.
//!
//! A generated struct reads its JSON object with [`Properties::read`], takes each documented
//! property out of it with [`Properties::take`], and keeps the [rest](Properties::rest) as its
//! `additional_properties`. This is one
//! short function per struct, where `#[derive(Deserialize)]` with a `#[serde(flatten)]` map
//! expands to a field enum, identifier visitors and a map visitor: on the whole Graph API that
//! derive was most of what the compiler had to check.
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
//!         Ok(Self {
//!             display_name: properties.take("displayName")?,
//!             additional_properties: properties.rest(),
//!         })
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
pub struct Properties(Object);

impl Properties {
    /// Reads the JSON object a struct is made from.
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Object::deserialize(deserializer).map(Self)
    }

    /// Takes the property `name` out and reads it as a `T`; an absent property is
    /// `T::default()` (`None` for an `Option`, [`crate::Patch::Unchanged`] for a `Patch`), while
    /// `null` is whatever `T` makes of it. An error names the property.
    pub fn take<T, E>(&mut self, name: &str) -> Result<T, E>
    where
        T: DeserializeOwned + Default,
        E: Error,
    {
        // `shift_remove` keeps the order of the properties left for `rest`.
        match self.0.shift_remove(name) {
            None => Ok(T::default()),
            Some(value) => {
                T::deserialize(value).map_err(|error| E::custom(format_args!("{name}: {error}")))
            }
        }
    }

    /// The properties not taken, in the order they were read.
    pub fn rest(self) -> Object {
        self.0
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
            Ok(Self {
                name: properties.take("name")?,
                count: properties.take("count")?,
                note: properties.take("note")?,
                additional_properties: properties.rest(),
            })
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
        let error = serde_json::from_str::<Sample>("[1]").unwrap_err();
        assert!(error.to_string().contains("expected a map"), "{error}");
    }
}
