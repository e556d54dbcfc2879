//! Writing generated structs as Graph objects.
//!
//! A generated struct writes itself with [`Properties::write`], puts each documented property
//! that has a value with [`Properties::optional`] (an `Option` field) or [`Properties::patch`]
//! (a field of an update body), and ends with [`Properties::finish`], which writes the
//! `additional_properties` after them. This is the [`de`](crate::de) module's counterpart, for
//! the same reason: `#[derive(Serialize)]` puts a `skip_serializing_if` test and a `?` per
//! field in every body and runs serde's derive over every struct, and the whole Graph API has
//! thousands. The output is the derive's: one JSON object, properties in declaration order,
//! absent ones left out, the additional ones last.
//!
//! ```
//! use graph_runtime::{Patch, de, ser};
//! use serde::Serialize;
//!
//! struct DeviceUpdate {
//!     display_name: Patch<String>,
//!     notes: Patch<String>,
//!     additional_properties: de::Object,
//! }
//!
//! impl Serialize for DeviceUpdate {
//!     fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
//!         let mut properties = ser::Properties::write(serializer)?;
//!         properties.patch("displayName", &self.display_name);
//!         properties.patch("notes", &self.notes);
//!         properties.finish(&self.additional_properties)
//!     }
//! }
//!
//! let update = DeviceUpdate {
//!     display_name: Patch::Set("Laptop".to_string()),
//!     notes: Patch::Clear,
//!     additional_properties: de::Object::new(),
//! };
//! assert_eq!(serde_json::to_string(&update)?, r#"{"displayName":"Laptop","notes":null}"#);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::Patch;
use crate::de::Object;

/// The JSON object a struct is being written as.
pub struct Properties<S: Serializer> {
    map: S::SerializeMap,
    /// The first property that failed to write; nothing is written after it.
    error: Option<S::Error>,
}

impl<S: Serializer> std::fmt::Debug for Properties<S> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Properties")
            .field("failed", &self.error.is_some())
            .finish_non_exhaustive()
    }
}

impl<S: Serializer> Properties<S> {
    /// Starts the object.
    pub fn write(serializer: S) -> Result<Self, S::Error> {
        serializer
            .serialize_map(None)
            .map(|map| Self { map, error: None })
    }

    /// Writes `name: value` if `value` is `Some`.
    pub fn optional<T: Serialize>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(name, value);
        }
    }

    /// Writes `name: value` unless `value` is [`Patch::Unchanged`] (`null` for
    /// [`Patch::Clear`]).
    pub fn patch<T: Serialize>(&mut self, name: &str, value: &Patch<T>) {
        if !value.is_unchanged() {
            self.entry(name, value);
        }
    }

    fn entry<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(name, value)
        {
            self.error = Some(error);
        }
    }

    /// Writes the properties the struct keeps beyond its documented ones and ends the object,
    /// or fails with the first property that did not write.
    pub fn finish(mut self, additional_properties: &Object) -> Result<S::Ok, S::Error> {
        for (name, value) in additional_properties {
            self.entry(name, value);
        }
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Sample {
        name: Option<String>,
        count: Option<i32>,
        note: Patch<String>,
        additional_properties: Object,
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut properties = Properties::write(serializer)?;
            properties.optional("name", &self.name);
            properties.optional("count", &self.count);
            properties.patch("note", &self.note);
            properties.finish(&self.additional_properties)
        }
    }

    #[test]
    fn absent_properties_are_left_out_and_the_rest_come_last_in_order() {
        let mut additional_properties = Object::new();
        additional_properties.insert("z".to_string(), json!(1));
        additional_properties.insert("a".to_string(), json!([true]));
        let sample = Sample {
            name: None,
            count: Some(3),
            note: Patch::Clear,
            additional_properties,
        };
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"count":3,"note":null,"z":1,"a":[true]}"#
        );
        let empty = Sample {
            name: None,
            count: None,
            note: Patch::Unchanged,
            additional_properties: Object::new(),
        };
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn a_property_that_cannot_be_written_fails_the_object() {
        // A map key must be a string in JSON: the first failure is the object's.
        let mut additional_properties = Object::new();
        additional_properties.insert("after".to_string(), json!("not written"));
        struct Keyed(std::collections::BTreeMap<(i32, i32), i32>);
        impl Serialize for Keyed {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }
        struct Holder(Option<Keyed>, Object);
        impl Serialize for Holder {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut properties = Properties::write(serializer)?;
                properties.optional("bad", &self.0);
                properties.finish(&self.1)
            }
        }
        let holder = Holder(
            Some(Keyed([((1, 2), 3)].into_iter().collect())),
            additional_properties,
        );
        let error = serde_json::to_string(&holder).unwrap_err();
        assert!(
            error.to_string().contains("key must be a string"),
            "{error}"
        );
    }
}
