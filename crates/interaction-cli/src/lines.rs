//! Reading a trace into lines (MODEL.md section 12): a line ends at `\n`, and a `\r` before it
//! is part of the line ending; no line is held beyond [`MAX_LINE_BYTES`]; a read error says
//! where it happened. Both `replay_to` and the parallel replay read through [`LineReader`], so
//! they split a trace the same way, byte for byte.

use std::io::{self, BufRead};

use crate::ReplayError;

/// The longest trace line kept, in bytes: 16 MiB. A longer line gives one `rejected` /
/// `malformed` record and is skipped without being held (no vendor body documented in
/// `shared/spec` comes near it: VCC refuses a request body over 100 KB).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Where a line read by [`LineReader::read_into`] is in the buffer it was appended to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The line is `buffer[start..end]`, its ending (`\n`, or `\r\n`) taken off.
    Kept {
        /// Where the line starts in the buffer.
        start: usize,
        /// Where it ends.
        end: usize,
    },
    /// The line was longer than the bound: it is `len` bytes (its ending taken off), of which
    /// none are kept.
    TooLong {
        /// Its length in bytes.
        len: u64,
    },
}

/// A trace split into lines, with the number of the line being read and the bytes consumed.
pub struct LineReader<R> {
    input: R,
    /// Lines read whole so far.
    lines: usize,
    /// Bytes consumed so far.
    offset: u64,
    max: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Lines of `input`, at most [`MAX_LINE_BYTES`] each.
    pub fn new(input: R) -> Self {
        LineReader::with_max(input, MAX_LINE_BYTES)
    }

    /// Lines of `input`, at most `max` bytes each.
    pub fn with_max(input: R, max: usize) -> Self {
        LineReader {
            input,
            lines: 0,
            offset: 0,
            max,
        }
    }

    /// How many lines have been read whole.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// Reads the next line and appends it to `buffer`; `None` at the end of the input. A last
    /// line without `\n` is a line. The line is numbered [`LineReader::lines`] once read.
    ///
    /// # Errors
    /// [`ReplayError::Read`] naming the line that could not be read whole and the byte offset
    /// where the read failed; the bytes of that line read so far are left in `buffer` beyond
    /// its old length, for the caller to drop.
    pub fn read_into(&mut self, buffer: &mut Vec<u8>) -> Result<Option<Span>, ReplayError> {
        let start = buffer.len();
        // At most one byte more than the bound is kept: enough to take off a final `\r` and
        // still know whether the line fits.
        let keep = self.max.saturating_add(1);
        let mut len: u64 = 0;
        let mut last = None;
        let mut any = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(ReplayError::Read {
                        line: self.lines + 1,
                        offset: self.offset,
                        source,
                    });
                }
            };
            if available.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (part, ended) = match memchr::memchr(b'\n', available) {
                Some(at) => (at, true),
                None => (available.len(), false),
            };
            let room = keep.saturating_sub(buffer.len() - start);
            if let Some(kept) = available.get(..part.min(room)) {
                buffer.extend_from_slice(kept);
            }
            if let Some(byte) = part.checked_sub(1).and_then(|i| available.get(i)) {
                last = Some(*byte);
            }
            len += part as u64;
            let consumed = part + usize::from(ended);
            self.input.consume(consumed);
            self.offset += consumed as u64;
            if ended {
                break;
            }
        }
        self.lines += 1;
        // The `\r` of a `\r\n` ending is part of the ending.
        if last == Some(b'\r') {
            len -= 1;
            if (buffer.len() - start) as u64 > len {
                buffer.pop();
            }
        }
        if len > self.max as u64 {
            buffer.truncate(start);
            return Ok(Some(Span::TooLong { len }));
        }
        Ok(Some(Span::Kept {
            start,
            end: buffer.len(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &[u8], max: usize) -> Vec<Result<Vec<u8>, u64>> {
        let mut reader = LineReader::with_max(text, max);
        let mut out = Vec::new();
        let mut buffer = Vec::new();
        while let Some(span) = reader.read_into(&mut buffer).unwrap() {
            out.push(match span {
                Span::Kept { start, end } => Ok(buffer[start..end].to_vec()),
                Span::TooLong { len } => Err(len),
            });
            buffer.clear();
        }
        out
    }

    #[test]
    fn lines_end_at_newline_and_crlf() {
        assert_eq!(
            split(b"a\nb\r\nc", 100),
            [Ok(b"a".to_vec()), Ok(b"b".to_vec()), Ok(b"c".to_vec())]
        );
        // A lone `\r` ends nothing: the text after it stays on the line.
        assert_eq!(split(b"a\rb\n", 100), [Ok(b"a\rb".to_vec())]);
        // Only one `\r` belongs to the ending.
        assert_eq!(split(b"a\r\r\n", 100), [Ok(b"a\r".to_vec())]);
        assert_eq!(split(b"\n\n", 100), [Ok(Vec::new()), Ok(Vec::new())]);
        assert!(split(b"", 100).is_empty());
    }

    #[test]
    fn a_line_over_the_bound_is_measured_not_kept() {
        assert_eq!(
            split(b"12345\n123456\n1234567\r\nok", 6),
            [
                Ok(b"12345".to_vec()),
                Ok(b"123456".to_vec()),
                Err(7),
                Ok(b"ok".to_vec())
            ]
        );
    }

    #[test]
    fn a_read_error_names_the_line_and_the_byte() {
        struct Failing(Vec<u8>);
        impl io::Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("disk gone"));
                }
                let n = buf.len().min(self.0.len()).min(3);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0.drain(..n);
                Ok(n)
            }
        }
        let input = io::BufReader::with_capacity(4, Failing(b"ab\ncd\nef".to_vec()));
        let mut reader = LineReader::new(input);
        let mut buffer = Vec::new();
        assert!(reader.read_into(&mut buffer).unwrap().is_some());
        assert!(reader.read_into(&mut buffer).unwrap().is_some());
        match reader.read_into(&mut buffer) {
            Err(ReplayError::Read { line, offset, .. }) => assert_eq!((line, offset), (3, 8)),
            other => panic!("{other:?}"),
        }
    }
}
