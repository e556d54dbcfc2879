//! The front matter: flat `key: value` lines read directly, anything else by the YAML parser.

use std::collections::BTreeMap;

use super::PageReader;
use super::model::FrontMatter;
use crate::diagnostics::Code;

impl<'a> PageReader<'a> {
    pub(super) fn front_matter(&mut self, text: &str, offset: usize) {
        // The docs write flat `key: value` lines; a full YAML parse is only needed (and only
        // paid for) when a block is not that simple.
        if let Some(flat) = flat_front_matter(text) {
            self.page.front_matter = FrontMatter {
                title: flat.title.map(str::to_string),
                description: flat.description.map(str::to_string),
                doc_type: flat.doc_type.map(str::to_string),
                ms_prod: flat.ms_prod.map(str::to_string),
                ms_subservice: flat.ms_subservice.map(str::to_string),
            };
            return;
        }
        let values: BTreeMap<String, String> = {
            match serde_yaml_ng::from_str::<BTreeMap<String, serde_yaml_ng::Value>>(text) {
                Ok(map) => map
                    .into_iter()
                    .filter_map(|(key, value)| {
                        let value = match value {
                            serde_yaml_ng::Value::String(text) => text,
                            serde_yaml_ng::Value::Bool(flag) => flag.to_string(),
                            serde_yaml_ng::Value::Number(number) => number.to_string(),
                            _ => return None,
                        };
                        Some((key, value))
                    })
                    .collect(),
                Err(error) => {
                    self.report(
                        Code::FrontMatter,
                        offset,
                        format!("front matter is not valid YAML ({error}); read line by line"),
                    );
                    text.lines()
                        .filter_map(|line| line.split_once(':'))
                        .map(|(key, value)| {
                            (
                                key.trim().to_string(),
                                value.trim().trim_matches(['"', '\'']).to_string(),
                            )
                        })
                        .collect()
                }
            }
        };
        self.page.front_matter = FrontMatter {
            title: values.get("title").cloned(),
            description: values.get("description").cloned(),
            doc_type: values.get("doc_type").cloned(),
            ms_prod: values.get("ms.prod").cloned(),
            ms_subservice: values.get("ms.subservice").cloned(),
        };
    }
}

/// The front matter keys the page keeps, borrowed from flat front matter.
#[derive(Default)]
struct FlatFrontMatter<'t> {
    title: Option<&'t str>,
    description: Option<&'t str>,
    doc_type: Option<&'t str>,
    ms_prod: Option<&'t str>,
    ms_subservice: Option<&'t str>,
}

/// Reads front matter made only of `key: value` lines with plain or simply quoted values.
/// Returns `None` for anything YAML could read differently (lists, block scalars, escapes,
/// `: ` inside a plain value...), which then goes to the YAML parser. A key written twice
/// keeps its last value.
fn flat_front_matter(text: &str) -> Option<FlatFrontMatter<'_>> {
    let mut values = FlatFrontMatter::default();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            return None;
        }
        let (key, value) = line.split_once(':')?;
        let key = key.trim();
        if key.is_empty()
            || key
                .bytes()
                .any(|byte| matches!(byte, b' ' | b'"' | b'\'' | b'#'))
        {
            return None;
        }
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            if memchr::memchr2(b'"', b'\\', inner.as_bytes()).is_some() {
                return None;
            }
            inner
        } else if let Some(inner) = value.strip_prefix('\'') {
            let inner = inner.strip_suffix('\'')?;
            if memchr::memchr(b'\'', inner.as_bytes()).is_some() {
                return None;
            }
            inner
        } else {
            if value.starts_with(['[', '{', '|', '>', '&', '*', '!', '%', '@', '`'])
                || memchr::memchr_iter(b':', value.as_bytes())
                    .any(|colon| value.as_bytes().get(colon + 1) == Some(&b' '))
                || memchr::memchr_iter(b'#', value.as_bytes())
                    .any(|hash| hash > 0 && value.as_bytes()[hash - 1] == b' ')
            {
                return None;
            }
            value
        };
        match key {
            "title" => values.title = Some(value),
            "description" => values.description = Some(value),
            "doc_type" => values.doc_type = Some(value),
            "ms.prod" => values.ms_prod = Some(value),
            "ms.subservice" => values.ms_subservice = Some(value),
            _ => {}
        }
    }
    Some(values)
}
