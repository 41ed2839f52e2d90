//! The library behind the `interactions` command: read a trace of real vendor messages
//! (MODEL.md section 7), replay it through the [`interaction_core::Engine`] with the vendor
//! adapters, and print what happened (section 8).
//!
//! * [`trace`]: the trace line envelope and the `"api": "core"` records.
//! * [`replay`]: the [`Replayer`], one engine, one [`Record`] per item.
//! * [`output`]: JSON Lines and the text timeline with its summary.
//! * [`diagram`]: the lifecycle diagram and table, generated from the transition table.
//! * [`generate`]: a synthetic mixed-vendor trace, for benchmarks and load tests.
//!
//! [`replay_to`] is the whole job: it is what `interactions replay` runs; [`replay_parallel`]
//! is the same job on several threads (`interactions replay --jobs N`), with the same output.

pub mod diagram;
pub mod generate;
pub mod output;
pub mod replay;
pub mod trace;

use std::io::{self, BufRead, Write};
use std::num::NonZeroUsize;
use std::sync::mpsc;

pub use output::{Format, Summary};
pub use replay::{Prepared, Record, RecordEffect, Replayer, prepare};

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
    // One buffer for every line (`BufRead::split` would allocate a `Vec` per line).
    let mut input = input;
    let mut buffer = Vec::new();
    let mut line_no = 0;
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        line_no += 1;
        let line = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
        summary.lines = line_no;
        records.clear();
        match std::str::from_utf8(line) {
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

/// Lines per chunk of [`replay_parallel`]: enough that handing a chunk between threads costs
/// little beside the work on it, few enough that the threads start soon and memory stays small.
const CHUNK_LINES: usize = 4096;

/// Chunks in flight between two stages of [`replay_parallel`] (bounds its memory).
const IN_FLIGHT: usize = 4;

/// A run of trace lines read into one buffer: line `first + i` is `text[ends[i-1]..ends[i]]`.
struct Chunk {
    first: usize,
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Chunk {
    fn lines(&self) -> impl Iterator<Item = (usize, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .enumerate()
            .map(|(i, (start, end))| (self.first + i, self.text.get(start..end).unwrap_or(&[])))
    }
}

/// Reads up to [`CHUNK_LINES`] lines (split on `\n`, as [`BufRead::split`] does) starting at line
/// `first`; `None` at the end of the input.
fn read_chunk(input: &mut impl BufRead, first: usize) -> io::Result<Option<Chunk>> {
    let mut chunk = Chunk {
        first,
        text: Vec::with_capacity(CHUNK_LINES * 256),
        ends: Vec::with_capacity(CHUNK_LINES),
    };
    while chunk.ends.len() < CHUNK_LINES {
        if input.read_until(b'\n', &mut chunk.text)? == 0 {
            break;
        }
        if chunk.text.last() == Some(&b'\n') {
            chunk.text.pop();
        }
        chunk.ends.push(chunk.text.len());
    }
    Ok((!chunk.ends.is_empty()).then_some(chunk))
}

/// Prepares one line's bytes: as [`replay_to`] reads them (a `\r` before the `\n` is dropped;
/// bytes that are not UTF-8 are replayed as a `malformed` line).
fn prepare_bytes(line_no: usize, line: &[u8]) -> Prepared {
    match std::str::from_utf8(line) {
        Ok(text) => prepare(line_no, text.trim_end_matches('\r')),
        Err(e) => prepare(line_no, &not_utf8_line(&e)),
    }
}

/// [`replay_to`] on `jobs` threads, with the same output, byte for byte.
///
/// Three stages run at once, on chunks of [`CHUNK_LINES`] lines: one thread reads the input and
/// has each chunk's lines prepared ([`prepare`]: the envelope and the body decoded into the
/// adapters' types) in parallel; one thread applies the prepared lines to the engine in line
/// order ([`Replayer::apply_prepared`]), since an input's meaning can depend on every input
/// before it (a GWS notification or an Anywhere365 event is mapped from the interaction's
/// current state); the calling thread has the records formatted in parallel, then writes them
/// and counts them in order. The parallel work runs on a pool of `jobs` threads, beside the one
/// that applies. With `jobs` 1 this is [`replay_to`], on the calling thread.
///
/// # Errors
/// Only IO errors of `input` or `out`; the replay stops at the first.
pub fn replay_parallel(
    input: impl BufRead + Send,
    out: &mut impl Write,
    format: Format,
    jobs: NonZeroUsize,
) -> io::Result<Summary> {
    if jobs.get() == 1 {
        return replay_to(input, out, format);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.get())
        .thread_name(|i| format!("replay-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let mut summary = Summary::default();
    if format == Format::Text {
        writeln!(out, "{}", output::TEXT_HEADER)?;
    }
    let (prepared_tx, prepared_rx) = mpsc::sync_channel::<Vec<Prepared>>(IN_FLIGHT);
    let (records_tx, records_rx) = mpsc::sync_channel::<Vec<Record>>(IN_FLIGHT);
    // Written records go back to the thread that made them, to be freed there: memory freed
    // on another thread than allocated it sends the allocator down its slow paths.
    let (spent_tx, spent_rx) = mpsc::channel::<Vec<Record>>();
    let written = std::thread::scope(|scope| -> io::Result<()> {
        let pool = &pool;
        // Named threads, so that a profile tells the stages apart.
        let reader = std::thread::Builder::new()
            .name("replay-read".to_owned())
            .spawn_scoped(scope, move || -> io::Result<usize> {
                let mut input = input;
                let mut lines = 0;
                while let Some(chunk) = read_chunk(&mut input, lines + 1)? {
                    lines += chunk.ends.len();
                    let prepared = pool.install(|| {
                        use rayon::prelude::*;
                        let lines: Vec<(usize, &[u8])> = chunk.lines().collect();
                        lines
                            .into_par_iter()
                            .map(|(line_no, line)| prepare_bytes(line_no, line))
                            .collect::<Vec<_>>()
                    });
                    if prepared_tx.send(prepared).is_err() {
                        break;
                    }
                }
                Ok(lines)
            })?;
        std::thread::Builder::new()
            .name("replay-apply".to_owned())
            .spawn_scoped(scope, move || {
                let mut replayer = Replayer::new();
                for chunk in prepared_rx {
                    while let Ok(spent) = spent_rx.try_recv() {
                        drop(spent);
                    }
                    let mut records = Vec::with_capacity(chunk.len() + chunk.len() / 8);
                    for prepared in chunk {
                        replayer.apply_prepared(prepared, &mut records);
                    }
                    if records_tx.send(records).is_err() {
                        break;
                    }
                }
                // The engine is dropped here, off the thread that writes.
            })?;
        let mut result = Ok(());
        for records in records_rx {
            let texts = pool.install(|| {
                use rayon::prelude::*;
                records
                    .par_chunks(256)
                    .map(|part| format_records(part, format))
                    .collect::<Vec<_>>()
            });
            for text in texts {
                if let Err(e) = text.and_then(|text| out.write_all(&text)) {
                    result = Err(e);
                    break;
                }
            }
            if result.is_err() {
                // Dropping the receiver stops the stages before this one.
                break;
            }
            for record in &records {
                summary.add(record);
            }
            // Freed by the applying thread if it still runs, here otherwise.
            let _ = spent_tx.send(records);
        }
        summary.lines = reader
            .join()
            .map_err(|_| io::Error::other("the reading thread panicked"))??;
        result
    });
    written?;
    if format == Format::Text {
        write!(out, "{}", output::text_summary(&summary))?;
    }
    Ok(summary)
}

/// `records` as `format` prints them.
fn format_records(records: &[Record], format: Format) -> io::Result<Vec<u8>> {
    let mut text = Vec::with_capacity(records.len() * 320);
    for record in records {
        match format {
            Format::Json => output::write_json(&mut text, record)?,
            Format::Text => writeln!(text, "{}", output::text_line(record))?,
        }
    }
    Ok(text)
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
