//! First pass over a page: pulldown-cmark events folded into a flat list of blocks, each with
//! its byte offset. Everything later works on these blocks, never on events.
//!
//! Text is borrowed from the page wherever pulldown-cmark hands it over unchanged: most cells
//! and paragraphs are one run of source text, and copying them cost more than reading them.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The options every reading of a page uses (the speed benchmark's floor uses the same).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    /// Where the link's text sits in its [`Inline`]'s text; see [`Inline::link_text`].
    pub text: Range<usize>,
    pub dest: Cow<'a, str>,
}

/// An inline's links, in order. Most inlines have one or none, so the first needs no `Vec`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links<'a> {
    first: Option<Link<'a>>,
    rest: Vec<Link<'a>>,
}

impl<'a> Links<'a> {
    pub fn push(&mut self, link: Link<'a>) {
        if self.first.is_none() {
            self.first = Some(link);
        } else {
            self.rest.push(link);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Link<'a>> {
        self.first.iter().chain(&self.rest)
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }
}

impl<'a> IntoIterator for Links<'a> {
    type Item = Link<'a>;
    type IntoIter = std::iter::Chain<std::option::IntoIter<Link<'a>>, std::vec::IntoIter<Link<'a>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.into_iter().chain(self.rest)
    }
}

impl<'a> FromIterator<Link<'a>> for Links<'a> {
    fn from_iter<I: IntoIterator<Item = Link<'a>>>(links: I) -> Self {
        let mut result = Links::default();
        for link in links {
            result.push(link);
        }
        result
    }
}

/// Inline content flattened to text (code spans keep their backticks), with its links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline<'a> {
    pub text: Cow<'a, str>,
    pub links: Links<'a>,
}

impl<'a> Inline<'a> {
    /// The text of one of this inline's links.
    pub fn link_text(&self, link: &Link) -> &str {
        self.text.get(link.text.clone()).unwrap_or("")
    }

    /// The same inline owning its text, free of the page it was read from.
    pub fn into_owned(self) -> Inline<'static> {
        Inline {
            text: Cow::Owned(self.text.into_owned()),
            links: self
                .links
                .into_iter()
                .map(|link| Link {
                    text: link.text,
                    dest: Cow::Owned(link.dest.into_owned()),
                })
                .collect(),
        }
    }
}

/// One body row of a table: where its cells sit in the table's `cells`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub cells: Range<usize>,
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
        inline: Inline<'a>,
        offset: usize,
    },
    Paragraph {
        inline: Inline<'a>,
        /// Inside a `>` block quote (notes, alerts).
        quoted: bool,
        offset: usize,
        end: usize,
    },
    Table {
        header: Vec<Inline<'a>>,
        /// Every body cell, row after row; each row says which are its own.
        cells: Vec<Inline<'a>>,
        rows: Vec<TableRow>,
        offset: usize,
        /// Read from a paragraph that GFM did not take for a table (a delimiter row whose
        /// cell count differs from the header's).
        recovered: bool,
    },
    Code {
        /// The fence's info string, trimmed.
        info: Cow<'a, str>,
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
struct RawBlock<'a> {
    offset: usize,
    info: Option<Cow<'a, str>>,
    text: Option<(usize, usize)>,
}

impl<'a> RawBlock<'a> {
    fn new(offset: usize, info: Option<Cow<'a, str>>) -> Self {
        RawBlock {
            offset,
            info,
            text: None,
        }
    }

    fn extend(&mut self, range: Range<usize>) {
        self.text = Some(match self.text {
            None => (range.start, range.end),
            Some((start, _)) => (start, range.end),
        });
    }

    fn text(&self, source: &'a str) -> &'a str {
        self.text
            .and_then(|(start, end)| source.get(start..end))
            .unwrap_or("")
    }
}

struct Builder<'a> {
    source: &'a str,
    blocks: Vec<Block<'a>>,
    inline: Option<(Inline<'a>, usize)>,
    inline_end: usize,
    link_starts: Vec<(usize, Cow<'a, str>)>,
    quote_depth: usize,
    heading: Option<u8>,
    table_header: Option<Vec<Inline<'a>>>,
    table_cells: Vec<Inline<'a>>,
    table_rows: Vec<TableRow>,
    table_offset: usize,
    /// The table's column count, from its delimiter row.
    table_columns: usize,
    row: Option<TableRow>,
    in_head: bool,
    raw: Option<RawBlock<'a>>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str) -> Self {
        Builder {
            source,
            blocks: Vec::new(),
            inline: None,
            inline_end: 0,
            link_starts: Vec::new(),
            quote_depth: 0,
            heading: None,
            table_header: None,
            table_cells: Vec::new(),
            table_rows: Vec::new(),
            table_offset: 0,
            table_columns: 0,
            row: None,
            in_head: false,
            raw: None,
        }
    }

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
                let end = end.max(offset);
                let quoted = self.quote_depth > 0;
                let text = self.source.get(offset..end).unwrap_or("");
                if memchr::memchr(b'|', text.as_bytes()).is_some() {
                    recover_table(self.source, inline, quoted, offset, end, &mut self.blocks);
                } else {
                    self.blocks.push(Block::Paragraph {
                        inline,
                        quoted,
                        offset,
                        end,
                    });
                }
            }
        }
    }

    /// Appends text to the open inline. Text that continues a borrowed run of the page (or
    /// starts an empty inline) stays borrowed; anything else is copied.
    fn push_text(&mut self, piece: CowStr<'a>) {
        let Some((inline, _)) = &mut self.inline else {
            return;
        };
        if let CowStr::Borrowed(piece) = piece {
            if inline.text.is_empty() {
                inline.text = Cow::Borrowed(piece);
                return;
            }
            if let Cow::Borrowed(text) = &inline.text
                && let Some(joined) = adjacent(self.source, text, piece)
            {
                inline.text = Cow::Borrowed(joined);
                return;
            }
        }
        if !piece.is_empty() {
            owned(&mut inline.text, piece.len()).push_str(&piece);
        }
    }

    fn push_str(&mut self, text: &'static str) {
        if let Some((inline, _)) = &mut self.inline {
            owned(&mut inline.text, text.len()).push_str(text);
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
            let columns = self.table_columns;
            self.table_header
                .get_or_insert_with(|| Vec::with_capacity(columns))
                .push(cell);
        } else if let Some(row) = &mut self.row {
            self.table_cells.push(cell);
            row.cells.end = self.table_cells.len();
        }
    }
}

/// `first` and `second` joined, when both are slices of `source` and `second` starts where
/// `first` ends.
fn adjacent<'a>(source: &'a str, first: &str, second: &str) -> Option<&'a str> {
    let base = source.as_ptr() as usize;
    let start = (first.as_ptr() as usize).checked_sub(base)?;
    let middle = start + first.len();
    let end = middle + second.len();
    (second.as_ptr() as usize == base + middle && end <= source.len())
        .then(|| source.get(start..end))
        .flatten()
}

/// The text as a `String` to append to, with room for more than `extra` bytes when it has to
/// be copied out of the page first.
fn owned<'t>(text: &'t mut Cow<'_, str>, extra: usize) -> &'t mut String {
    if let Cow::Borrowed(borrowed) = *text {
        let mut copy = String::with_capacity((borrowed.len() + extra).max(32) * 2);
        copy.push_str(borrowed);
        *text = Cow::Owned(copy);
    }
    text.to_mut()
}

fn cow(text: CowStr<'_>) -> Cow<'_, str> {
    match text {
        CowStr::Borrowed(text) => Cow::Borrowed(text),
        other => Cow::Owned(other.to_string()),
    }
}

/// Reads a page into blocks.
pub fn blocks(source: &str) -> Vec<Block<'_>> {
    let mut builder = Builder::new(source);
    builder.blocks.reserve(source.len() / 128 + 16);
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
                        CodeBlockKind::Fenced(info) => match cow(info) {
                            Cow::Borrowed(info) => Cow::Borrowed(info.trim()),
                            Cow::Owned(info) => Cow::Owned(info.trim().to_string()),
                        },
                        CodeBlockKind::Indented => Cow::Borrowed(""),
                    };
                    builder.raw = Some(RawBlock::new(range.start, Some(info)));
                }
                Tag::HtmlBlock => {
                    builder.flush_inline();
                    builder.raw = Some(RawBlock::new(range.start, None));
                }
                Tag::Table(alignments) => {
                    builder.flush_inline();
                    builder.table_header = None;
                    builder.table_rows.clear();
                    builder.table_cells.clear();
                    builder.table_offset = range.start;
                    builder.table_columns = alignments.len();
                    // One row a line, less the header and delimiter rows.
                    let lines = memchr::memchr_iter(b'\n', &source.as_bytes()[range]).count();
                    let rows = lines.saturating_sub(1);
                    builder.table_rows.reserve(rows);
                    builder.table_cells.reserve(rows * alignments.len());
                }
                Tag::TableHead => builder.in_head = true,
                Tag::TableRow => {
                    let start = builder.table_cells.len();
                    builder.row = Some(TableRow {
                        cells: start..start,
                        offset: range.start,
                        end: range.end,
                    })
                }
                Tag::TableCell => builder.inline = Some((Inline::default(), range.start)),
                Tag::Link { dest_url, .. } => {
                    if let Some((inline, _)) = &builder.inline {
                        let start = inline.text.len();
                        builder.link_starts.push((start, cow(dest_url)));
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
                        let offset = raw.offset;
                        // A fence left open runs to the end of the file: its last line is
                        // content. Closed when the block has a last line (after its first)
                        // that is a fence.
                        let closed = raw.info.is_none() || {
                            let block = source[offset..range.end].trim_end();
                            block.rfind('\n').is_some_and(|newline| {
                                block[newline + 1..].trim_start().starts_with("```")
                            })
                        };
                        builder.blocks.push(Block::Code {
                            text: raw.text(source),
                            info: raw.info.unwrap_or_default(),
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
                    let cells = std::mem::take(&mut builder.table_cells);
                    let rows = std::mem::take(&mut builder.table_rows);
                    builder.blocks.push(Block::Table {
                        header,
                        cells,
                        rows,
                        offset: builder.table_offset,
                        recovered: false,
                    });
                }
                TagEnd::Link => {
                    if let (Some((start, dest)), Some((inline, _))) =
                        (builder.link_starts.pop(), &mut builder.inline)
                    {
                        let end = inline.text.len().max(start);
                        inline.links.push(Link {
                            text: start..end,
                            dest,
                        });
                    }
                }
                _ => {}
            },
            Event::Text(text) => match &mut builder.raw {
                Some(raw) => raw.extend(range),
                None => builder.push_text(text),
            },
            Event::Code(code) => {
                // A code span written as one backtick pair around its text is its own
                // source: borrow it, like text.
                match source.get(range.clone()) {
                    Some(span)
                        if span.len() == code.len() + 2
                            && span.starts_with('`')
                            && span.ends_with('`')
                            && span[1..span.len() - 1] == *code =>
                    {
                        builder.push_text(CowStr::Borrowed(span));
                    }
                    _ => {
                        builder.push_str("`");
                        builder.push_text(code);
                        builder.push_str("`");
                    }
                }
            }
            Event::Html(_) => {
                if let Some(raw) = &mut builder.raw {
                    raw.extend(range);
                }
            }
            Event::InlineHtml(html) => {
                if starts_with_ignore_case(&html, "<br") {
                    builder.push_str(" ");
                } else if html.starts_with("<!--") {
                    // An inline comment may still be an annotation; keep it as its own block.
                    builder.blocks.push(Block::Html {
                        text: &source[range.clone()],
                        offset: range.start,
                    });
                }
            }
            Event::SoftBreak | Event::HardBreak => builder.push_str(" "),
            _ => {}
        }
    }
    builder.inline_end = source.len();
    builder.flush_inline();
    builder.blocks
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// GFM drops a table whose delimiter row has another cell count than its header; the docs
/// have a few, and they hold real permissions and properties. Such a paragraph is split into
/// the prose before the table and the table itself, read row by row from the source.
fn recover_table<'a>(
    source: &'a str,
    inline: Inline<'a>,
    quoted: bool,
    offset: usize,
    end: usize,
    blocks: &mut Vec<Block<'a>>,
) {
    let text = source.get(offset..end).unwrap_or("");
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
        blocks.push(Block::Paragraph {
            inline,
            quoted,
            offset,
            end,
        });
        return;
    };
    if header_index > 0 {
        let prose: String = lines[..header_index]
            .iter()
            .map(|(_, line)| *line)
            .collect::<Vec<_>>()
            .join("\n");
        blocks.push(Block::Paragraph {
            inline: self::inline(&prose).into_owned(),
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
    let mut cells = Vec::new();
    let rows = lines[header_index + 2..]
        .iter()
        .map(|(row_offset, line)| {
            let start = cells.len();
            cells.extend(split_row(line).into_iter().map(self::inline));
            TableRow {
                cells: start..cells.len(),
                offset: *row_offset,
                end: row_offset + line.len(),
            }
        })
        .collect();
    blocks.push(Block::Table {
        header,
        cells,
        rows,
        offset: table_offset,
        recovered: true,
    });
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
/// Code spans are matched as CommonMark does: a run of backticks closes only at the next run
/// of the same length, and a run with no closer is literal text.
pub fn split_row(line: &str) -> Vec<&str> {
    let trimmed = line.trim();
    let mut cells = Vec::new();
    let mut start = 0;
    cell_boundaries(trimmed, true, |pipe| {
        cells.push(&trimmed[start..pipe]);
        start = pipe + 1;
    });
    cells.push(&trimmed[start.min(trimmed.len())..]);
    trim_outer(trimmed, cells)
}

/// Splits on every unescaped `|`, code spans or not: the cells GFM sees.
pub fn split_row_plain(line: &str) -> Vec<&str> {
    let trimmed = line.trim();
    let mut cells = Vec::new();
    let mut start = 0;
    cell_boundaries(trimmed, false, |pipe| {
        cells.push(&trimmed[start..pipe]);
        start = pipe + 1;
    });
    cells.push(&trimmed[start.min(trimmed.len())..]);
    trim_outer(trimmed, cells)
}

/// `(split_row(line).len(), split_row_plain(line).len())` without building the cells: the
/// cells the author meant and the cells GFM sees. A line with no escapes and no code spans
/// (most rows) is read in one scan, where both are its pipes; the two only differ on a line
/// with a backtick, so a line without one reports the first count twice.
pub fn count_cells_authored_and_plain(line: &str) -> (usize, usize) {
    let trimmed = line.trim();
    let bytes = trimmed.as_bytes();
    let mut pipes = 0;
    for at in memchr::memchr3_iter(b'|', b'\\', b'`', bytes) {
        if bytes[at] != b'|' {
            let authored = count(trimmed, true);
            let plain = if memchr::memchr(b'`', bytes).is_some() {
                count(trimmed, false)
            } else {
                authored
            };
            return (authored, plain);
        }
        pipes += 1;
    }
    let cells = without_outer_pipes(trimmed, 1 + pipes);
    (cells, cells)
}

fn count(trimmed: &str, code_spans: bool) -> usize {
    let bytes = trimmed.as_bytes();
    let plain = if code_spans {
        memchr::memchr2(b'\\', b'`', bytes).is_none()
    } else {
        memchr::memchr(b'\\', bytes).is_none()
    };
    let mut cells = 1;
    if plain {
        // No escapes or code spans: every pipe separates cells.
        cells += memchr::memchr_iter(b'|', bytes).count();
    } else {
        cell_boundaries(trimmed, code_spans, |_| cells += 1);
    }
    without_outer_pipes(trimmed, cells)
}

/// A cell count less the empty cells a leading and a trailing pipe create (see [`trim_outer`]).
fn without_outer_pipes(trimmed: &str, mut cells: usize) -> usize {
    if cells > 1 && trimmed.ends_with('|') && !trimmed.ends_with("\\|") {
        cells -= 1;
    }
    if cells > 1 && trimmed.starts_with('|') {
        cells -= 1;
    }
    cells
}

/// Calls `pipe` with the index of every `|` that separates cells: not escaped, and (with
/// `code_spans`) not inside a code span.
fn cell_boundaries(trimmed: &str, code_spans: bool, mut pipe: impl FnMut(usize)) {
    let bytes = trimmed.as_bytes();
    let mut index = 0;
    // Backtick run lengths known to have no closer after the current position.
    let mut unclosed: Vec<usize> = Vec::new();
    loop {
        let found = if code_spans {
            memchr::memchr3(b'|', b'\\', b'`', &bytes[index.min(bytes.len())..])
        } else {
            memchr::memchr2(b'|', b'\\', &bytes[index.min(bytes.len())..])
        };
        let Some(found) = found else {
            return;
        };
        index += found;
        match bytes[index] {
            b'\\' => index += 2,
            b'`' => {
                let run = bytes[index..].iter().take_while(|&&b| b == b'`').count();
                let after = index + run;
                index = match (!unclosed.contains(&run))
                    .then(|| closing_run(bytes, after, run))
                    .flatten()
                {
                    Some(end) => end,
                    None => {
                        unclosed.push(run);
                        after
                    }
                };
            }
            _ => {
                pipe(index);
                index += 1;
            }
        }
    }
}

/// The end of the first run of exactly `run` backticks at or after `from`.
fn closing_run(bytes: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut index = from;
    while let Some(found) = memchr::memchr(b'`', &bytes[index.min(bytes.len())..]) {
        index += found;
        let length = bytes[index..].iter().take_while(|&&b| b == b'`').count();
        if length == run {
            return Some(index + length);
        }
        index += length;
    }
    None
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
pub fn inline(markdown: &str) -> Inline<'_> {
    let mut result = Inline::default();
    for block in blocks(markdown.trim()) {
        if let Block::Paragraph { inline, .. } | Block::Heading { inline, .. } = block {
            if result.text.is_empty() && result.links.is_empty() {
                result = inline;
                continue;
            }
            let shift = if result.text.is_empty() {
                0
            } else {
                result.text.to_mut().push(' ');
                result.text.len()
            };
            result.text.to_mut().push_str(&inline.text);
            for link in inline.links {
                result.links.push(Link {
                    text: link.text.start + shift..link.text.end + shift,
                    dest: link.dest,
                });
            }
        }
    }
    result
}
