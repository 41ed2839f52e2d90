//! Runs the decode workloads of `benches/decode.rs` once, for instruction counts under
//! callgrind (deterministic where timings on a shared machine are not).
//!
//! For each kind (or the kinds named on the command line, by `Kind::name`): builds the workload,
//! then [`adapter_and_apply`] decodes and applies every message once to a clone of its engine,
//! and [`floor`] parses the same bytes into `serde::de::IgnoredAny`. Both are kept out of line
//! so that callgrind's inclusive cost of each is the figure:
//!
//! ```text
//! cargo build --release -p interaction-benches --example decode_once
//! valgrind --tool=callgrind --callgrind-out-file=cg.out \
//!     target/release/examples/decode_once vcc_invoke_dispatch
//! callgrind_annotate --inclusive=yes cg.out | grep -E 'adapter_and_apply|endpoint|floor'
//! ```
//!
//! `DECODE_ONCE_COUNT` sets the batch size (10 000, as the benchmark, by default).

use std::hint::black_box;

use interaction_benches::bodies::{Adapters, Kind, Message, decode_and_apply, handle, workload};
use interaction_core::{Engine, Error};

fn main() -> Result<(), Error> {
    let count = std::env::var("DECODE_ONCE_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(10_000);
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let subscriptions = interaction_anywhere365::Subscriptions::new();
    for kind in Kind::ALL {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == kind.name()) {
            continue;
        }
        let (fresh, messages) = workload(kind, count)?;
        let mut engine = fresh.clone();
        let applied = adapter_and_apply(kind, &mut engine, &subscriptions, &messages);
        let mut engine = fresh.clone();
        let handled = endpoint(kind, &mut engine, &messages);
        let parsed = floor(&messages);
        println!(
            "{}: {applied} of {} applied, {handled} through the endpoint, {parsed} parsed",
            kind.name(),
            messages.len()
        );
    }
    Ok(())
}

/// Decodes and applies every message; how many applied.
#[inline(never)]
fn adapter_and_apply(
    kind: Kind,
    engine: &mut Engine,
    subscriptions: &interaction_anywhere365::Subscriptions,
    messages: &[Message],
) -> usize {
    let mut effects = Vec::with_capacity(8);
    let mut applied = 0;
    for message in messages {
        let step = decode_and_apply(kind, engine, subscriptions, message, &mut effects);
        applied += usize::from(black_box(step).is_ok());
        effects.clear();
    }
    applied
}

/// Handles every message through its vendor's endpoint; how many were accepted.
#[inline(never)]
fn endpoint(kind: Kind, engine: &mut Engine, messages: &[Message]) -> usize {
    let mut adapters = Adapters::default();
    let mut accepted = 0;
    for message in messages {
        let handled = handle(kind, engine, &mut adapters, message);
        accepted += usize::from(black_box(handled).items.iter().all(|i| i.outcome.is_ok()));
    }
    accepted
}

/// Parses every message into `IgnoredAny`; how many parsed.
#[inline(never)]
fn floor(messages: &[Message]) -> usize {
    let mut parsed = 0;
    for message in messages {
        let result: Result<serde::de::IgnoredAny, _> = serde_json::from_slice(&message.body);
        parsed += usize::from(black_box(result).is_ok());
    }
    parsed
}
