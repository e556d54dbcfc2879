//! HTML comments: the JSON annotations before code blocks and the resource's own annotation,
//! and reading their values.

use std::sync::LazyLock;

use memchr::memmem;
use serde_json::Value;

use super::PageReader;
use super::annotation::{Annotation, AnnotationValue};
use crate::diagnostics::Code;

impl<'a> PageReader<'a> {
    pub(super) fn html(&mut self, text: &'a str, offset: usize) {
        let trimmed = text.trim();
        // The comment ends at the first `-->`, whatever follows it on that line.
        static COMMENT_END: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("-->"));
        static PAGE_ANNOTATION: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("\"#page.annotation\""));
        static BLOCK_TYPE: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("\"blockType\""));
        let Some(inner) = trimmed.strip_prefix("<!--").map(|rest| {
            COMMENT_END
                .find(rest.as_bytes())
                .map_or(rest, |end| &rest[..end])
        }) else {
            return;
        };
        let inner = inner.trim();
        if !inner.starts_with('{') {
            return;
        }
        // The `#page.annotation` footer (title, keywords, TOC path) holds nothing the
        // generator reads; it is skipped before parsing, so its JSON slips are not reported.
        if PAGE_ANNOTATION.find(inner.as_bytes()).is_some()
            && BLOCK_TYPE.find(inner.as_bytes()).is_none()
        {
            return;
        }
        let value = match Annotation::from_json(inner) {
            Ok(value) => value,
            Err(_) => match json5::from_str::<Value>(inner) {
                Ok(value) => {
                    self.report(
                        Code::AnnotationJson,
                        offset,
                        "annotation is not strict JSON (trailing comma?); read as JSON5",
                    );
                    Annotation::from_value(&value)
                }
                Err(error) => {
                    self.report(
                        Code::AnnotationInvalid,
                        offset,
                        format!("annotation could not be read: {error}"),
                    );
                    return;
                }
            },
        };
        if value.get("type").and_then(AnnotationValue::as_str) == Some("#page.annotation") {
            return;
        }
        if annotation_str(&value, "blockType") == Some("resource")
            && self.resource_annotation.is_none()
        {
            self.resource_annotation = Some(value.clone());
        }
        self.annotation = Some(value);
    }
}

pub(super) fn annotation_str<'v>(value: &'v Annotation, key: &str) -> Option<&'v str> {
    value.get(key).and_then(AnnotationValue::as_str)
}

pub(super) fn annotation_str_opt<'v>(value: Option<&'v Annotation>, key: &str) -> Option<&'v str> {
    value.and_then(|value| annotation_str(value, key))
}

/// Booleans are sometimes written as strings (`"true"`).
pub(super) fn annotation_bool(value: &Annotation, key: &str) -> bool {
    match value.get(key) {
        Some(AnnotationValue::Bool(flag)) => *flag,
        Some(AnnotationValue::Str(text)) => text.eq_ignore_ascii_case("true"),
        _ => false,
    }
}
