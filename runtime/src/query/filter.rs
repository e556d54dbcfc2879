//! Typed `$filter` properties that offer only the operators their docs list.

use std::marker::PhantomData;

use super::{FilterExpr, ODataLiteral};

/// The operators a property's docs list, as types: [`Ops`](ops::Ops) has one slot per operator,
/// holding the operator when the docs list it and [`No`](ops::No) when they do not.
pub mod ops {
    /// `eq`
    #[derive(Debug, Clone, Copy)]
    pub enum Eq {}
    /// `ne`
    #[derive(Debug, Clone, Copy)]
    pub enum Ne {}
    /// `gt`
    #[derive(Debug, Clone, Copy)]
    pub enum Gt {}
    /// `ge`
    #[derive(Debug, Clone, Copy)]
    pub enum Ge {}
    /// `lt`
    #[derive(Debug, Clone, Copy)]
    pub enum Lt {}
    /// `le`
    #[derive(Debug, Clone, Copy)]
    pub enum Le {}
    /// `in`
    #[derive(Debug, Clone, Copy)]
    pub enum In {}
    /// `startswith`
    #[derive(Debug, Clone, Copy)]
    pub enum StartsWith {}
    /// `endswith`
    #[derive(Debug, Clone, Copy)]
    pub enum EndsWith {}
    /// `not`
    #[derive(Debug, Clone, Copy)]
    pub enum Not {}
    /// `eq` on `null` values (also listed apart from `eq`).
    #[derive(Debug, Clone, Copy)]
    pub enum EqNull {}
    /// A slot of [`Ops`] whose operator the docs do not list.
    #[derive(Debug, Clone, Copy)]
    pub enum No {}

    /// The operators of one property, one slot each, in this order: `eq`, `ne`, `gt`, `ge`,
    /// `lt`, `le`, `in`, `startsWith`, `endsWith`, `not`, `eq` on `null`.
    #[derive(Debug, Clone, Copy)]
    #[allow(clippy::type_complexity)]
    pub struct Ops<EQ, NE, GT, GE, LT, LE, IN, SW, EW, NOT, NULL>(
        core::marker::PhantomData<fn() -> (EQ, NE, GT, GE, LT, LE, IN, SW, EW, NOT, NULL)>,
    );

    /// Every operator: for properties whose docs say they support `$filter` without listing
    /// operators.
    #[derive(Debug, Clone, Copy)]
    pub enum AnyOperator {}

    /// The property's docs list the operator `Op`.
    #[diagnostic::on_unimplemented(
        message = "the docs do not list this operator among the property's `$filter` operators",
        label = "the docs list the operators in `{Self}`",
        note = "`filter_raw` sends an expression the docs do not list"
    )]
    pub trait Lists<Op> {}

    impl<Op> Lists<Op> for AnyOperator {}

    macro_rules! slot {
        ($op:ident: $($before:ident),* ; $($after:ident),*) => {
            impl<$($before,)* $($after),*> Lists<$op> for Ops<$($before,)* $op, $($after),*> {}
        };
    }
    slot!(Eq: ; B, C, D, E, F, G, H, I, J, K);
    slot!(Ne: A ; C, D, E, F, G, H, I, J, K);
    slot!(Gt: A, B ; D, E, F, G, H, I, J, K);
    slot!(Ge: A, B, C ; E, F, G, H, I, J, K);
    slot!(Lt: A, B, C, D ; F, G, H, I, J, K);
    slot!(Le: A, B, C, D, E ; G, H, I, J, K);
    slot!(In: A, B, C, D, E, F ; H, I, J, K);
    slot!(StartsWith: A, B, C, D, E, F, G ; I, J, K);
    slot!(EndsWith: A, B, C, D, E, F, G, H ; J, K);
    slot!(Not: A, B, C, D, E, F, G, H, I ; K);
    slot!(EqNull: A, B, C, D, E, F, G, H, I, J ;);
}

/// A property `$filter` may name, offering the operators `O` its docs list.
///
/// Today's docs say, per property, which operators `$filter` supports ("Supports `$filter`
/// (`eq`, `ne`, `not`, `in`, `startsWith`)"). The generated filter enums have one function
/// per such property returning a `FilterProperty` whose type parameter lists them
/// ([`ops::Ops`]); a comparison the docs do not list does not compile:
///
/// ```
/// use graph_runtime::query::ops::{Eq, In, Ne, No, Not, Ops, StartsWith};
/// use graph_runtime::query::FilterProperty;
///
/// // What the generator emits for `displayName`, documented with `eq`, `ne`, `not`, `in`
/// // and `startsWith`:
/// type Listed = Ops<Eq, Ne, No, No, No, No, In, StartsWith, No, Not, No>;
/// const DISPLAY_NAME: FilterProperty<Listed> = FilterProperty::new("displayName");
///
/// let filter = DISPLAY_NAME
///     .starts_with("Ad")
///     .or(DISPLAY_NAME.is_in(["Alex", "Sam"]))
///     .and(DISPLAY_NAME.not(|name| name.eq("Admin")));
/// assert_eq!(
///     filter.to_string(),
///     "(startswith(displayName,'Ad') or displayName in ('Alex','Sam')) and not (displayName eq 'Admin')"
/// );
/// ```
///
/// ```compile_fail
/// # use graph_runtime::query::ops::{Eq, No, Ops};
/// # use graph_runtime::query::FilterProperty;
/// const ID: FilterProperty<Ops<Eq, No, No, No, No, No, No, No, No, No, No>> = FilterProperty::new("id");
/// let _ = ID.ge(3); // the docs list only `eq` for `id`
/// ```
///
/// A collection property is compared through `any`: `proxyAddresses/any(p:startswith(p,'smtp:'))`.
/// Properties whose docs list no operators take [`ops::AnyOperator`]. The raw escape hatches
/// stay: `filter_raw` and [`FilterExpr::raw`].
#[derive(Debug)]
pub struct FilterProperty<O> {
    name: &'static str,
    /// A collection: comparisons apply to its items, through `any`.
    collection: bool,
    operators: PhantomData<fn() -> O>,
}

impl<O> Clone for FilterProperty<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for FilterProperty<O> {}

impl<O> FilterProperty<O> {
    /// The property `name` (its JSON name).
    pub const fn new(name: &'static str) -> Self {
        FilterProperty {
            name,
            collection: false,
            operators: PhantomData,
        }
    }

    /// The collection property `name`: comparisons are about its items (`name/any(…)`).
    pub const fn collection(name: &'static str) -> Self {
        FilterProperty {
            name,
            collection: true,
            operators: PhantomData,
        }
    }

    /// The property's JSON name.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// `subject` is `name` for a single value, the lambda's variable for a collection.
    fn expression(self, build: impl FnOnce(&str) -> String) -> FilterExpr {
        if self.collection {
            FilterExpr::atom(format!("{}/any(i:{})", self.name, build("i")))
        } else {
            FilterExpr::atom(build(self.name))
        }
    }

    fn compare(self, op: &str, value: impl ODataLiteral) -> FilterExpr {
        let literal = value.odata_literal();
        self.expression(|subject| format!("{subject} {op} {literal}"))
    }

    fn call(self, function: &str, value: impl ODataLiteral) -> FilterExpr {
        let literal = value.odata_literal();
        self.expression(|subject| format!("{function}({subject},{literal})"))
    }
}

macro_rules! comparisons {
    ($($op:ident $method:ident $written:literal $doc:literal;)*) => {$(
        impl<O: ops::Lists<ops::$op>> FilterProperty<O> {
            #[doc = $doc]
            pub fn $method(self, value: impl ODataLiteral) -> FilterExpr {
                self.compare($written, value)
            }
        }
    )*};
}

comparisons! {
    Eq eq "eq" "`name eq value` (`value` may be `None`: `name eq null`)";
    Ne ne "ne" "`name ne value`";
    Gt gt "gt" "`name gt value`";
    Ge ge "ge" "`name ge value`";
    Lt lt "lt" "`name lt value`";
    Le le "le" "`name le value`";
}

impl<O: ops::Lists<ops::StartsWith>> FilterProperty<O> {
    /// `startswith(name,value)`
    pub fn starts_with(self, value: impl ODataLiteral) -> FilterExpr {
        self.call("startswith", value)
    }
}

impl<O: ops::Lists<ops::EndsWith>> FilterProperty<O> {
    /// `endswith(name,value)`
    pub fn ends_with(self, value: impl ODataLiteral) -> FilterExpr {
        self.call("endswith", value)
    }
}

impl<O: ops::Lists<ops::In>> FilterProperty<O> {
    /// `name in (a,b,…)`
    pub fn is_in<V: ODataLiteral>(self, values: impl IntoIterator<Item = V>) -> FilterExpr {
        let list: Vec<String> = values
            .into_iter()
            .map(|value| value.odata_literal())
            .collect();
        let list = list.join(",");
        self.expression(|subject| format!("{subject} in ({list})"))
    }
}

impl<O: ops::Lists<ops::EqNull>> FilterProperty<O> {
    /// `name eq null`: the property is not set.
    pub fn is_null(self) -> FilterExpr {
        self.expression(|subject| format!("{subject} eq null"))
    }
}

impl<O: ops::Lists<ops::Not>> FilterProperty<O> {
    /// `not (…)`: the negation of a comparison `build` makes on this property.
    pub fn not(self, build: impl FnOnce(Self) -> FilterExpr) -> FilterExpr {
        build(self).not()
    }
}

#[cfg(test)]
mod tests {
    use super::ops::{AnyOperator, Eq, Ge, No, Ops};
    use super::*;

    #[test]
    fn collections_compare_their_items_through_any() {
        let addresses: FilterProperty<AnyOperator> = FilterProperty::collection("proxyAddresses");
        assert_eq!(
            addresses.starts_with("smtp:").to_string(),
            "proxyAddresses/any(i:startswith(i,'smtp:'))"
        );
        assert_eq!(
            addresses.eq("a@b").to_string(),
            "proxyAddresses/any(i:i eq 'a@b')"
        );
    }

    #[test]
    fn listed_operators_only() {
        type EqGe = Ops<Eq, No, No, Ge, No, No, No, No, No, No, No>;
        let size: FilterProperty<EqGe> = FilterProperty::new("size");
        assert_eq!(
            size.ge(3).and(size.eq(None::<i32>)).to_string(),
            "size ge 3 and size eq null"
        );
        let any: FilterProperty<AnyOperator> = FilterProperty::new("name");
        assert_eq!(any.is_null().to_string(), "name eq null");
        assert_eq!(any.is_in([1, 2]).to_string(), "name in (1,2)");
        assert_eq!(any.not(|name| name.lt(2)).to_string(), "not (name lt 2)");
    }
}
