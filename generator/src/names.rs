//! Rust names for Graph names: case by heck, keywords escaped, clashes suffixed. Names are
//! decided once, in the model stage, so the emitter never invents one.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Words that would shadow prelude or std names at the place a type is used. Emitted code
/// uses absolute paths for std, so these only need care as *type* names in our own modules.
const PRELUDE_TYPES: &[&str] = &[
    "Option", "Result", "Some", "None", "Ok", "Err", "String", "Vec", "Box", "Self",
];

/// Splits a Graph identifier into a form heck reads well: `@odata.type` → `odata type`,
/// `microsoft.graph.user` → `user`, `item-path` → `item path`.
fn words(name: &str) -> String {
    let cleaned: String = name
        .trim_start_matches('@')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.trim().to_string()
}

/// `snake_case` for fields, functions and modules; keywords are made raw or suffixed.
pub fn snake(name: &str) -> String {
    let mut snake = words(name).to_snake_case();
    if snake.is_empty() {
        snake = "value".to_string();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    escape_keyword(snake)
}

/// `UpperCamelCase` for types and variants.
pub fn pascal(name: &str) -> String {
    let mut pascal = words(name).to_upper_camel_case();
    if pascal.is_empty() {
        pascal = "Value".to_string();
    }
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'V');
    }
    if RESERVED.contains(&pascal.as_str()) {
        pascal.push('_');
    }
    pascal
}

/// A type name that cannot shadow a prelude type where it is used unqualified.
pub fn type_name(name: &str) -> String {
    let mut pascal = pascal(name);
    if PRELUDE_TYPES.contains(&pascal.as_str()) {
        pascal.push_str("Type");
    }
    pascal
}

fn escape_keyword(name: String) -> String {
    if RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name as serde sees it: raw identifiers lose their `r#`.
pub fn serde_name(rust_name: &str) -> &str {
    rust_name.strip_prefix("r#").unwrap_or(rust_name)
}

/// Hands out names unique within one scope, suffixing `_2`, `_3`... on a clash. Returns
/// whether the name had to be changed, so the caller can report it.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: std::collections::BTreeSet<String>,
}

impl Scope {
    /// Whether `name` is already taken (case-insensitively).
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&name.to_ascii_lowercase())
    }

    pub fn claim(&mut self, wanted: String) -> (String, bool) {
        let key = wanted.to_ascii_lowercase();
        if self.taken.insert(key) {
            return (wanted, false);
        }
        let separator = if wanted.contains(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        for suffix in 2.. {
            let candidate = format!("{wanted}{separator}{suffix}");
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                return (candidate, true);
            }
        }
        unreachable!("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_keywords() {
        assert_eq!(snake("subjectName"), "subject_name");
        assert_eq!(snake("@odata.type"), "odata_type");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(
            snake("cloudCertificationAuthorityLeafCertificateId"),
            "cloud_certification_authority_leaf_certificate_id"
        );
        assert_eq!(snake("item-path"), "item_path");
        assert_eq!(snake("3dModel"), "_3d_model");
        assert_eq!(
            pascal("cloudCertificationAuthorityLeafCertificateStatus"),
            "CloudCertificationAuthorityLeafCertificateStatus"
        );
        assert_eq!(pascal("unknownFutureValue"), "UnknownFutureValue");
        assert_eq!(type_name("result"), "ResultType");
        assert_eq!(serde_name("r#type"), "type");
    }

    #[test]
    fn clashes_are_suffixed_case_insensitively() {
        let mut scope = Scope::default();
        assert_eq!(
            scope.claim("display_name".into()),
            ("display_name".into(), false)
        );
        assert_eq!(
            scope.claim("display_name".into()),
            ("display_name_2".into(), true)
        );
        assert_eq!(scope.claim("Status".into()), ("Status".into(), false));
        assert_eq!(scope.claim("STATUS".into()), ("STATUS2".into(), true));
    }
}
