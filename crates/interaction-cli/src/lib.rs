//! The library behind the `interactions` command: read a trace of real vendor messages
//! (MODEL.md section 7), replay it through the [`interaction_core::Engine`] with the vendor
//! adapters, and print what happened (section 8).
//!
//! * [`trace`]: the trace line envelope and the `"api": "core"` records.
//! * [`replay`]: the [`Replayer`], one engine, one [`Record`] per item.
//! * [`output`]: JSON Lines and the text timeline with its summary.
//! * [`diagram`]: the lifecycle diagram and table, generated from the transition table.
//!
//! [`replay_to`] is the whole job: it is what `interactions replay` runs.

pub mod diagram;
pub mod output;
pub mod replay;
pub mod trace;

use std::io::{self, BufRead, Write};

pub use output::{Format, Summary};
pub use replay::{Record, Replayer};

/// Replays every line of `input` and writes the records to `out` in `format`; returns the
/// counts. Lines that are not UTF-8 give a `rejected`/`malformed` record like any unreadable
/// line; the replay goes on.
///
/// # Errors
/// Only IO errors of `input` or `out`.
pub fn replay_to(input: impl BufRead, out: &mut impl Write, format: Format) -> io::Result<Summary> {
    let mut replayer = Replayer::new();
    let mut summary = Summary::default();
    let mut records = Vec::new();
    if format == Format::Text {
        writeln!(out, "{}", output::TEXT_HEADER)?;
    }
    for (index, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let line_no = index + 1;
        summary.lines = line_no;
        records.clear();
        match std::str::from_utf8(&line) {
            Ok(text) => replayer.replay_line(line_no, text.trim_end_matches('\r'), &mut records),
            Err(e) => replayer.replay_line(line_no, &not_utf8_line(&e), &mut records),
        }
        for record in &records {
            summary.add(record);
            match format {
                Format::Json => output::write_json(out, record)?,
                Format::Text => writeln!(out, "{}", output::text_line(record))?,
            }
        }
    }
    if format == Format::Text {
        write!(out, "{}", output::text_summary(&summary))?;
    }
    Ok(summary)
}

/// A stand-in line for bytes that are not UTF-8: it is not JSON either, so it replays as a
/// `malformed` record whose message says why.
fn not_utf8_line(e: &std::str::Utf8Error) -> String {
    format!("line is not UTF-8 ({e})")
}

/// Replays `text` (a whole trace) and returns its records: the plumbing of tests and examples.
pub fn replay_str(text: &str) -> Vec<Record> {
    let mut replayer = Replayer::new();
    let mut records = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        replayer.replay_line(index + 1, line.trim_end_matches('\r'), &mut records);
    }
    records
}
