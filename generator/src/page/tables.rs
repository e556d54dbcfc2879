//! Tables: what kind each is (from its header and its section), its rows as their author meant
//! them, and where what they hold goes on the page.

use super::markdown::{self, Block, Inline, TableRow};
use super::model::{EnumDef, EnumMember, Property, RequestBody, TypeRef};
use super::rows::RowOutcome;
use super::text::{first_line, title_type_name};
use super::types;
use super::{PageReader, Section};
use crate::diagnostics::Code;

/// What a table is, from its header and the section it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Permissions,
    Headers,
    Properties {
        type_column: usize,
        description: Option<usize>,
    },
    Members {
        value_column: Option<usize>,
        description: Option<usize>,
    },
    /// `Name | Value | Description` in a request body: properties when every value cell is a
    /// type (`string`, `[itemReference](…)`), example values otherwise.
    NameValue {
        description: Option<usize>,
    },
    Ignored,
    Unknown,
}

fn header_text(cell: &Inline) -> String {
    cell.text
        .trim()
        .trim_matches(|c| c == '*' || c == '_' || c == '`')
        .trim()
        .to_ascii_lowercase()
}

fn classify_table(section: Section, header: &[String]) -> TableKind {
    let first = header.first().map(String::as_str).unwrap_or("");
    let find = |wanted: &[&str]| {
        header
            .iter()
            .position(|cell| wanted.iter().any(|want| cell.starts_with(want)))
    };
    let description = find(&["description", "remarks", "notes"]);
    if section == Section::Permissions {
        return TableKind::Permissions;
    }
    // A permissions header counts outside a Permissions section only where no other section
    // claims the table: a request body table may well start with a `Permission type` column.
    let permissions_header = first.starts_with("permission type") || first == "supported resource";
    let section_reads_rows = matches!(
        section,
        Section::RequestBody
            | Section::QueryParameters
            | Section::PathParameters
            | Section::Properties
            | Section::Relationships
            | Section::RequestHeaders
            | Section::Members
    );
    if permissions_header && !section_reads_rows {
        return TableKind::Permissions;
    }
    if section == Section::Methods {
        return TableKind::Ignored;
    }
    if section == Section::RequestHeaders || first == "header" || first == "request header" {
        return TableKind::Headers;
    }
    let type_column = header.iter().position(|cell| {
        cell == "type" || cell == "data type" || cell == "return type" || cell == "value type"
    });
    if let Some(type_column) = type_column.filter(|&column| column > 0)
        && (first != "method" || section == Section::Properties)
    {
        // Includes the Properties tables headed `Method | Return Type | Description`.
        return TableKind::Properties {
            type_column,
            description,
        };
    }
    if first == "method" {
        return TableKind::Ignored;
    }
    let member_heading = matches!(
        first,
        "member" | "members" | "value" | "name" | "enum value" | "member name"
    );
    if (section == Section::Members && !header.is_empty())
        || (member_heading && (first != "name" || section == Section::Members))
    {
        let value_column = header
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, cell)| cell.contains("value"))
            .map(|(index, _)| index);
        return TableKind::Members {
            value_column,
            description,
        };
    }
    if permissions_header {
        // A permissions table inside a section about something else: said, not guessed.
        return TableKind::Unknown;
    }
    if section == Section::RequestBody
        && first == "name"
        && header.get(1).is_some_and(|cell| cell == "value")
    {
        return TableKind::NameValue { description };
    }
    if section == Section::RequestBody || section == Section::QueryParameters {
        // `|Name|Value|Description|` in parameter lists.
        return TableKind::Ignored;
    }
    TableKind::Unknown
}

impl<'a> PageReader<'a> {
    pub(super) fn table(
        &mut self,
        header: &[Inline],
        mut cells: Vec<Inline<'a>>,
        rows: Vec<TableRow>,
        continued: &[(&'a str, usize)],
        offset: usize,
    ) {
        self.page.stats.tables += 1;
        let header_names: Vec<String> = header.iter().map(header_text).collect();
        let kind = classify_table(self.section, &header_names);
        // Rebuild every row as its author meant it, then read it by table kind.
        // Each row: its cells, its offset, and whether it had more cells than the header.
        let mut logical: Vec<(RowCells, usize, bool)> = Vec::with_capacity(rows.len());
        for row in rows {
            let raw_line = first_line(&self.source[row.offset..row.end]);
            let has_pipe = memchr::memchr(b'|', raw_line.as_bytes()).is_some();
            if !has_pipe && !logical.is_empty() {
                // A wrapped line of the previous row's last cell.
                self.page.stats.rows_total += 1;
                self.page.stats.rows_diagnosed += 1;
                self.report(
                    Code::RowContinuation,
                    row.offset,
                    "line has no pipes; joined to the previous row's last cell",
                );
                let last = match logical.last_mut() {
                    Some((RowCells::Table(range), _, _)) => cells[range.clone()].last_mut(),
                    Some((RowCells::Read(read), _, _)) => read.last_mut(),
                    None => None,
                };
                if let Some(last) = last {
                    let text = last.text.to_mut();
                    text.push(' ');
                    text.push_str(raw_line.trim());
                }
                continue;
            }
            // GFM splits inside code spans and drops cells beyond the header's count, so
            // its cells are only kept when they are the ones the author meant.
            let (raw_count, plain_count) = markdown::count_cells_authored_and_plain(raw_line);
            let gfm_agrees = raw_count == row.cells.len()
                && raw_count <= header.len()
                && plain_count == raw_count;
            if gfm_agrees {
                logical.push((RowCells::Table(row.cells), row.offset, false));
            } else {
                let (read, extra) =
                    source_cells(raw_line, markdown::split_row(raw_line), header.len());
                logical.push((RowCells::Read(read), row.offset, extra));
            }
        }
        for &(text, row_offset) in continued {
            let (read, extra) = source_cells(text, markdown::split_row(text), header.len());
            logical.push((RowCells::Read(read), row_offset, extra));
        }
        // A `Name | Value` body table is the body's properties when its values are types.
        let mut values_not_types = false;
        let kind = match kind {
            TableKind::NameValue { description } => {
                let all_types = !logical.is_empty()
                    && logical.iter().all(|(row, _, _)| {
                        let row_cells: &[Inline] = match row {
                            RowCells::Table(range) => &cells[range.clone()],
                            RowCells::Read(read) => read,
                        };
                        row_cells.get(1).is_some_and(|cell| {
                            !matches!(
                                types::parse_type_cell(cell).type_ref,
                                TypeRef::Unknown { .. }
                            )
                        })
                    });
                if all_types {
                    TableKind::Properties {
                        type_column: 1,
                        description,
                    }
                } else {
                    values_not_types = true;
                    TableKind::Ignored
                }
            }
            other => other,
        };
        let mut properties = Vec::new();
        let mut members = Vec::new();
        let had_rows = !logical.is_empty();
        for (row_cells, row_offset, extra) in logical {
            self.page.stats.rows_total += 1;
            let mut diagnosed = false;
            let padded: Vec<Inline>;
            let mut cells: &[Inline] = match &row_cells {
                RowCells::Table(range) => &cells[range.clone()],
                RowCells::Read(read) => read,
            };
            if (extra || cells.len() != header.len()) && !header.is_empty() {
                if extra {
                    // Unescaped pipes in the text: the extra cells were kept in the last column.
                    self.report(
                        Code::RowCellCount,
                        row_offset,
                        format!(
                            "row has more cells than the header's {}; the extra text was kept in the last column",
                            header.len()
                        ),
                    );
                } else {
                    self.report(
                        Code::RowCellCount,
                        row_offset,
                        format!(
                            "row has {} cells, the header {}; missing cells read as empty",
                            cells.len(),
                            header.len()
                        ),
                    );
                    let mut missing = cells.to_vec();
                    missing.resize(header.len(), Inline::default());
                    padded = missing;
                    cells = &padded;
                }
                diagnosed = true;
            }
            let outcome = match kind {
                TableKind::Properties {
                    type_column,
                    description,
                } => match self.property_row(cells, type_column, description, row_offset) {
                    Some(property) => {
                        properties.push(property);
                        RowOutcome::Parsed
                    }
                    None => RowOutcome::Diagnosed,
                },
                TableKind::Members {
                    value_column,
                    description,
                } => match self.member_row(cells, value_column, description, row_offset) {
                    Some(member) => {
                        members.push(member);
                        RowOutcome::Parsed
                    }
                    None => RowOutcome::Diagnosed,
                },
                TableKind::Permissions => self.permission_row(&header_names, cells, row_offset),
                TableKind::Headers => self.header_row(cells, row_offset),
                TableKind::Ignored | TableKind::Unknown | TableKind::NameValue { .. } => {
                    RowOutcome::Parsed
                }
            };
            if matches!(outcome, RowOutcome::Diagnosed) {
                diagnosed = true;
            }
            if diagnosed {
                self.page.stats.rows_diagnosed += 1;
            } else {
                self.page.stats.rows_parsed += 1;
            }
        }
        if kind == TableKind::Unknown
            && !matches!(
                self.section,
                Section::Other | Section::Examples | Section::Intro
            )
        {
            self.report(
                Code::RowUnknownTable,
                offset,
                format!(
                    "table with header `{}` is not read",
                    header_names.join(" | ")
                ),
            );
        }
        let line = self.line(offset);
        if values_not_types {
            self.report(
                Code::RowUnknownTable,
                offset,
                "the request body's `name | value` table shows values, not types; not read as the body's properties",
            );
            // The section still says there is a body: resolution sends JSON for it.
            let intro = self.body_intro.clone();
            let type_ref = self.body_type.clone();
            self.method.request_body.get_or_insert(RequestBody {
                intro,
                properties: Vec::new(),
                type_ref,
                line,
            });
        }
        match kind {
            TableKind::Properties { .. } => self.place_properties(properties, line, had_rows),
            TableKind::Members { .. } => self.place_members(members, line),
            _ => {}
        }
    }

    fn place_properties(&mut self, properties: Vec<Property>, line: usize, had_rows: bool) {
        match self.section {
            // A table before the first section is the Properties table of pages without one.
            Section::Properties | Section::Intro => {
                self.property_table_seen = true;
                if had_rows {
                    self.page.stats.property_tables += 1;
                    if !properties.is_empty() {
                        self.page.stats.property_tables_with_properties += 1;
                    }
                } else {
                    // An empty table: the page's way of saying the type adds no properties.
                    self.resource.declares_no_properties = true;
                }
                self.resource.properties.extend(properties);
            }
            Section::Relationships => self.resource.relationships.extend(properties),
            Section::RequestBody => {
                let intro = self.body_intro.clone();
                let type_ref = self.body_type.clone();
                let body = self.method.request_body.get_or_insert(RequestBody {
                    intro,
                    properties: Vec::new(),
                    type_ref,
                    line,
                });
                body.properties.extend(properties);
            }
            Section::PathParameters => self.method.path_parameters.extend(properties),
            Section::QueryParameters => self.method.query_parameters.extend(properties),
            _ => {}
        }
    }

    fn place_members(&mut self, members: Vec<EnumMember>, line: usize) {
        self.page.stats.member_tables += 1;
        if members.is_empty() {
            return;
        }
        self.page.stats.member_tables_with_members += 1;
        let name = self
            .h3
            .as_deref()
            .and_then(|heading| {
                let heading = heading.trim();
                let lower = heading.to_ascii_lowercase();
                lower
                    .strip_suffix(" values")
                    .or_else(|| lower.strip_suffix(" enum"))
                    .map(|_| heading.split_whitespace().next().unwrap_or(heading))
                    .map(str::to_string)
            })
            .or_else(|| self.page.title.as_deref().map(title_type_name))
            .unwrap_or_default();
        let name = name.trim_matches('`').to_string();
        if let Some(existing) = self.page.enums.iter_mut().find(|def| def.name == name) {
            existing.members.extend(members);
        } else {
            self.page.enums.push(EnumDef {
                name,
                members,
                line,
            });
        }
    }
}

/// Pipe lines that GFM handed back as paragraphs because commented-out rows cut the table:
/// `|a|b|` / `<!--|c|d|-->` / `|e|f|` / `<!--|g|h|-->` / `|i|j|`. Returns each line with its
/// offset, and the indices (into `rest`) of the paragraphs they came from.
pub(super) fn continuation_rows<'s>(
    source: &'s str,
    rest: &[Block],
) -> (Vec<(&'s str, usize)>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut paragraphs = Vec::new();
    let mut at = 0;
    while let [
        Block::Html { text, .. },
        Block::Paragraph { offset, .. },
        ..,
    ] = &rest[at..]
        && text.trim_start().starts_with("<!--")
        && source[*offset..].starts_with('|')
    {
        let mut line_offset = *offset;
        for line in source[*offset..].split_inclusive('\n') {
            if !line.trim_start().starts_with('|') {
                break;
            }
            rows.push((line.trim_end(), line_offset));
            line_offset += line.len();
        }
        paragraphs.push(at + 1);
        at += 2;
    }
    (rows, paragraphs)
}

/// A table row's cells: the ones markdown read, or the ones read again from the source line.
enum RowCells<'a> {
    Table(std::ops::Range<usize>),
    Read(Vec<Inline<'a>>),
}

/// A row's cells read from its source line, one `inline` each. With more cells than the
/// header (unescaped pipes in the text), the source from the last column on is kept as one
/// cell, pipes and spacing as written. The flag says whether that happened.
fn source_cells<'a>(line: &'a str, cells: Vec<&'a str>, columns: usize) -> (Vec<Inline<'a>>, bool) {
    if columns == 0 || cells.len() <= columns {
        return (cells.into_iter().map(markdown::inline).collect(), false);
    }
    // Every cell is a slice of `line`: the merged cell runs from the start of the first extra
    // cell to the end of the last.
    let base = line.as_ptr() as usize;
    let start = cells[columns - 1].as_ptr() as usize - base;
    let last = cells[cells.len() - 1];
    let end = last.as_ptr() as usize - base + last.len();
    let mut read: Vec<Inline> = cells[..columns - 1]
        .iter()
        .map(|cell| markdown::inline(cell))
        .collect();
    read.push(markdown::inline(&line[start..end]));
    (read, true)
}
