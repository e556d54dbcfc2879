//! [`Patch`], the tri-state field type of update (`PATCH`) request bodies.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field of an update body: leave it unchanged, clear it, or set it.
///
/// Generated update structs declare such fields as
///
/// ```
/// # use serde::{Deserialize, Serialize};
/// # use graph_runtime::Patch;
/// #[derive(Serialize, Deserialize)]
/// struct UserUpdate {
///     #[serde(default, skip_serializing_if = "graph_runtime::Patch::is_unchanged")]
///     display_name: Patch<String>,
/// }
/// ```
///
/// so that [`Patch::Unchanged`] is omitted from the JSON, [`Patch::Clear`]
/// is written as `null` and [`Patch::Set`] as the value. When deserialising,
/// an absent field is `Unchanged` (via `#[serde(default)]`), `null` is `Clear`
/// and anything else is `Set`.
///
/// Without the `skip_serializing_if` attribute `Unchanged` serialises as
/// `null`, just like `Clear`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// Leave the property as it is (omitted from the body).
    #[default]
    Unchanged,
    /// Reset the property (`null` in the body).
    Clear,
    /// Set the property to this value.
    Set(T),
}

impl<T> Patch<T> {
    /// `true` for [`Patch::Unchanged`]; use with `skip_serializing_if`.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// `true` for [`Patch::Clear`].
    pub fn is_clear(&self) -> bool {
        matches!(self, Patch::Clear)
    }

    /// `true` for [`Patch::Set`].
    pub fn is_set(&self) -> bool {
        matches!(self, Patch::Set(_))
    }

    /// `None` when unchanged, `Some(None)` when cleared, `Some(Some(v))` when set.
    pub fn as_option(&self) -> Option<Option<&T>> {
        match self {
            Patch::Unchanged => None,
            Patch::Clear => Some(None),
            Patch::Set(v) => Some(Some(v)),
        }
    }

    /// Owned version of [`Patch::as_option`].
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Patch::Unchanged => None,
            Patch::Clear => Some(None),
            Patch::Set(v) => Some(Some(v)),
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `None` clears the property, `Some(v)` sets it.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Patch::Set(v),
            None => Patch::Clear,
        }
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(serializer),
            Patch::Clear | Patch::Unchanged => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Patch::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "crate::Patch::is_unchanged")]
        a: Patch<i32>,
        #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
        b: Patch<String>,
    }

    #[test]
    fn serialises_three_states() {
        let unchanged = Update {
            a: Patch::Unchanged,
            b: Patch::Unchanged,
        };
        assert_eq!(serde_json::to_string(&unchanged).expect("json"), "{}");

        let clear = Update {
            a: Patch::Clear,
            b: Patch::Unchanged,
        };
        assert_eq!(
            serde_json::to_string(&clear).expect("json"),
            r#"{"a":null}"#
        );

        let set = Update {
            a: 1.into(),
            b: Patch::Set("x".to_owned()),
        };
        assert_eq!(
            serde_json::to_string(&set).expect("json"),
            r#"{"a":1,"b":"x"}"#
        );

        // Without the skip attribute, Unchanged is written as null.
        assert_eq!(
            serde_json::to_value(Patch::<i32>::Unchanged).expect("json"),
            json!(null)
        );
    }

    #[test]
    fn deserialises_three_states() {
        let empty: Update = serde_json::from_str("{}").expect("json");
        assert_eq!(empty.a, Patch::Unchanged);
        assert_eq!(empty.b, Patch::Unchanged);

        let null: Update = serde_json::from_str(r#"{"a":null}"#).expect("json");
        assert_eq!(null.a, Patch::Clear);
        assert_eq!(null.b, Patch::Unchanged);

        let one: Update = serde_json::from_str(r#"{"a":1}"#).expect("json");
        assert_eq!(one.a, Patch::Set(1));

        assert!(serde_json::from_str::<Update>(r#"{"a":"nope"}"#).is_err());
    }

    #[test]
    fn helpers() {
        assert!(Patch::<i32>::default().is_unchanged());
        assert_eq!(Patch::<i32>::Unchanged.as_option(), None);
        assert_eq!(Patch::<i32>::Clear.as_option(), Some(None));
        assert_eq!(Patch::Set(5).as_option(), Some(Some(&5)));
        assert_eq!(Patch::Set(5).into_option(), Some(Some(5)));
        assert_eq!(Patch::from(Some(3)), Patch::Set(3));
        assert_eq!(Patch::<i32>::from(None), Patch::Clear);
        assert_eq!(Patch::from(7), Patch::Set(7));
        assert!(Patch::<i32>::Clear.is_clear());
        assert!(Patch::Set(1).is_set());
    }
}
