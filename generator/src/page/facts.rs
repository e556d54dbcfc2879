//! Facts stated in a description cell: Read-only, Nullable, Required, "Supports $filter",
//! "Possible values are: ...".

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;

use super::model::Facts;

/// Searchers built once: a `str::match_indices` builds its searcher on every call, which
/// costs more than searching a short description. None of these phrases can overlap itself,
/// so both find the same occurrences.
fn finder(phrase: &'static str) -> memmem::Finder<'static> {
    memmem::Finder::new(phrase)
}

static SUPPORT: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| finder("support"));

/// The phrases that introduce a list of values, in the order their lists are preferred.
static VALUE_MARKERS: LazyLock<[memmem::Finder<'static>; 5]> = LazyLock::new(|| {
    [
        finder("possible values are"),
        finder("possible values"),
        finder("the possible values are"),
        finder("valid values are"),
        finder("supported values are"),
    ]
});

pub fn read_facts(description: &str) -> Facts {
    // Every phrase is looked for in the lowercased text, made in a buffer kept per thread.
    LOWER.with_borrow_mut(|lower| {
        lower.clear();
        lower.push_str(description);
        lower.make_ascii_lowercase();
        read_lowercased(description, lower)
    })
}

thread_local! {
    static LOWER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Searchers for the phrases [`read_facts`] looks for, built once.
struct Phrases {
    null: memmem::Finder<'static>,
    required: memmem::Finder<'static>,
    optional: memmem::Finder<'static>,
    read: memmem::Finder<'static>,
    values: memmem::Finder<'static>,
}

static PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases {
    null: finder("null"),
    required: finder("required"),
    optional: finder("optional"),
    read: finder("read"),
    values: finder("values"),
});

/// The same answers as `lower.contains(phrase)` for each phrase, with fewer searches: every
/// nullability phrase holds "null" and "not required" holds "required", so the longer
/// phrases are read around each place the shorter one is found ("null" and "required"
/// cannot overlap themselves, so every place is found).
fn read_lowercased(description: &str, lower: &str) -> Facts {
    let phrases = &*PHRASES;
    let text = lower.as_bytes();
    let has = |finder: &memmem::Finder| finder.find(text).is_some();
    let before = |at: usize, phrase: &[u8]| {
        at.checked_sub(phrase.len())
            .is_some_and(|start| &text[start..at] == phrase)
    };
    let after = |at: usize, phrase: &[u8]| text[at..].starts_with(phrase);
    let (mut mentions_null, mut not_null, mut nullable) = (false, false, false);
    for at in phrases.null.find_iter(text) {
        let end = at + "null".len();
        mentions_null = true;
        // "not null", "non-nullable", "cannot be null"; then "nullable".
        not_null |= before(at, b"not ")
            || (before(at, b"non-") && after(end, b"able"))
            || before(at, b"cannot be ");
        nullable |= after(end, b"able");
    }
    let nullable = if !mentions_null {
        None
    } else if not_null {
        Some(false)
    } else if nullable {
        Some(true)
    } else {
        None
    };
    let (mut mentions_required, mut not_required) = (false, false);
    for at in phrases.required.find_iter(text) {
        mentions_required = true;
        not_required |= before(at, b"not ");
    }
    let required = if mentions_required && !not_required {
        Some(true)
    } else if has(&phrases.optional) || not_required {
        Some(false)
    } else {
        None
    };
    // "read-only" or "read only".
    let read_only = phrases.read.find_iter(text).any(|at| {
        matches!(text.get(at + 4), Some(b'-' | b' ')) && text.get(at + 5..at + 9) == Some(b"only")
    });
    Facts {
        read_only,
        nullable,
        required,
        supports: if memchr::memchr(b'$', description.as_bytes()).is_some() {
            supported_query_options(description, lower)
        } else {
            Vec::new()
        },
        filter_operators: filter_operators(lower),
        possible_values: if has(&phrases.values) {
            possible_values(description, lower)
        } else {
            Vec::new()
        },
    }
}

/// `$select`, `$filter`, ... named in "Supports ..." sentences, in order of first mention.
fn supported_query_options(description: &str, lower: &str) -> Vec<String> {
    let mut options: Vec<String> = Vec::new();
    for start in SUPPORT.find_iter(lower.as_bytes()) {
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

/// The operators listed after "Supports `$filter`": `` (`eq`, `ne`, `NOT`, `in`, `startsWith`,
/// and `eq` on `null` values) ``, lowercase, in the docs' order; `null` stands for `eq` on
/// `null` values. Items that are no operator of a property (`/$count eq 0`) are left out.
fn filter_operators(lower: &str) -> Vec<String> {
    const OPERATORS: [&str; 10] = [
        "eq",
        "ne",
        "gt",
        "ge",
        "lt",
        "le",
        "in",
        "startswith",
        "endswith",
        "not",
    ];
    let mut operators = Vec::new();
    for (at, _) in lower.match_indices("$filter") {
        let after = lower[at + "$filter".len()..]
            .trim_start_matches('`')
            .trim_start();
        let Some(list) = after.strip_prefix('(') else {
            continue;
        };
        let list = &list[..list.find(')').unwrap_or(list.len())];
        let mut rest = list;
        while let Some(open) = rest.find('`') {
            let Some(close) = rest[open + 1..].find('`') else {
                break;
            };
            let item = rest[open + 1..open + 1 + close].trim();
            let after_item = &rest[open + close + 2..];
            let operator = if item == "eq" && after_item.trim_start().starts_with("on `null`") {
                Some("null")
            } else {
                OPERATORS.iter().copied().find(|known| *known == item)
            };
            if let Some(operator) = operator
                && !operators.iter().any(|known| known == operator)
            {
                operators.push(operator.to_string());
            }
            rest = after_item;
        }
    }
    operators
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
    // Lists stay borrowed from the description until one is chosen.
    let mut lists: Vec<(bool, Vec<Cow<'_, str>>)> = Vec::new();
    for marker in VALUE_MARKERS.iter() {
        for start in marker.find_iter(lower.as_bytes()) {
            let after = &description[start + marker.needle().len()..];
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
        .map(|(_, values)| values.iter().map(|value| value.to_string()).collect())
        .unwrap_or_default()
}

/// Reads `a, b, and c`; every item must look like a value name, or the list is prose.
fn parse_value_list(text: &str) -> Option<(bool, Vec<Cow<'_, str>>)> {
    if let Some(values) = backticked_values(text) {
        return Some((true, values));
    }
    let backticked = memchr::memchr(b'`', text.as_bytes()).is_some();
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
        let item = match item.as_bytes().windows(2).position(|pair| pair == b" (") {
            Some(cut) => &item[..cut],
            None => item,
        }
        .trim();
        let value = item.trim_matches(|c| c == '`' || c == '"' || c == '\'' || c == '*');
        let value = if value.contains('\\') {
            Cow::Owned(value.replace('\\', ""))
        } else {
            Cow::Borrowed(value)
        };
        let is_value_name = !value.is_empty()
            && value
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
            && value.bytes().any(|c| c.is_ascii_alphabetic());
        if !is_value_name {
            return None;
        }
        values.push(value);
    }
    (!values.is_empty()).then_some((backticked, values))
}

/// The values of a list written in backticks, however they are joined: `` `a`, `b`, and
/// `c` ``, `` `a` and `b` `` (no comma), `` `a` or `b` ``, `` `a ` `` (a space inside the
/// backticks), `` `a` (default) ``, and one value per line: `` `a` - what it means<br/>`b` - … ``.
/// A line break not followed by a value ends the list. `None` when words other than joiners
/// stand between the values (the list is prose), or no value is backticked. `null` is not a
/// member: "`null` (default)" says the property may be unset.
fn backticked_values(text: &str) -> Option<Vec<Cow<'_, str>>> {
    let mut values: Vec<Cow<'_, str>> = Vec::new();
    // Whether the values carry descriptions, one per line (`a` - …<br/>`b` - …).
    let mut described = false;
    let mut rest = text.trim_start();
    while let Some(br) = line_break(rest).filter(|&at| at == 0) {
        rest = rest[br..]
            .split_once('>')
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    if !rest.starts_with('`') {
        return None;
    }
    loop {
        let open = rest.find('`');
        let glue = &rest[..open.unwrap_or(rest.len())];
        let (before_break, continues) = match line_break(glue) {
            Some(at) => {
                let after_tags = glue[at..].rsplit_once('>').map_or("", |(_, after)| after);
                (&glue[..at], open.is_some() && after_tags.trim().is_empty())
            }
            None => (glue, open.is_some()),
        };
        let described_here = before_break.trim_start().starts_with(['-', ':']);
        if !values.is_empty()
            && !(is_joiners(before_break)
                || (described_here && (described || line_break(glue).is_some())))
        {
            return None;
        }
        if !continues {
            return (!values.is_empty()).then_some(values);
        }
        described |= described_here;
        let after = &rest[open? + 1..];
        let close = after.find('`')?;
        let value = after[..close].trim();
        let is_value_name = !value.is_empty()
            && value
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
            && value.bytes().any(|c| c.is_ascii_alphabetic());
        if !is_value_name {
            return None;
        }
        if value != "null" && !values.iter().any(|known| known == value) {
            values.push(Cow::Borrowed(value));
        }
        rest = &after[close + 1..];
    }
}

/// Where the first `<br>` (or `<br/>`) of `text` starts.
fn line_break(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes).find(|&at| {
        bytes
            .get(at + 1..at + 3)
            .is_some_and(|tag| tag.eq_ignore_ascii_case(b"br"))
    })
}

/// Text that may stand between two listed values: commas, `and`/`or`, a parenthesised remark,
/// a final full stop.
fn is_joiners(text: &str) -> bool {
    let mut depth = 0i32;
    let mut outside = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth <= 0 => outside.push(c),
            _ => {}
        }
    }
    outside
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '.'))
        .all(|word| matches!(word, "" | "and" | "or"))
}
