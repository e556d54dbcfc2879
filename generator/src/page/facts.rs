//! Facts stated in a description cell: Read-only, Nullable, Required, "Supports $filter",
//! "Possible values are: ...".

use super::model::Facts;

pub fn read_facts(description: &str) -> Facts {
    let lower = description.to_ascii_lowercase();
    let nullable = if lower.contains("not nullable")
        || lower.contains("non-nullable")
        || lower.contains("not null")
        || lower.contains("cannot be null")
    {
        Some(false)
    } else if lower.contains("nullable") {
        Some(true)
    } else {
        None
    };
    let required = if lower.contains("required") && !lower.contains("not required") {
        Some(true)
    } else if lower.contains("optional") || lower.contains("not required") {
        Some(false)
    } else {
        None
    };
    Facts {
        read_only: lower.contains("read-only") || lower.contains("read only"),
        nullable,
        required,
        supports: if description.contains('$') {
            supported_query_options(description, &lower)
        } else {
            Vec::new()
        },
        possible_values: if lower.contains("values") {
            possible_values(description, &lower)
        } else {
            Vec::new()
        },
    }
}

/// `$select`, `$filter`, ... named in "Supports ..." sentences, in order of first mention.
fn supported_query_options(description: &str, lower: &str) -> Vec<String> {
    let mut options: Vec<String> = Vec::new();
    for (start, _) in lower.match_indices("support") {
        let sentence = sentence_from(&description[start..]);
        for (index, _) in sentence.match_indices('$') {
            let name: String = sentence[index + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let option = format!("${}", name.to_ascii_lowercase());
            if !name.is_empty() && !options.contains(&option) {
                options.push(option);
            }
        }
    }
    options
}

/// Text up to the end of the sentence: a `.` followed by a space or the end, outside
/// backticks and parentheses.
fn sentence_from(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut in_code = false;
    let mut depth = 0i32;
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            b'`' => in_code = !in_code,
            b'(' if !in_code => depth += 1,
            b')' if !in_code => depth -= 1,
            b'.' if !in_code
                && depth <= 0
                && bytes
                    .get(index + 1)
                    .is_none_or(|next| next.is_ascii_whitespace()) =>
            {
                return &text[..index];
            }
            _ => {}
        }
    }
    text
}

/// Values of "Possible values are: `a`, `b`" lists. When a description has several lists,
/// the backticked one wins (it is the one the docs keep in step with the schema).
fn possible_values(description: &str, lower: &str) -> Vec<String> {
    let mut lists: Vec<(bool, Vec<String>)> = Vec::new();
    for marker in [
        "possible values are",
        "possible values",
        "the possible values are",
        "valid values are",
        "supported values are",
    ] {
        for (start, _) in lower.match_indices(marker) {
            let after = &description[start + marker.len()..];
            let after = after.trim_start_matches([':', ' ', ',']);
            let after = after
                .strip_prefix("are")
                .map(|rest| rest.trim_start_matches([':', ' ']))
                .unwrap_or(after);
            let list_text = sentence_from(after);
            if let Some(list) = parse_value_list(list_text)
                && !lists.iter().any(|(_, existing)| *existing == list.1)
            {
                lists.push(list);
            }
        }
    }
    lists
        .iter()
        .find(|(backticked, _)| *backticked)
        .or_else(|| lists.first())
        .map(|(_, values)| values.clone())
        .unwrap_or_default()
}

/// Reads `a, b, and c`; every item must look like a value name, or the list is prose.
fn parse_value_list(text: &str) -> Option<(bool, Vec<String>)> {
    let backticked = text.contains('`');
    let mut values = Vec::new();
    for item in text.split([',', ';']) {
        let item = item.trim();
        let item = item
            .strip_prefix("and ")
            .or_else(|| item.strip_prefix("or "))
            .unwrap_or(item)
            .trim();
        if item.is_empty() {
            continue;
        }
        // Drop a trailing explanation in parentheses: `none (default)`.
        let item = item.split(" (").next().unwrap_or(item).trim();
        let value = item.trim_matches(|c| c == '`' || c == '"' || c == '\'' || c == '*');
        let value = value.replace('\\', "");
        let is_value_name = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && value.chars().any(|c| c.is_ascii_alphabetic());
        if !is_value_name {
            return None;
        }
        values.push(value);
    }
    (!values.is_empty()).then_some((backticked, values))
}
