//! Small string helpers the readers share.

use std::borrow::Cow;

/// `cloudCertificationAuthorityLeafCertificateStatus enum type` → its first word.
pub(super) fn title_type_name(title: &str) -> String {
    title
        .split_whitespace()
        .next()
        .unwrap_or(title)
        .trim_matches('`')
        .to_string()
}

/// The text without surrounding whitespace, still borrowed from the page when it was.
pub(super) fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) if text.trim().len() == text.len() => Cow::Owned(text),
        Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
    }
}

/// `text.lines().next().unwrap_or("")`.
pub(super) fn first_line(text: &str) -> &str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(newline) => {
            let line = &text[..newline];
            line.strip_suffix('\r').unwrap_or(line)
        }
        None => text,
    }
}

/// `text.split_inclusive('\n')`.
pub(super) fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |newline| newline + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// `text.to_ascii_lowercase().starts_with(prefix)` for a lowercase ASCII `prefix`.
pub(super) fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `text.to_ascii_lowercase().contains(needle)` for a lowercase ASCII `needle`.
pub(super) fn contains_ignore_case(text: &str, needle: &str) -> bool {
    let (bytes, wanted) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = wanted.first() else {
        return false;
    };
    // Only where the first letter is, in either case, can the needle start.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).any(|start| {
        bytes
            .get(start..start + wanted.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(wanted))
    })
}

pub(super) fn shorten(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}
