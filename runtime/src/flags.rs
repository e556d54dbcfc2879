//! Enums on the wire: the trait generated enums implement, and [`Flags`], the set type for
//! flags enums (`"a,b"` on the wire).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A generated enum: a closed set of wire values plus an `Other` for values this client
/// does not know yet.
pub trait StringEnum: Sized {
    /// The value as it appears on the wire.
    fn as_str(&self) -> &str;
    /// The member for a wire value (`Other` when it is not a known one).
    fn from_wire(value: &str) -> Self;
}

/// A set of flags-enum members, written as a comma-separated string: `"read,write"`.
///
/// Members keep the order the service sent them in; duplicates are dropped.
///
/// ```
/// # use graph_runtime::{Flags, StringEnum};
/// #[derive(Debug, Clone, PartialEq)]
/// enum Access { Read, Write, Other(String) }
/// impl StringEnum for Access {
///     fn as_str(&self) -> &str {
///         match self { Access::Read => "read", Access::Write => "write", Access::Other(v) => v }
///     }
///     fn from_wire(value: &str) -> Self {
///         match value { "read" => Access::Read, "write" => Access::Write, v => Access::Other(v.into()) }
///     }
/// }
/// let flags: Flags<Access> = serde_json::from_str("\"read, write\"").unwrap();
/// assert_eq!(flags.members(), &[Access::Read, Access::Write]);
/// assert_eq!(serde_json::to_string(&flags).unwrap(), "\"read,write\"");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Flags<T>(Vec<T>);

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<T: StringEnum + PartialEq> Flags<T> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a member unless it is already present.
    pub fn insert(&mut self, member: T) {
        if !self.0.contains(&member) {
            self.0.push(member);
        }
    }

    /// Whether the set holds `member`.
    pub fn contains(&self, member: &T) -> bool {
        self.0.contains(member)
    }

    /// The members, in order.
    pub fn members(&self) -> &[T] {
        &self.0
    }

    /// Whether no flag is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: StringEnum + PartialEq> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(members: I) -> Self {
        let mut flags = Flags::new();
        for member in members {
            flags.insert(member);
        }
        flags
    }
}

impl<T: StringEnum> fmt::Display for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, member) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            f.write_str(member.as_str())?;
        }
        Ok(())
    }
}

impl<T: StringEnum> fmt::Debug for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flags({self})")
    }
}

impl<T: StringEnum> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, T: StringEnum + PartialEq> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(text
            .split(',')
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(T::from_wire)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    enum Day {
        Monday,
        Tuesday,
        Other(String),
    }

    impl StringEnum for Day {
        fn as_str(&self) -> &str {
            match self {
                Day::Monday => "monday",
                Day::Tuesday => "tuesday",
                Day::Other(value) => value,
            }
        }
        fn from_wire(value: &str) -> Self {
            match value {
                "monday" => Day::Monday,
                "tuesday" => Day::Tuesday,
                other => Day::Other(other.to_string()),
            }
        }
    }

    #[test]
    fn round_trips_as_a_comma_separated_string() {
        let flags: Flags<Day> = serde_json::from_str(r#""tuesday,monday,someday,monday""#).unwrap();
        assert_eq!(
            flags.members(),
            &[Day::Tuesday, Day::Monday, Day::Other("someday".to_string())]
        );
        assert_eq!(
            serde_json::to_string(&flags).unwrap(),
            r#""tuesday,monday,someday""#
        );
        let empty: Flags<Day> = serde_json::from_str(r#""""#).unwrap();
        assert!(empty.is_empty());
        assert_eq!(serde_json::to_string(&empty).unwrap(), r#""""#);
    }
}
