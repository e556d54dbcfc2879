//! Dictionary types: a resource page with no properties whose words say the type maps string
//! keys to values of one type ("a dictionary that stores … in key-value pairs. Each entry
//! consists of a key and a [x](x.md) value"), or that inherits from `dictionary`.

use super::PageReader;
use super::markdown::Inline;
use super::model::{DictionarySpec, Primitive, ResourcePage, TypeRef};
use super::text::contains_ignore_case;

/// What the page's prose has said so far.
#[derive(Debug, Default)]
pub(super) struct DictionaryProse {
    /// A paragraph calls the type a dictionary (or a map, or key-value pairs), at this line.
    says_dictionary: Option<usize>,
    /// The values' type, the first time a paragraph names it.
    value_type: Option<TypeRef>,
}

impl<'a> PageReader<'a> {
    /// Reads a paragraph of the page's introduction or Properties section for what it says
    /// about being a dictionary.
    pub(super) fn dictionary_prose(&mut self, inline: &Inline, offset: usize) {
        let text = inline.text.as_ref();
        if self.dictionary.says_dictionary.is_none()
            && (contains_ignore_case(text, "dictionary")
                || contains_ignore_case(text, "key-value pair")
                || contains_ignore_case(text, "key/value pair")
                || (contains_ignore_case(text, "map") && contains_ignore_case(text, "string keys")))
        {
            self.dictionary.says_dictionary = Some(self.line(offset));
        }
        if self.dictionary.value_type.is_none() {
            self.dictionary.value_type = value_type(inline);
        }
    }
}

impl DictionaryProse {
    /// The dictionary a resource page without properties describes, if it describes one.
    pub(super) fn of(&self, resource: &ResourcePage) -> Option<DictionarySpec> {
        if !resource.properties.is_empty() || !resource.relationships.is_empty() {
            return None;
        }
        let inherits = matches!(&resource.base_type, Some(TypeRef::Named { name, .. })
            if name.rsplit('.').next().is_some_and(|bare| bare.eq_ignore_ascii_case("dictionary")));
        let line = self.says_dictionary.or(inherits.then_some(1))?;
        Some(DictionarySpec {
            value_type: self.value_type.clone().unwrap_or(TypeRef::Primitive {
                primitive: Primitive::Json,
            }),
            line,
        })
    }
}

/// The values' type a paragraph names: a link followed by "value(s)" (`[x](x.md) values`), or
/// string values in words ("string keys and string values", "each value must be a string").
fn value_type(inline: &Inline) -> Option<TypeRef> {
    let text = inline.text.as_ref();
    for link in inline.links.iter() {
        let link_text = inline.link_text(link);
        let Some(at) = text.find(link_text) else {
            continue;
        };
        let after = text[at + link_text.len()..]
            .trim_start_matches([')', '*', '`', '_'])
            .trim_start();
        if after.len() >= 5 && after[..5].eq_ignore_ascii_case("value") {
            return Some(TypeRef::Named {
                name: link_text.trim().trim_matches(['`', '*']).to_string(),
                target: Some(link.dest.to_string()),
            });
        }
    }
    let strings = [
        "string values",
        "value must be a string",
        "values are strings",
    ];
    strings
        .iter()
        .any(|phrase| contains_ignore_case(text, phrase))
        .then_some(TypeRef::Primitive {
            primitive: Primitive::String,
        })
}
