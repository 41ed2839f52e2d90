//! `interactions`: replay a trace of contact-center vendor messages through the interaction
//! engine and show the timeline, the refusals and the effects.
//!
//! Exit status: 0 when the file was read; 1 with `--strict` when any record was rejected; 2 for
//! a usage error or a file that cannot be read (MODEL.md section 8).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use interaction_cli::diagram::{DiagramFormat, diagram};
use interaction_cli::generate::{Generator, Mix};
use interaction_cli::{Format, replay_parallel};

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
        /// the output is the same for every value.
        #[arg(long, default_value_t = NonZeroUsize::MIN)]
        jobs: NonZeroUsize,
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
            print!("{}", diagram(format));
            ExitCode::SUCCESS
        }
        Command::Generate {
            interactions,
            seed,
            mix,
        } => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match Generator::new(interactions, seed)
                .with_mix(mix)
                .write_to(&mut out)
                .and_then(|()| out.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("interactions: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Replay {
            file,
            format,
            strict,
            jobs,
        } => {
            let input = match File::open(&file) {
                Ok(f) => BufReader::with_capacity(1 << 16, progress(f)),
                Err(e) => {
                    eprintln!("interactions: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let format = match format {
                FormatArg::Json => Format::Json,
                FormatArg::Text => Format::Text,
            };
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let summary = match replay_parallel(input, &mut out, format, jobs)
                .and_then(|s| out.flush().map(|()| s))
            {
                Ok(summary) => summary,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("interactions: {}: {e}", file.display());
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
