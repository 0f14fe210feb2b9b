//! The limit of a CSV row's length, which the `csv` crate does not have.

use std::io::{self, Read};

/// A row longer than the limit, at its first line.
#[derive(Debug)]
pub(super) struct TooLong {
    pub(super) line: u32,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the row at line {} is too long", self.line)
    }
}

impl std::error::Error for TooLong {}

/// Passes the bytes of a CSV file through, failing with [`TooLong`] once a record (a run of
/// bytes without a line end outside quotes) passes `limit` bytes, so that the CSV reader
/// never holds more than that. Quotes are counted the RFC 4180 way: a doubled quote
/// toggles twice. The `csv` crate has no such limit; this is the whole of it.
pub(super) struct RowLimit<R> {
    inner: R,
    limit: usize,
    run: usize,
    quoted: bool,
    line: u32,
    start: u32,
}

impl<R> RowLimit<R> {
    pub(super) fn new(inner: R, limit: usize, lines_before: u32) -> RowLimit<R> {
        let line = lines_before.saturating_add(1);
        RowLimit { inner, limit, run: 0, quoted: false, line, start: line }
    }
}

impl<R: Read> Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buf)?;
        for &byte in &buf[..count] {
            match byte {
                b'"' => self.quoted = !self.quoted,
                b'\n' => {
                    self.line = self.line.saturating_add(1);
                    if !self.quoted {
                        self.run = 0;
                        self.start = self.line;
                        continue;
                    }
                }
                _ => {}
            }
            self.run += 1;
            if self.run > self.limit {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    TooLong { line: self.start },
                ));
            }
        }
        Ok(count)
    }
}
