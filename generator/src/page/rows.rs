//! One table row, by table kind: a property, an enum member, a permission, a request header.

use super::PageReader;
use super::facts;
use super::markdown::Inline;
use super::model::{EnumMember, Header, Permission, PermissionType, Property, TypeRef};
use super::text::{contains_ignore_case, shorten, starts_with_ignore_case};
use super::types;
use crate::diagnostics::Code;

impl<'a> PageReader<'a> {
    pub(super) fn property_row(
        &mut self,
        cells: &[Inline],
        type_column: usize,
        description: Option<usize>,
        offset: usize,
    ) -> Option<Property> {
        let name = clean_name(&cells[0].text);
        if name.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "row has no property name; skipped",
            );
            return None;
        }
        let type_cell = &cells[type_column.min(cells.len() - 1)];
        let parsed = types::parse_type_cell(type_cell);
        match (&parsed.type_ref, &parsed.remark) {
            (TypeRef::Unknown { text }, _) => self.report(
                Code::TypeCell,
                offset,
                format!(
                    "type `{}` of `{name}` is not a known type form; typed as JSON",
                    shorten(text)
                ),
            ),
            (_, Some(remark)) => self.report(
                Code::TypeCellRemark,
                offset,
                format!(
                    "type cell `{}` of `{name}` carries a remark",
                    shorten(remark)
                ),
            ),
            _ => {}
        }
        let description = description
            .and_then(|column| cells.get(column))
            .or_else(|| cells.last().filter(|_| cells.len() > type_column + 1))
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default();
        Some(Property {
            facts: facts::read_facts(&description),
            name,
            type_ref: parsed.type_ref,
            description,
            line: self.line(offset),
        })
    }

    pub(super) fn member_row(
        &mut self,
        cells: &[Inline],
        value_column: Option<usize>,
        description: Option<usize>,
        offset: usize,
    ) -> Option<EnumMember> {
        let name = clean_name(&cells[0].text);
        if name.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "row has no member name; skipped",
            );
            return None;
        }
        let value = value_column
            .and_then(|column| cells.get(column))
            .and_then(|cell| cell.text.trim().trim_matches('`').parse::<i64>().ok());
        let description = description
            .and_then(|column| cells.get(column))
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default();
        Some(EnumMember {
            name,
            value,
            description,
        })
    }

    pub(super) fn permission_row(
        &mut self,
        header: &[String],
        cells: &[Inline],
        offset: usize,
    ) -> RowOutcome {
        let first = clean_name(&cells[0].text);
        if first.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "permission row has no permission type; skipped",
            );
            return RowOutcome::Diagnosed;
        }
        if header
            .first()
            .is_some_and(|cell| cell == "supported resource")
        {
            // One row per resource, one column per permission type.
            for (column, heading) in header.iter().enumerate().skip(1) {
                if let Some(cell) = cells.get(column) {
                    self.method.permissions.push(Permission {
                        permission_type: permission_type(heading),
                        resource: Some(first.clone()),
                        scopes: scopes(&cell.text, false),
                        least_privileged: None,
                    });
                }
            }
            return RowOutcome::Parsed;
        }
        let cell_text = |column: usize| cells.get(column).map_or("", |cell| cell.text.as_ref());
        // Today's tables (and the include files) split the scopes in two columns: `Least
        // privileged permissions | Higher privileged permissions`.
        let least_column = header
            .iter()
            .skip(1)
            .position(|cell| cell.starts_with("least privileged"))
            .map(|at| at + 1);
        if let Some(least_column) = least_column {
            let least = scopes(cell_text(least_column), false);
            let mut all = least.clone();
            if let Some(higher_column) = header
                .iter()
                .position(|cell| cell.starts_with("higher privileged"))
            {
                for scope in scopes(cell_text(higher_column), false) {
                    if !all.contains(&scope) {
                        all.push(scope);
                    }
                }
            }
            self.method.permissions.push(Permission {
                permission_type: permission_type(&first),
                resource: None,
                least_privileged: Some(least.len()),
                scopes: all,
            });
            return RowOutcome::Parsed;
        }
        let most_to_least = header
            .get(1)
            .is_some_and(|cell| cell.contains("most to least"));
        self.method.permissions.push(Permission {
            permission_type: permission_type(&first),
            resource: None,
            scopes: scopes(cell_text(1), most_to_least),
            least_privileged: None,
        });
        RowOutcome::Parsed
    }

    pub(super) fn header_row(&mut self, cells: &[Inline], offset: usize) -> RowOutcome {
        let name = clean_name(&cells[0].text);
        if name.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "header row has no name; skipped",
            );
            return RowOutcome::Diagnosed;
        }
        let value = cells
            .get(1)
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default();
        self.method.request_headers.push(Header { name, value });
        RowOutcome::Parsed
    }
}

fn clean_name(text: &str) -> String {
    fn strip(text: &str) -> &str {
        text.trim()
            .trim_matches(|c| c == '*' || c == '`' || c == '_')
            .trim()
    }
    if text.contains('\\') {
        strip(&text.replace('\\', "")).to_string()
    } else {
        strip(text).to_string()
    }
}

fn permission_type(text: &str) -> PermissionType {
    if contains_ignore_case(text, "personal") {
        PermissionType::DelegatedPersonal
    } else if contains_ignore_case(text, "delegated") {
        PermissionType::DelegatedWorkOrSchool
    } else if contains_ignore_case(text, "application") {
        PermissionType::Application
    } else {
        PermissionType::Other(text.trim().to_string())
    }
}

/// `A, B, C` in least-to-most order; "Not supported." and "Not available." are none.
fn scopes(text: &str, most_to_least: bool) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || starts_with_ignore_case(trimmed, "not supported")
        || starts_with_ignore_case(trimmed, "not applicable")
        || starts_with_ignore_case(trimmed, "not available")
        || trimmed.eq_ignore_ascii_case("none")
        || trimmed.eq_ignore_ascii_case("none.")
    {
        return Vec::new();
    }
    let mut scopes: Vec<String> = text
        .split([',', ' '])
        .map(|scope| scope.trim().trim_matches(['`', '*', '.']).trim())
        .filter(|scope| {
            !scope.is_empty() && scope.contains('.')
                || scope
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
                    && scope.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        })
        .filter(|scope| {
            !scope.is_empty() && !matches!(*scope, "and" | "or" | "Not" | "For" | "See")
        })
        .map(str::to_string)
        .collect();
    if most_to_least {
        scopes.reverse();
    }
    scopes
}

pub(super) enum RowOutcome {
    Parsed,
    Diagnosed,
}
