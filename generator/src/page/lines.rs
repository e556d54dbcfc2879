//! Line and column numbers of byte offsets into one page, counted on demand.
//!
//! The reader asks for lines mostly in page order, so a cursor remembers the last answer and
//! only the newlines between it and the next offset are counted, forwards or backwards. Gives the same numbers as
//! [`crate::diagnostics::LineIndex`] without indexing every line of every page up front.

use std::cell::Cell;

pub(crate) struct Lines<'a> {
    source: &'a str,
    /// The last offset asked about (clamped to the page) and its line.
    cursor: Cell<(usize, usize)>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Lines {
            source,
            cursor: Cell::new((0, 1)),
        }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.source.len());
        let bytes = self.source.as_bytes();
        let (at, line) = self.cursor.get();
        let line = if offset >= at {
            line + memchr::memchr_iter(b'\n', &bytes[at..offset]).count()
        } else {
            line - memchr::memchr_iter(b'\n', &bytes[offset..at]).count()
        };
        self.cursor.set((offset, line));
        line
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let offset = offset.min(self.source.len());
        let start = memchr::memrchr(b'\n', &self.source.as_bytes()[..offset])
            .map_or(0, |newline| newline + 1);
        let column = self
            .source
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count())
            + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::LineIndex;

    #[test]
    fn agrees_with_line_index() {
        let text = "ab\ncdé\n\nfgh\r\nij";
        let index = LineIndex::new(text);
        let lines = Lines::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2)
            .chain((0..=text.len() + 2).rev())
            .chain([7, 2, 9, 0, 15])
            .collect();
        for offset in offsets {
            assert_eq!(lines.line(offset), index.line(offset), "{offset}");
            assert_eq!(
                lines.line_column(offset),
                index.line_column(text, offset),
                "{offset}"
            );
        }
    }
}
