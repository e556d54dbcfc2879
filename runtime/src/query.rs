//! OData query options: the capability traits that gate them on a
//! [`Request`](crate::Request), typed fields, the [`FilterExpr`] builder,
//! [`ODataLiteral`] values and the query-string encoding.
//!
//! # Gating
//!
//! The generator emits, per endpoint, an options type `O` implementing exactly
//! the traits for the query options that endpoint's documentation lists
//! ([`Select`], [`Filter`], [`OrderBy`], [`Expand`], [`Top`], [`Skip`],
//! [`Count`], [`Search`]); the matching methods of `Request<R, O>` exist only
//! then. The typed field enums implement [`Field`]; [`NoFields`] stands in
//! where the docs name no fields (only the `*_raw` methods are then usable).
//!
//! # Encoding
//!
//! Keys are written as given (`$select`). Values are percent-encoded as UTF-8,
//! keeping verbatim only the RFC 3986 unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`) and `$ ' ( ) * , : @ !`, so the output reads like
//! the examples in the Graph docs; a space becomes `%20` (never `+`), and
//! `& = + # ? / ; % "` are always encoded:
//!
//! ```
//! use graph_runtime::query::encode_query_component;
//! assert_eq!(
//!     encode_query_component("startswith(displayName,'a b')"),
//!     "startswith(displayName,'a%20b')"
//! );
//! assert_eq!(encode_query_component("a&b=c+d/e#f"), "a%26b%3Dc%2Bd%2Fe%23f");
//! ```
//!
//! Note that the URL parser reqwest uses (WHATWG rules) writes `'` as `%27`
//! on the wire for `http`/`https` URLs; the service decodes both forms alike.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

mod filter;
pub use filter::{FilterProperty, ops};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every ASCII byte except RFC 3986 unreserved characters and `$ ' ( ) * , : @ !`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b':')
    .remove(b'@')
    .remove(b'!');

/// Percent-encodes a query-string value by the rule in the [module docs](self).
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// A property of a resource type, as named in JSON (`displayName`).
///
/// Generated per-type field enums implement it.
pub trait Field: Copy {
    /// The JSON property name.
    fn name(self) -> &'static str;
}

/// A `$filter` field enum whose docs list no operators for its properties: [`field`] offers
/// every operator on them. Filter enums whose docs do list operators do not implement it:
/// their functions return [`FilterProperty`]s offering the listed ones only.
pub trait AllOperators: Field {}

/// Field type for endpoints whose docs name no typed fields: it has no
/// values, so only the `*_raw` option methods can be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoFields {}

impl Field for NoFields {
    fn name(self) -> &'static str {
        match self {}
    }
}

/// Options marker for endpoints that document no query options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoOptions;

/// Options marker for endpoints whose result the docs do not type: every option is
/// offered, with properties written as text (`select_raw`, `filter_raw`, ...).
#[derive(Debug)]
pub enum AnyOptions {}

impl Select for AnyOptions {
    type Field = NoFields;
}
impl Filter for AnyOptions {
    type Field = NoFields;
}
impl OrderBy for AnyOptions {
    type Field = NoFields;
}
impl Expand for AnyOptions {
    type Field = NoFields;
}
impl Top for AnyOptions {}
impl Skip for AnyOptions {}
impl Count for AnyOptions {}
impl Search for AnyOptions {}

/// The endpoint supports `$select` over [`Select::Field`].
pub trait Select {
    /// The selectable properties.
    type Field: Field;
}

/// The endpoint supports `$filter` over [`Filter::Field`].
pub trait Filter {
    /// The filterable properties.
    type Field: Field;
}

/// The endpoint supports `$orderby` over [`OrderBy::Field`].
pub trait OrderBy {
    /// The sortable properties.
    type Field: Field;
}

/// The endpoint supports `$expand` over [`Expand::Field`].
pub trait Expand {
    /// The expandable relationships.
    type Field: Field;
}

/// The endpoint supports `$top`.
pub trait Top {}

/// The endpoint supports `$skip`.
pub trait Skip {}

/// The endpoint supports `$count`.
pub trait Count {}

/// The endpoint supports `$search`.
pub trait Search {}

/// Sort direction for `$orderby`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// Ascending (written as the bare property name, the service default).
    #[default]
    Asc,
    /// Descending (`name desc`).
    Desc,
}

/// A value written as an OData literal in `$filter` expressions and function
/// arguments.
///
/// Strings are single-quoted with `'` doubled; numbers and booleans are bare;
/// dates, date-times and GUIDs are bare ISO / hyphenated text; `None` is `null`.
///
/// ```
/// use graph_runtime::query::ODataLiteral;
/// assert_eq!("O'Neil".odata_literal(), "'O''Neil'");
/// assert_eq!(42_i64.odata_literal(), "42");
/// assert_eq!(true.odata_literal(), "true");
/// assert_eq!(None::<&str>.odata_literal(), "null");
/// ```
pub trait ODataLiteral {
    /// The literal's text (not yet percent-encoded).
    fn odata_literal(&self) -> String;
}

/// A literal written exactly as given: `RawLiteral("2024-01-01")`, `RawLiteral("'a'")`, for
/// a value whose OData type the docs do not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLiteral<'a>(pub &'a str);

impl ODataLiteral for RawLiteral<'_> {
    fn odata_literal(&self) -> String {
        self.0.to_owned()
    }
}

impl ODataLiteral for str {
    fn odata_literal(&self) -> String {
        format!("'{}'", self.replace('\'', "''"))
    }
}

impl ODataLiteral for String {
    fn odata_literal(&self) -> String {
        self.as_str().odata_literal()
    }
}

impl<T: ODataLiteral + ?Sized> ODataLiteral for &T {
    fn odata_literal(&self) -> String {
        (**self).odata_literal()
    }
}

impl<T: ODataLiteral> ODataLiteral for Option<T> {
    fn odata_literal(&self) -> String {
        match self {
            Some(value) => value.odata_literal(),
            None => "null".to_owned(),
        }
    }
}

macro_rules! display_literal {
    ($($ty:ty),*) => {$(
        impl ODataLiteral for $ty {
            fn odata_literal(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_literal!(bool, i8, i16, i32, i64, u8, u16, u32, u64, NaiveDate);

impl ODataLiteral for uuid::Uuid {
    fn odata_literal(&self) -> String {
        self.hyphenated().to_string()
    }
}

macro_rules! float_literal {
    ($($ty:ty),*) => {$(
        impl ODataLiteral for $ty {
            fn odata_literal(&self) -> String {
                if self.is_nan() {
                    "NaN".to_owned()
                } else if self.is_infinite() {
                    if *self > 0.0 { "INF" } else { "-INF" }.to_owned()
                } else {
                    self.to_string()
                }
            }
        }
    )*};
}

float_literal!(f32, f64);

impl ODataLiteral for DateTime<Utc> {
    fn odata_literal(&self) -> String {
        self.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

impl ODataLiteral for DateTime<FixedOffset> {
    fn odata_literal(&self) -> String {
        self.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

/// A property to compare in a [`FilterExpr`]; see [`field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRef(&'static str);

/// Starts a filter comparison on `field`.
///
/// ```
/// use graph_runtime::query::{field, AllOperators, FilterExpr, Field};
/// # #[derive(Clone, Copy)] enum UserField { DisplayName, Age, AccountEnabled }
/// # impl Field for UserField {
/// #     fn name(self) -> &'static str {
/// #         match self { Self::DisplayName => "displayName", Self::Age => "age", Self::AccountEnabled => "accountEnabled" }
/// #     }
/// # }
/// # impl AllOperators for UserField {}
/// let expr = field(UserField::DisplayName)
///     .starts_with("Ad")
///     .and(field(UserField::Age).ge(18).or(field(UserField::AccountEnabled).eq(true)))
///     .and(field(UserField::DisplayName).ne("O'Neil").not());
/// assert_eq!(
///     expr.to_string(),
///     "startswith(displayName,'Ad') and (age ge 18 or accountEnabled eq true) \
///      and not (displayName ne 'O''Neil')"
/// );
/// ```
pub fn field<F: AllOperators>(field: F) -> FieldRef {
    FieldRef(field.name())
}

impl FieldRef {
    /// A property given by name, for fields the generated enums lack.
    pub fn named(name: &'static str) -> Self {
        FieldRef(name)
    }

    fn compare(self, op: &str, value: impl ODataLiteral) -> FilterExpr {
        FilterExpr::atom(format!("{} {op} {}", self.0, value.odata_literal()))
    }

    fn call(self, function: &str, value: impl ODataLiteral) -> FilterExpr {
        FilterExpr::atom(format!("{function}({},{})", self.0, value.odata_literal()))
    }

    /// `name eq value`
    pub fn eq(self, value: impl ODataLiteral) -> FilterExpr {
        self.compare("eq", value)
    }

    /// `name ne value`
    pub fn ne(self, value: impl ODataLiteral) -> FilterExpr {
        self.compare("ne", value)
    }

    /// `name gt value`
    pub fn gt(self, value: impl ODataLiteral) -> FilterExpr {
        self.compare("gt", value)
    }

    /// `name ge value`
    pub fn ge(self, value: impl ODataLiteral) -> FilterExpr {
        self.compare("ge", value)
    }

    /// `name lt value`
    pub fn lt(self, value: impl ODataLiteral) -> FilterExpr {
        self.compare("lt", value)
    }

    /// `name le value`
    pub fn le(self, value: impl ODataLiteral) -> FilterExpr {
        self.compare("le", value)
    }

    /// `startswith(name,value)`
    pub fn starts_with(self, value: impl ODataLiteral) -> FilterExpr {
        self.call("startswith", value)
    }

    /// `endswith(name,value)`
    pub fn ends_with(self, value: impl ODataLiteral) -> FilterExpr {
        self.call("endswith", value)
    }

    /// `contains(name,value)`
    pub fn contains(self, value: impl ODataLiteral) -> FilterExpr {
        self.call("contains", value)
    }
}

/// Operator precedence of a [`FilterExpr`]'s outermost operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precedence {
    Or,
    And,
    Atom,
}

/// A `$filter` expression, built from [`field`] comparisons and combined
/// with [`and`](FilterExpr::and), [`or`](FilterExpr::or) and
/// [`not`](FilterExpr::not); parentheses are added only where precedence
/// needs them (`not` always parenthesises its operand). `Display` gives the
/// expression text, before query-string encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterExpr {
    text: String,
    precedence: Precedence,
}

impl FilterExpr {
    pub(crate) fn atom(text: String) -> Self {
        FilterExpr {
            text,
            precedence: Precedence::Atom,
        }
    }

    /// An expression written by hand, e.g. a lambda the builder lacks:
    /// `FilterExpr::raw("assignedLicenses/any(x:x/skuId eq 1)")`. It is
    /// parenthesised when combined with `and`/`or`.
    pub fn raw(text: impl Into<String>) -> Self {
        FilterExpr {
            text: text.into(),
            precedence: Precedence::Or,
        }
    }

    fn operand(self, at_least: Precedence) -> String {
        if self.precedence >= at_least {
            self.text
        } else {
            format!("({})", self.text)
        }
    }

    /// `self and other`
    pub fn and(self, other: FilterExpr) -> Self {
        FilterExpr {
            text: format!(
                "{} and {}",
                self.operand(Precedence::And),
                other.operand(Precedence::And)
            ),
            precedence: Precedence::And,
        }
    }

    /// `self or other`
    pub fn or(self, other: FilterExpr) -> Self {
        FilterExpr {
            text: format!("{} or {}", self.text, other.text),
            precedence: Precedence::Or,
        }
    }

    /// `not (self)`
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        FilterExpr::atom(format!("not ({})", self.text))
    }

    /// The expression text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for FilterExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Clone, Copy)]
    enum F {
        A,
        B,
    }

    impl Field for F {
        fn name(self) -> &'static str {
            match self {
                F::A => "a",
                F::B => "b",
            }
        }
    }

    impl AllOperators for F {}

    #[test]
    fn literals() {
        assert_eq!("it's".odata_literal(), "'it''s'");
        assert_eq!(String::from("''").odata_literal(), "''''''");
        assert_eq!("".odata_literal(), "''");
        assert_eq!((-5_i32).odata_literal(), "-5");
        assert_eq!(u64::MAX.odata_literal(), "18446744073709551615");
        assert_eq!(1.5_f64.odata_literal(), "1.5");
        assert_eq!(f64::NAN.odata_literal(), "NaN");
        assert_eq!(f64::NEG_INFINITY.odata_literal(), "-INF");
        assert_eq!(false.odata_literal(), "false");
        assert_eq!(Some(3_u32).odata_literal(), "3");
        let utc = Utc
            .with_ymd_and_hms(2024, 2, 29, 13, 5, 0)
            .single()
            .expect("date");
        assert_eq!(utc.odata_literal(), "2024-02-29T13:05:00Z");
        let offset = FixedOffset::east_opt(2 * 3600).expect("offset");
        assert_eq!(
            utc.with_timezone(&offset).odata_literal(),
            "2024-02-29T15:05:00+02:00"
        );
        let date = NaiveDate::from_ymd_opt(2018, 3, 5).expect("date");
        assert_eq!(date.odata_literal(), "2018-03-05");
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(id.odata_literal(), "01234567-89ab-cdef-0123-456789abcdef");
    }

    #[test]
    fn comparisons_and_functions() {
        let a = field(F::A);
        assert_eq!(a.eq("x").to_string(), "a eq 'x'");
        assert_eq!(a.ne(1).to_string(), "a ne 1");
        assert_eq!(a.gt(1).to_string(), "a gt 1");
        assert_eq!(a.ge(1).to_string(), "a ge 1");
        assert_eq!(a.lt(1).to_string(), "a lt 1");
        assert_eq!(a.le(1).to_string(), "a le 1");
        assert_eq!(a.eq(None::<i32>).to_string(), "a eq null");
        assert_eq!(a.starts_with("x").to_string(), "startswith(a,'x')");
        assert_eq!(a.ends_with("x").to_string(), "endswith(a,'x')");
        assert_eq!(a.contains("x").to_string(), "contains(a,'x')");
        assert_eq!(FieldRef::named("c/d").eq(2).as_str(), "c/d eq 2");
    }

    #[test]
    fn precedence_adds_only_needed_parentheses() {
        let x = || field(F::A).eq(1);
        let y = || field(F::B).eq(2);
        assert_eq!(
            x().and(y()).and(x()).to_string(),
            "a eq 1 and b eq 2 and a eq 1"
        );
        assert_eq!(
            x().or(y()).or(x()).to_string(),
            "a eq 1 or b eq 2 or a eq 1"
        );
        assert_eq!(
            x().and(y()).or(x()).to_string(),
            "a eq 1 and b eq 2 or a eq 1"
        );
        assert_eq!(
            x().or(y()).and(x()).to_string(),
            "(a eq 1 or b eq 2) and a eq 1"
        );
        assert_eq!(
            x().and(y().or(x())).to_string(),
            "a eq 1 and (b eq 2 or a eq 1)"
        );
        assert_eq!(
            x().or(y()).not().and(x()).to_string(),
            "not (a eq 1 or b eq 2) and a eq 1"
        );
        assert_eq!(
            FilterExpr::raw("p/any(t:t eq 1)").and(x()).to_string(),
            "(p/any(t:t eq 1)) and a eq 1"
        );
    }

    #[test]
    fn encodes_query_components() {
        assert_eq!(
            encode_query_component("AZaz09-._~$'()*,:@!"),
            "AZaz09-._~$'()*,:@!"
        );
        assert_eq!(
            encode_query_component(" &=+#?/;%\"<>[]\\^`{|}"),
            "%20%26%3D%2B%23%3F%2F%3B%25%22%3C%3E%5B%5D%5C%5E%60%7B%7C%7D"
        );
        assert_eq!(encode_query_component("é 日"), "%C3%A9%20%E6%97%A5");
        assert_eq!(
            encode_query_component("createdDateTime ge 2024-01-01T00:00:00+02:00"),
            "createdDateTime%20ge%202024-01-01T00:00:00%2B02:00"
        );
    }
}
