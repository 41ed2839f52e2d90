//! `interactions`: replay a trace of contact-center vendor messages through the interaction
//! engine and show the timeline, the refusals and the effects.
//!
//! Exit status: 0 when the file was read; 1 with `--strict` when any record was rejected; 2 for
//! a usage error or a file that cannot be read (MODEL.md section 8).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use interaction_cli::diagram::{DiagramFormat, diagram};
use interaction_cli::{Format, replay_to};

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
        Command::Replay {
            file,
            format,
            strict,
        } => {
            let input = match File::open(&file) {
                Ok(f) => BufReader::new(f),
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
            let summary =
                match replay_to(input, &mut out, format).and_then(|s| out.flush().map(|()| s)) {
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
