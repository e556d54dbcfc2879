//! Paragraphs: the namespace line, the summary, "Inherits from", the request body's intro, the
//! response's status and type, and the query options a method supports.

use std::sync::LazyLock;

use memchr::memmem;

use super::markdown::Inline;
use super::model::{IncludeRef, QuerySupport, ResponseSpec, TypeRef};
use super::text::{contains_ignore_case, starts_with_ignore_case};
use super::{PageReader, Section};

impl<'a> PageReader<'a> {
    pub(super) fn paragraph(&mut self, inline: &Inline, quoted: bool, offset: usize) {
        let text = inline.text.trim();
        if let Some(rest) = text
            .strip_prefix("Namespace:")
            .or_else(|| text.strip_prefix("Namespace :"))
        {
            if self.page.namespace.is_none() {
                self.page.namespace = Some(rest.trim().trim_matches('`').trim().to_string());
            }
            return;
        }
        self.inherits_from(inline);
        if matches!(self.section, Section::Intro | Section::Properties) && !quoted {
            self.dictionary_prose(inline, offset);
        }
        if text.starts_with("[!") {
            self.permission_includes(inline, offset);
        }
        match self.section {
            Section::Intro
                if !quoted
                    && self.page.summary.is_none()
                    && self.page.title.is_some()
                    && !text.starts_with("[!")
                    && !text.starts_with("Inherits from") =>
            {
                self.page.summary = Some(text.to_string());
            }
            Section::RequestBody => {
                if !self.body_intro.is_empty() {
                    self.body_intro.push('\n');
                }
                self.body_intro.push_str(text);
                if self.body_type.is_none() {
                    self.body_type = first_resource_link(inline);
                }
            }
            Section::Response => self.response_paragraph(inline, offset),
            Section::QueryParameters => {
                self.query_support(text);
                self.required_query_options(text);
            }
            Section::HttpRequest => self.required_query_options(text),
            Section::Properties
                if text.eq_ignore_ascii_case("none")
                    || text.eq_ignore_ascii_case("none.")
                    || contains_ignore_case(text, "no properties") =>
            {
                self.resource.declares_no_properties = true;
            }
            _ => {}
        }
    }

    /// "The `$filter` query parameter is required": the options a sentence that says
    /// "required" (and not "not required") names.
    fn required_query_options(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        if !lower.contains("required") && !lower.contains("requires") {
            return;
        }
        for sentence in lower.split(". ") {
            if !(sentence.contains("required") || sentence.contains("requires"))
                || sentence.contains("not required")
            {
                continue;
            }
            for option in query_options_named(sentence) {
                if !self.method.required_query_options.contains(&option) {
                    self.method.required_query_options.push(option);
                }
            }
        }
    }

    /// Reads "This method supports the `$select` and `$top` OData query parameters" and its
    /// kin. Options named across several paragraphs add up; a denial wins over nothing.
    fn query_support(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        let named = query_options_named(&lower);
        let denies = lower.contains("not support") || lower.starts_with("not supported");
        let support = &mut self.method.query_support;
        if !named.is_empty() && !denies {
            match support {
                QuerySupport::Named(options) => {
                    for option in named {
                        if !options.contains(&option) {
                            options.push(option);
                        }
                    }
                }
                _ => *support = QuerySupport::Named(named),
            }
        } else if denies && lower.contains("query") {
            if support.is_unstated() {
                *support = QuerySupport::None;
            }
        } else if (lower.contains("supports") || lower.contains("accepts"))
            && lower.contains("query param")
            && support.is_unstated()
        {
            *support = QuerySupport::Generic;
        }
    }

    /// `[!INCLUDE [permissions-table](../includes/permissions/x-permissions.md)]`: the
    /// permissions live in another file, which the tree reader loads. Other includes (national
    /// clouds, SDK snippets) hold nothing the generator reads.
    fn permission_includes(&mut self, inline: &Inline, offset: usize) {
        if !starts_with_ignore_case(inline.text.trim_start(), "[!include") {
            return;
        }
        for link in inline.links.iter() {
            let dest = link.dest.trim();
            let is_permissions = inline
                .link_text(link)
                .trim()
                .eq_ignore_ascii_case("permissions-table")
                || contains_ignore_case(dest, "includes/permissions/");
            if !is_permissions || dest.is_empty() {
                continue;
            }
            // Located at its own `[!INCLUDE`, which may be one line of several in the paragraph.
            let paragraph = &self.source[offset..];
            let start = paragraph
                .find(dest)
                .and_then(|found| paragraph[..found].rfind("[!"))
                .map_or(offset, |found| offset + found);
            let at = self.at(start);
            self.method.permission_includes.push(IncludeRef {
                target: dest.to_string(),
                line: at.line,
                column: at.column,
            });
        }
    }

    fn inherits_from(&mut self, inline: &Inline) {
        if self.resource.base_type.is_some() {
            return;
        }
        // "Inherits from [x]", or in some pages "This resource is a subclass of [x]".
        let found = find_inherits_from(&inline.text)
            .map(|position| position + "Inherits from".len())
            .or_else(|| find_subclass_of(&inline.text));
        let Some(after) = found else {
            return;
        };
        let after = &inline.text[after..];
        // The first link whose text appears after the phrase.
        if let Some(link) = inline.links.iter().find(|link| {
            let text = inline.link_text(link);
            !text.trim().is_empty() && after.contains(text)
        }) {
            self.resource.base_type = Some(TypeRef::Named {
                name: inline.link_text(link).trim().trim_matches('`').to_string(),
                target: Some(link.dest.to_string()),
            });
            return;
        }
        let name: String = after
            .trim_start_matches([' ', ':'])
            .trim_start_matches('`')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
            .collect();
        let name = name.trim_end_matches('.');
        if !name.is_empty() {
            self.resource.base_type = Some(TypeRef::Named {
                name: name.to_string(),
                target: None,
            });
        }
    }

    fn response_paragraph(&mut self, inline: &Inline, offset: usize) {
        let line = self.line(offset);
        let response = self.method.response.get_or_insert(ResponseSpec {
            status: None,
            type_ref: None,
            line,
        });
        if response.status.is_none() {
            response.status = first_status_code(&inline.text);
        }
        if response.type_ref.is_none()
            && let Some(link) = inline.links.iter().find(|link| is_type_link(&link.dest))
        {
            let link_text = inline.link_text(link);
            let name = link_text.trim().trim_matches('`').to_string();
            let named = TypeRef::Named {
                name,
                target: Some(link.dest.to_string()),
            };
            let at = inline.text.find(link_text).unwrap_or(0);
            let before = inline.text[..at].to_ascii_lowercase();
            // "a [user](…) collection" as well as "a collection of [user](…)".
            let after = inline.text[at + link_text.len()..]
                .trim_start_matches([')', ' ', '`', '*'])
                .to_ascii_lowercase();
            response.type_ref = Some(
                if before.contains("collection") || after.starts_with("collection") {
                    TypeRef::Collection {
                        item: Box::new(named),
                    }
                } else {
                    named
                },
            );
        }
    }
}

/// Where the name after "a subclass of" starts, if the text says so.
fn find_subclass_of(text: &str) -> Option<usize> {
    static PHRASE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("subclass of"));
    PHRASE
        .find(text.as_bytes())
        .map(|found| found + "subclass of".len())
}

/// `text.find("Inherits from").or_else(|| text.find("inherits from"))`, in one search.
fn find_inherits_from(text: &str) -> Option<usize> {
    static PHRASE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("nherits from"));
    let bytes = text.as_bytes();
    let mut lowercase = None;
    // The phrase cannot overlap itself, so every occurrence is seen.
    for found in PHRASE.find_iter(bytes) {
        match found.checked_sub(1).map(|before| bytes[before]) {
            Some(b'I') => return Some(found - 1),
            Some(b'i') if lowercase.is_none() => lowercase = Some(found - 1),
            _ => {}
        }
    }
    lowercase
}

fn first_status_code(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 3)
        .filter_map(|word| word.parse::<u16>().ok())
        .find(|code| (100..600).contains(code))
}

/// The first link to a resource page (`../resources/widget.md`, `widget.md`), as a type.
fn first_resource_link(inline: &Inline) -> Option<TypeRef> {
    inline
        .links
        .iter()
        .find(|link| is_type_link(&link.dest) && !contains_ignore_case(&link.dest, "/api/"))
        .map(|link| TypeRef::Named {
            name: inline
                .link_text(link)
                .trim()
                .trim_matches(['`', '*'])
                .to_string(),
            target: Some(link.dest.to_string()),
        })
        .filter(|named| matches!(named, TypeRef::Named { name, .. } if !name.is_empty()))
}

fn is_type_link(dest: &str) -> bool {
    let dest = dest.to_ascii_lowercase();
    dest.ends_with(".md") || dest.contains(".md#")
}

/// The OData system query options a sentence names: `$select`, or a backticked `select`.
fn query_options_named(lower: &str) -> Vec<String> {
    // Each option as written with its `$` and backticked. Every spelling holds a `$` or a
    // backtick, so most sentences are ruled out by one scan.
    const OPTIONS: [(&str, &str); 9] = [
        ("$select", "`select`"),
        ("$filter", "`filter`"),
        ("$orderby", "`orderby`"),
        ("$expand", "`expand`"),
        ("$top", "`top`"),
        ("$skip", "`skip`"),
        ("$count", "`count`"),
        ("$search", "`search`"),
        ("$skiptoken", "`skiptoken`"),
    ];
    if memchr::memchr2(b'$', b'`', lower.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut found: Vec<(usize, &str)> = Vec::new();
    for (option, backticked) in OPTIONS {
        let at = [option, backticked]
            .into_iter()
            .filter_map(|needle| {
                lower.match_indices(needle).find_map(|(index, _)| {
                    // `$top` must not match `$topx`; `$skip` must not match `$skiptoken`.
                    let end = index + needle.len();
                    let next = lower.as_bytes().get(end);
                    (!next.is_some_and(|byte| byte.is_ascii_alphanumeric())).then_some(index)
                })
            })
            .min();
        if let Some(at) = at {
            found.push((at, option));
        }
    }
    found.sort();
    found
        .into_iter()
        .map(|(_, option)| option.to_string())
        .collect()
}
