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
//! [`replay`] is the whole job: it is what `interactions replay` runs, on one thread or, with
//! [`Options::jobs`], on several ([`replay_parallel`]) with the same output; [`replay_to`] is
//! the same with the default settings on one thread.

pub mod diagram;
pub mod generate;
pub mod lines;
pub mod output;
pub mod replay;
pub mod trace;

use std::io::{self, BufRead, Write};
use std::num::NonZeroUsize;
use std::sync::mpsc;

pub use lines::{LineReader, MAX_LINE_BYTES, Span};
pub use output::{Format, Summary};
pub use replay::{Clock, Prepared, Record, RecordEffect, Replayer, prepare, prepare_bytes};

/// The most threads `--jobs` may ask for (a usage error above it): more than any machine this
/// replays on has cores; the applying thread is the bound beyond a few (docs/PERFORMANCE.md).
pub const MAX_JOBS: usize = 256;

/// What the replay runs with besides its input: the gateway's settings, the engine's bounds
/// and the VCC Register policy among them (`interactions replay --max-ended N ...`,
/// docs/trace-format.md).
pub type Settings = interaction_gateway::GatewaySettings;

/// How a replay runs: the output format, the threads, the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--format`.
    pub format: Format,
    /// `--jobs`: threads that decode and format, beside the one that applies.
    pub jobs: NonZeroUsize,
    /// The engine and adapter settings.
    pub settings: Settings,
    /// `--clock`: where the engine's time comes from.
    pub clock: Clock,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Json,
            jobs: NonZeroUsize::MIN,
            settings: Settings::default(),
            clock: Clock::None,
        }
    }
}

/// Why a replay stopped before the end of its input.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The trace could not be read: line `line` (1-based) could not be read whole, and the
    /// read failed `offset` bytes into the trace. Every line before it was replayed and
    /// written.
    #[error("cannot read line {line} of the trace (at byte {offset}): {source}")]
    Read {
        /// The line being read.
        line: usize,
        /// Bytes of the trace consumed before the failed read.
        offset: u64,
        /// The IO error.
        source: io::Error,
    },
    /// The output could not be written (a closed pipe is [`ReplayError::is_closed_output`]).
    #[error("cannot write the output: {0}")]
    Write(io::Error),
    /// The worker threads of `--jobs` could not be started.
    #[error("cannot start {jobs} worker threads: {source}")]
    Threads {
        /// The threads asked for.
        jobs: usize,
        /// Why they could not start.
        source: io::Error,
    },
}

impl ReplayError {
    /// Whether the output's reader went away (a closed pipe: `replay ... | head`): the reader's
    /// choice, not a failure.
    pub fn is_closed_output(&self) -> bool {
        matches!(self, ReplayError::Write(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

fn write_err(e: io::Error) -> ReplayError {
    ReplayError::Write(e)
}

/// Replays every line of `input` with the default settings on one thread and writes the records
/// to `out` in `format`; returns the counts. See [`replay`].
///
/// # Errors
/// As [`replay`].
pub fn replay_to(
    input: impl BufRead + Send,
    out: &mut impl Write,
    format: Format,
) -> Result<Summary, ReplayError> {
    replay(
        input,
        out,
        &Options {
            format,
            ..Options::default()
        },
    )
}

/// The whole job of `interactions replay`: every line of `input` replayed in order, each
/// giving its records (a line that cannot be read as a record gives one `rejected` record,
/// MODEL.md section 8), written to `out` in `options.format`; the counts returned. With
/// `options.jobs` above 1 the work is spread over threads ([`replay_parallel`]) and the output
/// is the same, byte for byte.
///
/// # Errors
/// [`ReplayError::Read`] when the input fails (the records of every line before the failure
/// are written first, for any number of jobs), [`ReplayError::Write`] when `out` does,
/// [`ReplayError::Threads`] when the threads cannot start.
pub fn replay(
    input: impl BufRead + Send,
    out: &mut impl Write,
    options: &Options,
) -> Result<Summary, ReplayError> {
    if options.jobs.get() > 1 {
        return replay_parallel(input, out, options);
    }
    let format = options.format;
    let mut replayer = Replayer::with_settings(options.settings.clone()).with_clock(options.clock);
    let mut summary = Summary::default();
    let mut records = Vec::new();
    if format == Format::Text {
        writeln!(out, "{}", output::TEXT_HEADER).map_err(write_err)?;
    }
    // One buffer for every line.
    let mut lines = LineReader::new(input);
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = lines.read_into(&mut buffer);
        summary.lines = lines.lines();
        let Some(span) = read? else { break };
        records.clear();
        let prepared = prepare_span(lines.lines(), &buffer, span, &options.settings);
        replayer.apply_prepared(prepared, &mut records);
        for record in &records {
            summary.add(record);
            write_record(out, record, format).map_err(write_err)?;
        }
    }
    if format == Format::Text {
        write!(out, "{}", output::text_summary(&summary)).map_err(write_err)?;
    }
    Ok(summary)
}

/// One line as the reader found it ([`LineReader::read_into`] into `buffer`), made ready
/// ([`prepare_bytes`]).
pub fn prepare_span(line_no: usize, buffer: &[u8], span: Span, settings: &Settings) -> Prepared {
    match span {
        Span::Kept { start, end } => {
            prepare_bytes(line_no, buffer.get(start..end).unwrap_or(&[]), settings)
        }
        Span::TooLong { len } => replay::too_long(line_no, len),
    }
}

fn write_record(out: &mut impl Write, record: &Record, format: Format) -> io::Result<()> {
    match format {
        Format::Json => output::write_json(out, record),
        Format::Text => writeln!(out, "{}", output::text_line(record)),
    }
}

/// Lines per chunk of [`replay_parallel`]: enough that handing a chunk between threads costs
/// little beside the work on it, few enough that the threads start soon and memory stays small.
const CHUNK_LINES: usize = 4096;

/// Chunks in flight between two stages of [`replay_parallel`] (bounds its memory).
const IN_FLIGHT: usize = 4;

/// A run of trace lines read into one buffer, starting at line `first`.
struct Chunk {
    first: usize,
    text: Vec<u8>,
    spans: Vec<Span>,
}

/// Reads up to [`CHUNK_LINES`] lines into a chunk; `None` at the end of the input. A read
/// error comes with the chunk of the lines read whole before it, so that they are replayed.
fn read_chunk<R: BufRead>(lines: &mut LineReader<R>) -> (Option<Chunk>, Option<ReplayError>) {
    let mut chunk = Chunk {
        first: lines.lines() + 1,
        text: Vec::with_capacity(CHUNK_LINES * 256),
        spans: Vec::with_capacity(CHUNK_LINES),
    };
    let mut error = None;
    while chunk.spans.len() < CHUNK_LINES {
        let before = chunk.text.len();
        match lines.read_into(&mut chunk.text) {
            Ok(Some(span)) => chunk.spans.push(span),
            Ok(None) => break,
            Err(e) => {
                // The part of the line read before the failure is dropped, as `replay` drops it.
                chunk.text.truncate(before);
                error = Some(e);
                break;
            }
        }
    }
    ((!chunk.spans.is_empty()).then_some(chunk), error)
}

/// [`replay`] on `options.jobs` threads, with the same output, byte for byte.
///
/// Three stages run at once, on chunks of [`CHUNK_LINES`] lines: one thread reads the input and
/// has each chunk's lines prepared ([`prepare`]: the envelope and the body decoded into the
/// adapters' types) in parallel; one thread applies the prepared lines to the engine in line
/// order ([`Replayer::apply_prepared`]), since an input's meaning can depend on every input
/// before it (a GWS notification or an Anywhere365 event is mapped from the interaction's
/// current state); the calling thread has the records formatted in parallel, then writes them
/// and counts them in order. The parallel work runs on a pool of `jobs` threads, beside the one
/// that applies.
///
/// # Errors
/// As [`replay`]: a read error stops the replay after the records of every line before it are
/// written, exactly as with one job.
pub fn replay_parallel(
    input: impl BufRead + Send,
    out: &mut impl Write,
    options: &Options,
) -> Result<Summary, ReplayError> {
    let Options {
        format,
        jobs,
        settings,
        clock,
    } = options.clone();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.get())
        .thread_name(|i| format!("replay-{i}"))
        .build()
        .map_err(|e| ReplayError::Threads {
            jobs: jobs.get(),
            source: io::Error::other(e),
        })?;
    let mut summary = Summary::default();
    if format == Format::Text {
        writeln!(out, "{}", output::TEXT_HEADER).map_err(write_err)?;
    }
    let (prepared_tx, prepared_rx) = mpsc::sync_channel::<Vec<Prepared>>(IN_FLIGHT);
    let (records_tx, records_rx) = mpsc::sync_channel::<Vec<Record>>(IN_FLIGHT);
    // Written records go back to the thread that made them, to be freed there: memory freed
    // on another thread than allocated it sends the allocator down its slow paths.
    let (spent_tx, spent_rx) = mpsc::channel::<Vec<Record>>();
    let threads = |e: io::Error| ReplayError::Threads {
        jobs: jobs.get(),
        source: e,
    };
    let written = std::thread::scope(|scope| -> Result<(), ReplayError> {
        let pool = &pool;
        // Named threads, so that a profile tells the stages apart.
        let reader = std::thread::Builder::new()
            .name("replay-read".to_owned())
            .spawn_scoped(scope, {
                let settings = settings.clone();
                move || read_and_prepare(input, pool, &settings, &prepared_tx)
            })
            .map_err(threads)?;
        std::thread::Builder::new()
            .name("replay-apply".to_owned())
            .spawn_scoped(scope, move || {
                let mut replayer = Replayer::with_settings(settings).with_clock(clock);
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
            })
            .map_err(threads)?;
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
                    result = Err(write_err(e));
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
        let (lines, read_error) = reader
            .join()
            .map_err(|_| threads(io::Error::other("the reading thread panicked")))?;
        summary.lines = lines;
        result?;
        match read_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    });
    written?;
    if format == Format::Text {
        write!(out, "{}", output::text_summary(&summary)).map_err(write_err)?;
    }
    Ok(summary)
}

/// The reading stage of [`replay_parallel`]: reads chunks of lines, has them prepared on the
/// pool, and sends them on in order; returns the lines read and the read error that stopped
/// it, if any (the chunk read before it is sent first).
fn read_and_prepare(
    input: impl BufRead,
    pool: &rayon::ThreadPool,
    settings: &Settings,
    prepared_tx: &mpsc::SyncSender<Vec<Prepared>>,
) -> (usize, Option<ReplayError>) {
    let mut lines = LineReader::new(input);
    loop {
        let (chunk, error) = read_chunk(&mut lines);
        let last = chunk.is_none();
        if let Some(chunk) = chunk {
            let prepared = pool.install(|| {
                use rayon::prelude::*;
                let starts = (0..chunk.spans.len()).map(|i| chunk.first + i);
                let lines: Vec<(usize, Span)> = starts.zip(chunk.spans.iter().copied()).collect();
                lines
                    .into_par_iter()
                    .map(|(line_no, span)| prepare_span(line_no, &chunk.text, span, settings))
                    .collect::<Vec<_>>()
            });
            if prepared_tx.send(prepared).is_err() {
                return (lines.lines(), error);
            }
        }
        if error.is_some() || last {
            return (lines.lines(), error);
        }
    }
}

/// `records` as `format` prints them.
fn format_records(records: &[Record], format: Format) -> io::Result<Vec<u8>> {
    let mut text = Vec::with_capacity(records.len() * 320);
    for record in records {
        write_record(&mut text, record, format)?;
    }
    Ok(text)
}

/// Replays `text` (a whole trace) and returns its records: the plumbing of tests and examples.
/// Lines are split as [`replay`] splits them.
pub fn replay_str(text: &str) -> Vec<Record> {
    replay_bytes(text.as_bytes())
}

/// [`replay_str`] on bytes, which need not be UTF-8 (a line that is not gives its record).
pub fn replay_bytes(text: &[u8]) -> Vec<Record> {
    let mut replayer = Replayer::new();
    let mut records = Vec::new();
    let mut lines = LineReader::new(text);
    let mut buffer = Vec::new();
    while let Ok(Some(span)) = lines.read_into(&mut buffer) {
        let prepared = prepare_span(lines.lines(), &buffer, span, &Settings::default());
        replayer.apply_prepared(prepared, &mut records);
        buffer.clear();
    }
    records
}
