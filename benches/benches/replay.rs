//! `interactions replay` throughput, in lines per second: a generated mixed-vendor trace of
//! about a million lines (`interactions generate --interactions 240000 --seed 1`, built in
//! memory before the clock starts), replayed with `--jobs 1` and `--jobs 2` into a buffered
//! sink (the output's bytes are copied, as into stdout's buffer, then dropped), JSON output:
//! the default mix (`replay/default_mix`) and the same without the VCC Calls API
//! (`--mix 35,30,25,0`, `replay/without_calls`). Run:
//! `cargo bench -p interaction-benches --bench replay`.

// criterion's macros generate undocumented public items (`benches`, `main`).
#![allow(missing_docs)]

use std::io::{BufWriter, Cursor, sink};
use std::num::NonZeroUsize;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use interaction_cli::generate::{Generator, Mix};
use interaction_cli::{Format, Options};

/// The `interactions` binary's allocator, so that the benchmark measures what the binary does
/// (with glibc's, `--jobs 2` is slower than `--jobs 1`: docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Interactions in the trace (about 4.16 lines each: 1M lines).
const INTERACTIONS: usize = 240_000;

fn replay(c: &mut Criterion) {
    let without_calls = Mix {
        calls: 0,
        ..Mix::default()
    };
    replay_mix(c, "default_mix", Mix::default(), INTERACTIONS);
    replay_mix(c, "without_calls", without_calls, INTERACTIONS);
}

fn replay_mix(c: &mut Criterion, name: &str, mix: Mix, interactions: usize) {
    let mut text = Vec::new();
    if Generator::new(interactions, 1)
        .with_mix(mix)
        .write_to(&mut text)
        .is_err()
    {
        return;
    }
    #[allow(clippy::naive_bytecount)] // once, before the clock starts
    let lines = text.iter().filter(|b| **b == b'\n').count();
    let mut group = c.benchmark_group(format!("replay/{name}"));
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    for jobs in [1, 2] {
        let Some(jobs_n) = NonZeroUsize::new(jobs) else {
            continue;
        };
        group.bench_function(BenchmarkId::new("jobs", jobs), |b| {
            b.iter(|| {
                // Through a `BufWriter`, as the binary writes to stdout: JSON written straight into
                // a `Sink` would skip copying the output's bytes (a tenth of a replay).
                let mut out = BufWriter::new(sink());
                let options = Options {
                    format: Format::Json,
                    jobs: jobs_n,
                    ..Options::default()
                };
                interaction_cli::replay(Cursor::new(&text), &mut out, &options)
                    .map(|summary| summary.records)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
