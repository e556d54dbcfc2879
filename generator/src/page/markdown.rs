//! First pass over a page: pulldown-cmark events folded into a flat list of blocks, each with
//! its byte offset. Everything later works on these blocks, never on events.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The options every reading of a page uses (the speed benchmark's floor uses the same).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub dest: String,
}

/// Inline content flattened to text (code spans keep their backticks), with its links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub cells: Vec<Inline>,
    pub offset: usize,
    pub end: usize,
}

/// Raw text (code, HTML, front matter) is borrowed from the page: examples are most of the
/// docs' bytes, and copying them would cost more than parsing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    FrontMatter {
        text: &'a str,
        offset: usize,
    },
    Heading {
        level: u8,
        inline: Inline,
        offset: usize,
    },
    Paragraph {
        inline: Inline,
        /// Inside a `>` block quote (notes, alerts).
        quoted: bool,
        offset: usize,
        end: usize,
    },
    Table {
        header: Vec<Inline>,
        rows: Vec<TableRow>,
        offset: usize,
        /// Read from a paragraph that GFM did not take for a table (a delimiter row whose
        /// cell count differs from the header's).
        recovered: bool,
    },
    Code {
        info: String,
        text: &'a str,
        offset: usize,
        closed: bool,
    },
    Html {
        text: &'a str,
        offset: usize,
    },
}

/// A block whose text is taken verbatim: the span its text events cover.
struct RawBlock {
    offset: usize,
    info: Option<String>,
    text: Option<(usize, usize)>,
}

impl RawBlock {
    fn new(offset: usize, info: Option<String>) -> Self {
        RawBlock {
            offset,
            info,
            text: None,
        }
    }

    fn extend(&mut self, range: std::ops::Range<usize>) {
        self.text = Some(match self.text {
            None => (range.start, range.end),
            Some((start, _)) => (start, range.end),
        });
    }

    fn text<'a>(&self, source: &'a str) -> &'a str {
        self.text
            .and_then(|(start, end)| source.get(start..end))
            .unwrap_or("")
    }
}

#[derive(Default)]
struct Builder<'a> {
    blocks: Vec<Block<'a>>,
    inline: Option<(Inline, usize)>,
    inline_end: usize,
    link_starts: Vec<(usize, String)>,
    quote_depth: usize,
    heading: Option<u8>,
    table_header: Option<Vec<Inline>>,
    table_rows: Vec<TableRow>,
    table_offset: usize,
    row: Option<TableRow>,
    in_head: bool,
    raw: Option<RawBlock>,
}

impl Builder<'_> {
    fn start_inline(&mut self, offset: usize) {
        self.flush_inline();
        self.inline = Some((Inline::default(), offset));
    }

    fn flush_inline(&mut self) {
        let end = self.inline_end;
        if let Some((inline, offset)) = self.inline.take() {
            self.link_starts.clear();
            if let Some(level) = self.heading.take() {
                self.blocks.push(Block::Heading {
                    level,
                    inline,
                    offset,
                });
            } else if !inline.text.trim().is_empty() {
                self.blocks.push(Block::Paragraph {
                    inline,
                    quoted: self.quote_depth > 0,
                    offset,
                    end: end.max(offset),
                });
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some((inline, _)) = &mut self.inline {
            inline.text.push_str(text);
        }
    }

    fn end_cell(&mut self) {
        let cell = self
            .inline
            .take()
            .map(|(inline, _)| inline)
            .unwrap_or_default();
        self.link_starts.clear();
        if self.in_head {
            self.table_header.get_or_insert_with(Vec::new).push(cell);
        } else if let Some(row) = &mut self.row {
            row.cells.push(cell);
        }
    }
}

/// Reads a page into blocks.
pub fn blocks(source: &str) -> Vec<Block<'_>> {
    let mut builder = Builder::default();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::MetadataBlock(_) => builder.raw = Some(RawBlock::new(range.start, None)),
                Tag::Heading { level, .. } => {
                    builder.start_inline(range.start);
                    builder.heading = Some(heading_level(level));
                }
                Tag::Paragraph | Tag::Item => builder.start_inline(range.start),
                Tag::List(_) => builder.flush_inline(),
                Tag::BlockQuote(_) => {
                    builder.flush_inline();
                    builder.quote_depth += 1;
                }
                Tag::CodeBlock(kind) => {
                    builder.flush_inline();
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.trim().to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    builder.raw = Some(RawBlock::new(range.start, Some(info)));
                }
                Tag::HtmlBlock => {
                    builder.flush_inline();
                    builder.raw = Some(RawBlock::new(range.start, None));
                }
                Tag::Table(_) => {
                    builder.flush_inline();
                    builder.table_header = None;
                    builder.table_rows.clear();
                    builder.table_offset = range.start;
                }
                Tag::TableHead => builder.in_head = true,
                Tag::TableRow => {
                    builder.row = Some(TableRow {
                        cells: Vec::new(),
                        offset: range.start,
                        end: range.end,
                    })
                }
                Tag::TableCell => builder.inline = Some((Inline::default(), range.start)),
                Tag::Link { dest_url, .. } => {
                    if let Some((inline, _)) = &builder.inline {
                        let start = inline.text.len();
                        builder.link_starts.push((start, dest_url.into_string()));
                    }
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::MetadataBlock(_) => {
                    if let Some(raw) = builder.raw.take() {
                        builder.blocks.push(Block::FrontMatter {
                            text: raw.text(source),
                            offset: raw.offset,
                        });
                    }
                }
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item => {
                    builder.inline_end = range.end;
                    builder.flush_inline()
                }
                TagEnd::BlockQuote(_) => {
                    builder.flush_inline();
                    builder.quote_depth = builder.quote_depth.saturating_sub(1);
                }
                TagEnd::CodeBlock => {
                    if let Some(raw) = builder.raw.take() {
                        let (offset, info) = (raw.offset, raw.info.clone());
                        // A fence left open runs to the end of the file: its last line is content.
                        let closed = info.is_none()
                            || source[offset..range.end]
                                .trim_end()
                                .lines()
                                .skip(1)
                                .last()
                                .is_some_and(|line| line.trim_start().starts_with("```"));
                        builder.blocks.push(Block::Code {
                            info: info.unwrap_or_default(),
                            text: raw.text(source),
                            offset,
                            closed,
                        });
                    }
                }
                TagEnd::HtmlBlock => {
                    if let Some(raw) = builder.raw.take() {
                        builder.blocks.push(Block::Html {
                            text: raw.text(source),
                            offset: raw.offset,
                        });
                    }
                }
                TagEnd::TableCell => builder.end_cell(),
                TagEnd::TableHead => builder.in_head = false,
                TagEnd::TableRow => {
                    if let Some(row) = builder.row.take() {
                        builder.table_rows.push(row);
                    }
                }
                TagEnd::Table => {
                    let header = builder.table_header.take().unwrap_or_default();
                    let rows = std::mem::take(&mut builder.table_rows);
                    builder.blocks.push(Block::Table {
                        header,
                        rows,
                        offset: builder.table_offset,
                        recovered: false,
                    });
                }
                TagEnd::Link => {
                    if let (Some((start, dest)), Some((inline, _))) =
                        (builder.link_starts.pop(), &mut builder.inline)
                    {
                        let text = inline.text.get(start..).unwrap_or_default().to_string();
                        inline.links.push(Link { text, dest });
                    }
                }
                _ => {}
            },
            Event::Text(text) => match &mut builder.raw {
                Some(raw) => raw.extend(range),
                None => builder.push_text(&text),
            },
            Event::Code(code) => {
                builder.push_text("`");
                builder.push_text(&code);
                builder.push_text("`");
            }
            Event::Html(_) => {
                if let Some(raw) = &mut builder.raw {
                    raw.extend(range);
                }
            }
            Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.starts_with("<br") {
                    builder.push_text(" ");
                } else if lower.starts_with("<!--") {
                    // An inline comment may still be an annotation; keep it as its own block.
                    builder.blocks.push(Block::Html {
                        text: &source[range.clone()],
                        offset: range.start,
                    });
                }
            }
            Event::SoftBreak | Event::HardBreak => builder.push_text(" "),
            _ => {}
        }
    }
    builder.inline_end = source.len();
    builder.flush_inline();
    recover_tables(source, builder.blocks)
}

/// GFM drops a table whose delimiter row has another cell count than its header; the docs
/// have a few, and they hold real permissions and properties. Such paragraphs are split into
/// the prose before the table and the table itself, read row by row from the source.
fn recover_tables<'a>(source: &'a str, blocks: Vec<Block<'a>>) -> Vec<Block<'a>> {
    let mut recovered = Vec::with_capacity(blocks.len());
    for block in blocks {
        let Block::Paragraph {
            inline,
            quoted,
            offset,
            end,
        } = block
        else {
            recovered.push(block);
            continue;
        };
        let text = source.get(offset..end).unwrap_or("");
        if !text.contains('|') {
            recovered.push(Block::Paragraph {
                inline,
                quoted,
                offset,
                end,
            });
            continue;
        }
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .scan(offset, |position, line| {
                let start = *position;
                *position += line.len();
                Some((start, line.trim_end_matches(['\n', '\r'])))
            })
            .collect();
        let header_index = lines
            .windows(2)
            .position(|pair| pair[0].1.contains('|') && is_delimiter_row(pair[1].1));
        let Some(header_index) = header_index else {
            recovered.push(Block::Paragraph {
                inline,
                quoted,
                offset,
                end,
            });
            continue;
        };
        if header_index > 0 {
            let prose: String = lines[..header_index]
                .iter()
                .map(|(_, line)| *line)
                .collect::<Vec<_>>()
                .join("\n");
            recovered.push(Block::Paragraph {
                inline: self::inline(&prose),
                quoted,
                offset,
                end: lines[header_index].0,
            });
        }
        let (table_offset, header_line) = lines[header_index];
        let header = split_row(header_line)
            .into_iter()
            .map(self::inline)
            .collect();
        let rows = lines[header_index + 2..]
            .iter()
            .map(|(row_offset, line)| TableRow {
                cells: split_row(line).into_iter().map(self::inline).collect(),
                offset: *row_offset,
                end: row_offset + line.len(),
            })
            .collect();
        recovered.push(Block::Table {
            header,
            rows,
            offset: table_offset,
            recovered: true,
        });
    }
    recovered
}

/// `|:---|---:|` and the like.
fn is_delimiter_row(line: &str) -> bool {
    let line = line.trim();
    line.contains('-')
        && line.contains('|')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Splits one source line of a table row into cell texts the way the docs' authors meant it:
/// on `|` that is neither escaped nor inside a code span (GFM itself splits inside code spans).
pub fn split_row(line: &str) -> Vec<&str> {
    let trimmed = line.trim();
    let mut cells = Vec::new();
    let bytes = trimmed.as_bytes();
    let mut start = 0;
    let mut index = 0;
    let mut in_code = false;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 1,
            b'`' => in_code = !in_code,
            b'|' if !in_code => {
                cells.push(&trimmed[start..index]);
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    if in_code {
        // An unbalanced backtick is literal text: split again ignoring code spans.
        return split_row_plain(trimmed);
    }
    cells.push(&trimmed[start.min(trimmed.len())..]);
    trim_outer(trimmed, cells)
}

fn split_row_plain(trimmed: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let bytes = trimmed.as_bytes();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 1,
            b'|' => {
                cells.push(&trimmed[start..index]);
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    cells.push(&trimmed[start.min(trimmed.len())..]);
    trim_outer(trimmed, cells)
}

/// Drops the empty cells a leading and a trailing pipe create.
fn trim_outer<'a>(trimmed: &str, mut cells: Vec<&'a str>) -> Vec<&'a str> {
    if cells.len() > 1 && trimmed.ends_with('|') && !trimmed.ends_with("\\|") {
        cells.pop();
    }
    if cells.len() > 1 && trimmed.starts_with('|') {
        cells.remove(0);
    }
    cells
}

/// Reads one cell's markdown on its own (used only when a row must be re-split from source).
pub fn inline(markdown: &str) -> Inline {
    let mut result = Inline::default();
    for block in blocks(markdown.trim()) {
        if let Block::Paragraph { inline, .. } | Block::Heading { inline, .. } = block {
            if !result.text.is_empty() {
                result.text.push(' ');
            }
            result.text.push_str(&inline.text);
            result.links.extend(inline.links);
        }
    }
    result
}
