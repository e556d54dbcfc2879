//! One example value checked against a field type the way the generated client reads it:
//! the findings, and the walk that makes them.

use serde::Serialize;
use serde_json::Value;

use super::{TypeIndex, check_format, looks_like_placeholder, name_list, plural, shorten};
use crate::diagnostics::Code;
use crate::model::{Enum, FieldType, Model, ModelRole};
use crate::page::Primitive;

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum PathElem {
    Key(String),
    Index(usize),
}

/// A finding about one value of an example body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueFinding {
    pub code: Code,
    pub path: Vec<PathElem>,
    pub message: String,
}

impl ValueFinding {
    /// Whether the generated type would refuse the value (the others are kept as written).
    pub fn breaks_deserialisation(&self) -> bool {
        matches!(
            self.code,
            Code::LintWrongType | Code::LintBadFormat | Code::LintPlaceholder
        )
    }
}

/// Which way a body travels: read-only properties are findings only in requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

pub(super) struct Walk<'i, 'a> {
    pub(super) index: &'i TypeIndex<'a>,
    pub(super) path: Vec<PathElem>,
    pub(super) out: Vec<ValueFinding>,
    pub(super) direction: Direction,
}

const MAX_DEPTH: usize = 64;

impl Walk<'_, '_> {
    fn report(&mut self, code: Code, message: String) {
        self.out.push(ValueFinding {
            code,
            path: self.path.clone(),
            message,
        });
    }

    fn where_(&self) -> String {
        let mut text = String::new();
        for element in &self.path {
            match element {
                PathElem::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                PathElem::Index(index) => text.push_str(&format!("[{index}]")),
            }
        }
        if text.is_empty() {
            "the body".to_string()
        } else {
            format!("`{text}`")
        }
    }

    pub(super) fn value(&mut self, ty: &FieldType, value: &Value, depth: usize) {
        if depth > MAX_DEPTH || value.is_null() {
            return;
        }
        match ty {
            FieldType::Json => {}
            FieldType::Primitive { primitive } => self.primitive(*primitive, value),
            FieldType::Model { path } => {
                if let Some(model) = self.index.model(path) {
                    self.object(model, value, depth);
                }
            }
            FieldType::Polymorphic { path } => {
                if let Some(def) = self.index.polymorphic(path)
                    && let Some(model) = self.index.model(&def.base)
                {
                    self.object(model, value, depth);
                }
            }
            FieldType::Enum { path } => {
                let Some(text) = value.as_str() else {
                    let found = json_kind(value);
                    self.report(
                        Code::LintWrongType,
                        format!("{} is {found}; its enum type takes a string", self.where_()),
                    );
                    return;
                };
                if let Some(def) = self.index.enumeration(path) {
                    self.member(def, text);
                }
            }
            FieldType::Flags { path } => {
                let Some(text) = value.as_str() else {
                    let found = json_kind(value);
                    self.report(
                        Code::LintWrongType,
                        format!(
                            "{} is {found}; its flags type takes a comma-separated string",
                            self.where_()
                        ),
                    );
                    return;
                };
                if let Some(def) = self.index.enumeration(path) {
                    for part in text
                        .split(',')
                        .map(str::trim)
                        .filter(|part| !part.is_empty())
                    {
                        self.member(def, part);
                    }
                }
            }
            FieldType::Collection { item } => {
                let Some(items) = value.as_array() else {
                    let found = json_kind(value);
                    self.report(
                        Code::LintWrongType,
                        format!("{} is {found}; its type is a collection", self.where_()),
                    );
                    return;
                };
                for (position, element) in items.iter().enumerate() {
                    self.path.push(PathElem::Index(position));
                    if element.is_null() && !matches!(**item, FieldType::Json) {
                        self.report(
                            Code::LintWrongType,
                            format!("{} is null inside a collection", self.where_()),
                        );
                    } else {
                        self.value(item, element, depth + 1);
                    }
                    self.path.pop();
                }
            }
        }
    }

    fn member(&mut self, def: &Enum, text: &str) {
        if def.members.iter().any(|member| member.json_value == text) {
            return;
        }
        let source = if def.inferred {
            "the values its description lists"
        } else {
            "its members"
        };
        if let Some(member) = def
            .members
            .iter()
            .find(|member| member.json_value.eq_ignore_ascii_case(text))
        {
            self.report(
                Code::LintCaseMismatch,
                format!(
                    "{} is `{text}`; `{}` spells the member `{}`",
                    self.where_(),
                    def.graph_name,
                    member.json_value
                ),
            );
            return;
        }
        self.report(
            Code::LintUnknownEnumValue,
            format!(
                "{} is `{}`, which is not among {source} of `{}`",
                self.where_(),
                shorten(text, 60),
                def.graph_name
            ),
        );
    }

    fn object(&mut self, expected: &Model, value: &Value, depth: usize) {
        let Some(object) = value.as_object() else {
            let found = json_kind(value);
            self.report(
                Code::LintWrongType,
                format!(
                    "{} is {found}; its type `{}` is an object",
                    self.where_(),
                    expected.graph_name
                ),
            );
            return;
        };
        let mut model = expected;
        if let Some(odata) = object.get("@odata.type").and_then(Value::as_str) {
            let key = odata.trim_start_matches('#').to_ascii_lowercase();
            let expected_odata = expected
                .odata_type
                .as_deref()
                .map(|odata| odata.trim_start_matches('#').to_ascii_lowercase());
            if expected_odata.as_deref() != Some(key.as_str()) {
                match self.index.by_odata.get(&key) {
                    Some(found) if self.derives_from(found, expected) => model = found,
                    Some(_) if expected.role != ModelRole::Resource => {}
                    _ if expected.role != ModelRole::Resource => {}
                    _ => {
                        self.path.push(PathElem::Key("@odata.type".to_string()));
                        self.report(
                            Code::LintUnknownODataType,
                            format!(
                                "`@odata.type` is `{}`, which the docs do not derive from `{}`",
                                shorten(odata, 80),
                                expected.graph_name
                            ),
                        );
                        self.path.pop();
                    }
                }
            }
        }
        // A dictionary's keys are the caller's; each value is of its values' type (`null`
        // removes an entry).
        if let Some(values) = &model.dictionary {
            for (key, member) in object {
                if key.starts_with('@') || member.is_null() {
                    continue;
                }
                self.path.push(PathElem::Key(key.clone()));
                self.value(values, member, depth + 1);
                self.path.pop();
            }
            return;
        }
        let mut read_only = Vec::new();
        for (key, member) in object {
            if key.contains('@') || key.is_empty() {
                continue;
            }
            self.path.push(PathElem::Key(key.clone()));
            match model.fields.iter().find(|field| field.json_name == *key) {
                Some(field) => {
                    if field.read_only && self.direction == Direction::Request && depth == 0 {
                        read_only.push(key.as_str());
                    }
                    self.value(&field.field_type, member, depth + 1);
                }
                None if model.open_type => {}
                None => {
                    if let Some(field) = model
                        .fields
                        .iter()
                        .find(|field| field.json_name.eq_ignore_ascii_case(key))
                    {
                        self.report(
                            Code::LintCaseMismatch,
                            format!(
                                "property `{key}` is spelled `{}` in `{}`",
                                field.json_name, model.graph_name
                            ),
                        );
                    } else {
                        self.report(
                            Code::LintUnknownProperty,
                            format!("property `{key}` is not in `{}`", model.graph_name),
                        );
                    }
                }
            }
            self.path.pop();
        }
        if let Some(first) = read_only.first() {
            self.path.push(PathElem::Key(first.to_string()));
            let count = read_only.len();
            self.report(
                Code::LintReadOnlyInBody,
                format!(
                    "the example request body sets {count} read-only {}: {}",
                    plural(count, "property", "properties"),
                    name_list(read_only.iter().copied())
                ),
            );
            self.path.pop();
        }
    }

    fn derives_from(&self, model: &Model, base: &Model) -> bool {
        let mut current = Some(model);
        let mut steps = 0;
        while let Some(model) = current {
            if model.area == base.area && model.rust_name == base.rust_name {
                return true;
            }
            steps += 1;
            if steps > MAX_DEPTH {
                return false;
            }
            current = model.base.as_ref().and_then(|path| self.index.model(path));
        }
        false
    }

    fn primitive(&mut self, primitive: Primitive, value: &Value) {
        let wanted = primitive_word(primitive);
        let wrong = |walk: &mut Self, value: &Value| {
            let found = json_kind(value);
            let code = match value.as_str() {
                Some(text) if looks_like_placeholder(text) => Code::LintPlaceholder,
                _ => Code::LintWrongType,
            };
            walk.report(
                code,
                format!("{} is {found}; its type is {wanted}", walk.where_()),
            );
        };
        match primitive {
            Primitive::String | Primitive::Guid => {
                if !value.is_string() {
                    wrong(self, value);
                }
            }
            Primitive::Boolean => {
                if !value.is_boolean() {
                    wrong(self, value);
                }
            }
            Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64 => {
                let (min, max): (i128, i128) = match primitive {
                    Primitive::Byte => (0, u8::MAX as i128),
                    Primitive::SByte => (i8::MIN as i128, i8::MAX as i128),
                    Primitive::Int16 => (i16::MIN as i128, i16::MAX as i128),
                    Primitive::Int32 => (i32::MIN as i128, i32::MAX as i128),
                    _ => (i64::MIN as i128, i64::MAX as i128),
                };
                let integer = value
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| value.as_u64().map(i128::from));
                match integer {
                    Some(number) if (min..=max).contains(&number) => {}
                    Some(number) => self.report(
                        Code::LintWrongType,
                        format!("{} is {number}, out of range for {wanted}", self.where_()),
                    ),
                    None => wrong(self, value),
                }
            }
            Primitive::Single | Primitive::Double | Primitive::Decimal => {
                if !value.is_number() {
                    wrong(self, value);
                }
            }
            Primitive::DateTimeOffset
            | Primitive::Date
            | Primitive::TimeOfDay
            | Primitive::Duration
            | Primitive::Binary => {
                let Some(text) = value.as_str() else {
                    wrong(self, value);
                    return;
                };
                if let Err(why) = check_format(primitive, text) {
                    let code = if looks_like_placeholder(text) {
                        Code::LintPlaceholder
                    } else {
                        Code::LintBadFormat
                    };
                    self.report(
                        code,
                        format!("{} is `{}`: {why}", self.where_(), shorten(text, 60)),
                    );
                }
            }
            Primitive::Stream | Primitive::Json => {}
        }
    }
}

fn primitive_word(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "String",
        Primitive::Boolean => "Boolean",
        Primitive::Byte => "Byte",
        Primitive::SByte => "SByte",
        Primitive::Int16 => "Int16",
        Primitive::Int32 => "Int32",
        Primitive::Int64 => "Int64",
        Primitive::Single => "Single",
        Primitive::Double => "Double",
        Primitive::Decimal => "Decimal",
        Primitive::Guid => "Guid",
        Primitive::DateTimeOffset => "DateTimeOffset",
        Primitive::Date => "Date",
        Primitive::TimeOfDay => "TimeOfDay",
        Primitive::Duration => "Duration",
        Primitive::Binary => "Binary",
        Primitive::Stream => "Stream",
        Primitive::Json => "Json",
    }
}

fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(value) => format!("the boolean `{value}`"),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(text) => format!("the string `{}`", shorten(text, 40)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}
