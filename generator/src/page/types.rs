//! Type cells: `String`, `[x](x.md) collection`, `Collection(Edm.Int32)`, `riskLevel enum`,
//! `[a](a.md) or [b](b.md)`, `string (url)` ...

use std::borrow::Cow;

use super::markdown::{Inline, Link};
use super::model::{Primitive, TypeRef};
use super::text::contains_ignore_case;

/// The type a cell names, and a remark when the cell says more than a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedType {
    pub type_ref: TypeRef,
    /// Free text beside the type (`maximum size 20`), kept for the docs.
    pub remark: Option<String>,
}

pub fn parse_type_cell(cell: &Inline) -> ParsedType {
    let text = clean(&cell.text);
    // Links name the type: `[x](x.md)`, `[x](x.md) collection`, `Collection([x](x.md))`,
    // `[a](a.md) or [b](b.md)`.
    let mut links = cell
        .links
        .iter()
        .filter(|link| !clean(cell.link_text(link)).is_empty())
        .map(|link| named_from_link(cell.link_text(link), link));
    if let Some(first) = links.next() {
        let type_ref = match links.next() {
            None => first,
            Some(second) => {
                let mut options = vec![first, second];
                options.extend(links);
                TypeRef::Union { options }
            }
        };
        return ParsedType {
            type_ref: wrap(type_ref, is_collection_text(&text)),
            remark: None,
        };
    }
    parse_type_text(&text)
}

fn named_from_link(text: &str, link: &Link) -> TypeRef {
    let name = clean(text);
    let name = name.trim_end_matches(" collection").trim();
    if let Some(primitive) = Primitive::parse(name) {
        // `[String](...)` or `[Edm.Int32](...)`: links to primitive docs.
        return TypeRef::Primitive { primitive };
    }
    TypeRef::Named {
        name: name.to_string(),
        target: (!link.dest.is_empty()).then(|| link.dest.to_string()),
    }
}

fn wrap(type_ref: TypeRef, collection: bool) -> TypeRef {
    if collection {
        TypeRef::Collection {
            item: Box::new(type_ref),
        }
    } else {
        type_ref
    }
}

fn is_collection_text(text: &str) -> bool {
    strip_prefix_ignore_case(text, "collection(").is_some()
        || ends_with_ignore_case(text, " collection")
        || contains_ignore_case(text, " collection ")
        || strip_prefix_ignore_case(text, "collection of ").is_some()
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Strips markup that never changes the type: backticks, emphasis, escapes, `[x][]` brackets.
/// Borrows unless there are escapes to drop.
fn clean(text: &str) -> Cow<'_, str> {
    fn strip(text: &str) -> &str {
        text.trim()
            .trim_matches(|c| c == '`' || c == '*' || c == '_')
            .trim()
    }
    if text.contains('\\') {
        Cow::Owned(strip(&text.replace('\\', "")).to_string())
    } else {
        Cow::Borrowed(strip(text))
    }
}

/// Reads a cell without links.
pub fn parse_type_text(text: &str) -> ParsedType {
    let text = clean(text);
    let text = if text.contains('`') {
        Cow::Owned(text.replace('`', ""))
    } else {
        text
    };
    let text = text.trim();
    let plain = |type_ref| ParsedType {
        type_ref,
        remark: None,
    };
    if text.is_empty() {
        return plain(TypeRef::Unknown {
            text: String::new(),
        });
    }
    // Collection(X)
    if let Some(rest) = strip_prefix_ignore_case(text, "collection(")
        && let Some(inner) = rest.strip_suffix(')')
    {
        let inner = parse_type_text(inner);
        return ParsedType {
            type_ref: wrap(inner.type_ref, true),
            remark: inner.remark,
        };
    }
    // X collection, Collection of X
    if let Some(inner) = strip_suffix_ignore_case(text, " collection")
        .or_else(|| strip_prefix_ignore_case(text, "collection of "))
    {
        let inner = parse_type_text(inner);
        return ParsedType {
            type_ref: wrap(inner.type_ref, true),
            remark: inner.remark,
        };
    }
    // (A or B) collection / A or B
    let unparenthesised = text
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(text);
    for separator in [" or ", "/"] {
        if unparenthesised.contains(separator) && !unparenthesised.contains("://") {
            let options: Vec<TypeRef> = unparenthesised
                .split(separator)
                .map(|option| parse_type_text(option).type_ref)
                .collect();
            if options
                .iter()
                .all(|option| !matches!(option, TypeRef::Unknown { .. }))
            {
                return plain(TypeRef::Union { options });
            }
        }
    }
    // X enum / X resource
    for suffix in [" enum", " resource", " object", " type"] {
        if let Some(inner) = strip_suffix_ignore_case(text, suffix)
            && is_identifier(inner)
        {
            if let Some(primitive) = Primitive::parse(inner) {
                return plain(TypeRef::Primitive { primitive });
            }
            return plain(named(inner));
        }
    }
    if let Some(primitive) = Primitive::parse(text) {
        return plain(TypeRef::Primitive { primitive });
    }
    if is_identifier(text) {
        return plain(named(text));
    }
    if [
        "json object",
        "untyped json object",
        "json",
        "object",
        "any",
    ]
    .iter()
    .any(|word| text.eq_ignore_ascii_case(word))
    {
        return plain(TypeRef::Primitive {
            primitive: Primitive::Json,
        });
    }
    // `string (url)`, `string, maximum size 20`, `(Optional) String`, `String (optional)`:
    // a primitive word with a remark around it.
    let words: Vec<&str> = text
        .split(|c: char| c == ',' || c == '(' || c == ')' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect();
    if let Some((index, primitive)) = words
        .iter()
        .enumerate()
        .find_map(|(index, word)| Primitive::parse(word).map(|primitive| (index, primitive)))
        .filter(|(index, _)| *index <= 1)
    {
        let _ = index;
        return ParsedType {
            type_ref: TypeRef::Primitive { primitive },
            remark: Some(text.to_string()),
        };
    }
    plain(TypeRef::Unknown {
        text: text.to_string(),
    })
}

fn named(text: &str) -> TypeRef {
    let name = text
        .trim_start_matches('[')
        .trim_end_matches("[]")
        .trim_end_matches(']')
        .trim();
    TypeRef::Named {
        name: name.to_string(),
        target: None,
    }
}

/// A type name, possibly qualified (`microsoft.graph.user`) or in `[x]`/`[x][]` form.
fn is_identifier(text: &str) -> bool {
    let name = text
        .trim_start_matches('[')
        .trim_end_matches("[]")
        .trim_end_matches(']');
    !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    (text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &text[prefix.len()..])
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let start = text.len().checked_sub(suffix.len())?;
    (text.is_char_boundary(start) && text[start..].eq_ignore_ascii_case(suffix))
        .then(|| text[..start].trim())
}
