//! `interactions`: replay a trace of contact-center vendor messages through the interaction
//! engine and show the timeline, the refusals and the effects.
//!
//! Exit status: 0 when the file was read; 1 with `--strict` when any record was rejected; 2 for
//! a usage error, a file that cannot be read (the message says at which line and byte), or an
//! output that cannot be written (MODEL.md section 8). A closed output (`| head`) is the
//! reader's choice: the command stops quietly with 0, whatever the format and job count. No
//! command panics on a write error.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use interaction_cli::diagram::{DiagramFormat, diagram};
use interaction_cli::generate::{Generator, Mix};
use interaction_cli::{Clock, Format, MAX_JOBS, Options, ReplayError, Settings, replay};
use interaction_core::{Api, ApiSet, EngineSettings, Media, MediaSet};
use interaction_vcc::{RegisterPolicy, VccSettings};

/// Replay contact-center traces through the interaction engine.
#[derive(Parser)]
#[command(name = "interactions", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay a trace (JSON Lines of vendor messages) and print one record per item.
    Replay {
        /// The trace file (docs/trace-format.md).
        file: PathBuf,
        /// `json`: one JSON object per record (for tools); `text`: a timeline and a summary.
        #[arg(long, value_enum, default_value_t = FormatArg::Json)]
        format: FormatArg,
        /// Exit 1 if any record was rejected.
        #[arg(long)]
        strict: bool,
        /// Threads that decode and format, beside the one that applies the records in order;
        /// the output is the same for every value. At most 256.
        #[arg(long, default_value_t = NonZeroUsize::MIN, value_parser = parse_jobs)]
        jobs: NonZeroUsize,
        #[command(flatten)]
        bounds: Bounds,
    },
    /// Write a synthetic mixed-vendor trace (JSON Lines) to standard output: the same
    /// arguments always give the same trace (docs/PERFORMANCE.md describes its mix).
    Generate {
        /// How many interactions the trace holds (about 4.3 lines each).
        #[arg(long, default_value_t = 1000)]
        interactions: usize,
        /// The seed of the pseudo-random choices.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Weights of the vendors: VCC Interactions, GWS, Anywhere365, VCC Calls.
        #[arg(long, default_value = "35,30,25,10", value_parser = Mix::parse)]
        mix: Mix,
    },
    /// Print the lifecycle diagram, generated from the transition table.
    Diagram {
        /// `mermaid` (a stateDiagram-v2) or `dot` (Graphviz).
        #[arg(long, value_enum, default_value_t = DiagramArg::Mermaid)]
        format: DiagramArg,
    },
}

/// The engine's bounds and the adapters' policies (docs/trace-format.md, "Replay options";
/// the defaults are `EngineSettings::default()`'s).
#[derive(Args)]
struct Bounds {
    /// Ended interactions kept whole for late-event detection.
    #[arg(long, value_name = "N")]
    max_ended: Option<usize>,
    /// Forgotten ended interactions remembered by a fingerprint (never resurrected).
    #[arg(long, value_name = "N")]
    max_forgotten: Option<usize>,
    /// Idempotency keys remembered with their request.
    #[arg(long, value_name = "N")]
    max_idempotency_keys: Option<usize>,
    /// Live interactions the engine may hold.
    #[arg(long, value_name = "N")]
    max_live: Option<usize>,
    /// Agents the engine may know.
    #[arg(long, value_name = "N")]
    max_agents: Option<usize>,
    /// Providers that may be registered.
    #[arg(long, value_name = "N")]
    max_providers: Option<usize>,
    /// Vendor APIs whose interactions share one namespace, on purpose (`vcc,gws`).
    #[arg(long, value_name = "API,API", value_delimiter = ',', value_parser = parse_api)]
    share_namespace: Vec<Api>,
    /// Accept VCC Register endpoints on loopback, link-local and private addresses.
    #[arg(long)]
    allow_private_endpoints: bool,
    /// The media whose interactions require after-call work (`live,chat`): their release
    /// leads to `wrap_up`, which `complete` ends (MODEL.md section 10).
    #[arg(long, value_name = "MEDIA,MEDIA", value_delimiter = ',', value_parser = parse_media)]
    wrap_up: Vec<Media>,
    /// Where the engine's clock comes from: `none` (time stays 0, no timer falls due) or `at`
    /// (each line's `at`; an earlier one keeps the clock; timers due fire before the line).
    #[arg(long, value_enum, default_value_t = ClockArg::None)]
    clock: ClockArg,
    /// Ring-no-answer, in milliseconds: an offer not accepted this long after it was made is
    /// revoked and the interaction redistributed.
    #[arg(long, value_name = "MS")]
    offer_timeout: Option<u64>,
    /// After this many ring-no-answers in a row the agent becomes not_ready (no_answer).
    #[arg(long, value_name = "N")]
    max_no_answer: Option<u32>,
    /// An interaction in wrap_up this long, in milliseconds, completes itself.
    #[arg(long, value_name = "MS")]
    wrap_up_timeout: Option<u64>,
    /// An Anywhere365 agent with no HeartBeat for this long, in milliseconds, is logged out.
    #[arg(long, value_name = "MS")]
    heartbeat_timeout: Option<u64>,
}

/// `--clock`.
#[derive(Clone, Copy, ValueEnum)]
enum ClockArg {
    /// No clock.
    None,
    /// Each line's `at`.
    At,
}

impl Bounds {
    fn settings(&self) -> Settings {
        let d = EngineSettings::default();
        Settings {
            engine: EngineSettings {
                max_ended: self.max_ended.unwrap_or(d.max_ended),
                max_forgotten: self.max_forgotten.unwrap_or(d.max_forgotten),
                max_idempotency_keys: self.max_idempotency_keys.unwrap_or(d.max_idempotency_keys),
                max_live: self.max_live.unwrap_or(d.max_live),
                max_agents: self.max_agents.unwrap_or(d.max_agents),
                max_providers: self.max_providers.unwrap_or(d.max_providers),
                shared_apis: ApiSet::of(self.share_namespace.iter().copied()),
                wrap_up: MediaSet::of(&self.wrap_up),
                offer_timeout: self.offer_timeout,
                max_no_answer: self.max_no_answer,
                wrap_up_timeout: self.wrap_up_timeout,
                agent_heartbeat_timeout: self.heartbeat_timeout,
            },
            vcc: VccSettings {
                register: RegisterPolicy {
                    allow_private_endpoints: self.allow_private_endpoints,
                },
                ..VccSettings::default()
            },
        }
    }
}

/// `--jobs`: 1 to [`MAX_JOBS`].
fn parse_jobs(text: &str) -> Result<NonZeroUsize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_JOBS => NonZeroUsize::new(n),
        _ => None,
    }
    .ok_or_else(|| format!("must be a number from 1 to {MAX_JOBS}"))
}

/// A media's name for `--wrap-up`.
fn parse_media(text: &str) -> Result<Media, String> {
    Media::from_name(text).ok_or_else(|| "must be live, nonlive or chat".to_owned())
}

/// A vendor API's name for `--share-namespace`.
fn parse_api(text: &str) -> Result<Api, String> {
    match Api::from_name(text) {
        Some(Api::Core) | None => Err("must be vcc, gws or anywhere365".to_owned()),
        Some(api) => Ok(api),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagramArg {
    Mermaid,
    Dot,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Text,
}

/// The allocator of the binary (not of the library): replay makes and drops many small values,
/// and with `--jobs` drops them on other threads than made them; glibc's allocator spent half
/// the time of a parallel replay there (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Traces at least this long (bytes) show a progress bar while they replay.
const LONG_TRACE: u64 = 1 << 20;

/// `file`, counting what is read on a progress bar on stderr when the replay is long and a
/// person watches it: stderr is a terminal and stdout is not (so the bar never mixes with the
/// records, JSON or text, on a screen).
fn progress(file: File) -> Progress {
    let len = file.metadata().map_or(0, |m| m.len());
    let bar = (len >= LONG_TRACE && io::stderr().is_terminal() && !io::stdout().is_terminal())
        .then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "replay {bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
    Progress { file, bar }
}

/// A trace file whose reads advance a progress bar, if it has one.
struct Progress {
    file: File,
    bar: Option<indicatif::ProgressBar>,
}

impl Read for Progress {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
            if n == 0 {
                bar.finish_and_clear();
            }
        }
        Ok(n)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diagram { format } => {
            let format = match format {
                DiagramArg::Mermaid => DiagramFormat::Mermaid,
                DiagramArg::Dot => DiagramFormat::Dot,
            };
            let stdout = io::stdout();
            let mut out = stdout.lock();
            finish(
                out.write_all(diagram(format).as_bytes())
                    .and_then(|()| out.flush()),
            )
        }
        Command::Generate {
            interactions,
            seed,
            mix,
        } => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            finish(
                Generator::new(interactions, seed)
                    .with_mix(mix)
                    .write_to(&mut out)
                    .and_then(|()| out.flush()),
            )
        }
        Command::Replay {
            file,
            format,
            strict,
            jobs,
            bounds,
        } => {
            // A timer needs a clock: without one it would be armed and never fall due.
            let timers = [
                ("--offer-timeout", bounds.offer_timeout.is_some()),
                ("--wrap-up-timeout", bounds.wrap_up_timeout.is_some()),
                ("--heartbeat-timeout", bounds.heartbeat_timeout.is_some()),
            ];
            if matches!(bounds.clock, ClockArg::None)
                && let Some((option, _)) = timers.iter().find(|(_, set)| *set)
            {
                eprintln!("interactions: {option} needs a clock: add --clock at");
                return ExitCode::from(2);
            }
            let input = match File::open(&file) {
                Ok(f) => BufReader::with_capacity(1 << 16, progress(f)),
                Err(e) => {
                    eprintln!("interactions: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let options = Options {
                format: match format {
                    FormatArg::Json => Format::Json,
                    FormatArg::Text => Format::Text,
                },
                jobs,
                settings: bounds.settings(),
                clock: match bounds.clock {
                    ClockArg::None => Clock::None,
                    ClockArg::At => Clock::At,
                },
            };
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let summary = match replay(input, &mut out, &options)
                .and_then(|s| out.flush().map(|()| s).map_err(ReplayError::Write))
            {
                Ok(summary) => summary,
                Err(e) if e.is_closed_output() => return ExitCode::SUCCESS,
                Err(e @ ReplayError::Read { .. }) => {
                    // What was read is written; then the failure, naming the file and line.
                    let _ = out.flush();
                    eprintln!("interactions: {}: {e}", file.display());
                    return ExitCode::from(2);
                }
                Err(e) => {
                    eprintln!("interactions: {e}");
                    return ExitCode::from(2);
                }
            };
            if strict && summary.rejected() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// The exit status of a command that writes to stdout: 0 when written, or when the reader went
/// away (a closed pipe); 2, with a message, for any other write error (`> /dev/full`).
fn finish(written: io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("interactions: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}
