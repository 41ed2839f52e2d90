//! `Engine::apply` on many live interactions, beside the floor: a bare `hashbrown` map of the
//! same size and entry size, looked up and mutated with the same key stream.
//!
//! * `engine/apply/{1k,100k,1M}`: a million inputs on that many live interactions
//!   (`interaction_benches::live_stream`): hold, retrieve, transfer to the next agent and that
//!   agent's accept, in a cycle, each interaction drawn at random; agents' actions are checked
//!   for ownership and, on the provider's interactions (half), against the provider's rules.
//! * `engine/floor/{1k,100k,1M}`: the same stream, each operation's interaction id looked up
//!   in a `hashbrown::HashMap<InteractionId, [u64; 15]>` (24 + 120 bytes a bucket: the id
//!   and an `Interaction`, the size of the engine's slot) and its entry written.
//!
//! The stream is compact (32 bytes an operation, read in order); the `apply` loop makes each
//! operation's `Input` (cloning the ids, as a caller does) and applies it. Each iteration starts
//! from a fresh clone of the engine (or map), made outside the clock; dropping it is outside the
//! clock too. Run: `cargo bench -p interaction-benches --bench engine`.

// criterion's macros generate undocumented public items (`benches`, `main`).
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use interaction_benches::{live_agents, live_engine, live_stream};
use interaction_core::{Interaction, InteractionId};

/// Inputs per iteration.
const INPUTS: usize = 1 << 20;

/// The floor's value: as large as the engine's `Interaction`.
type Entry = [u64; 15];
const _: () = assert!(size_of::<Entry>() == size_of::<Interaction>());

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(INPUTS as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    for (count, name) in [(1_000, "1k"), (100_000, "100k"), (1_000_000, "1M")] {
        let (Ok(fresh), Ok(stream), Ok(agents)) = (
            live_engine(count),
            live_stream(count, INPUTS, 0x5eed),
            live_agents(),
        ) else {
            return;
        };
        group.bench_function(BenchmarkId::new("apply", name), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut engine = fresh.clone();
                    let mut effects = Vec::with_capacity(8);
                    let start = Instant::now();
                    for op in &stream {
                        if let Some(input) = op.input(&agents) {
                            let step = engine.apply(input, &mut effects);
                            let _ = black_box(step);
                            effects.clear();
                        }
                    }
                    total += start.elapsed();
                    drop(engine);
                }
                total
            });
        });
        let floor: hashbrown::HashMap<InteractionId, Entry> = fresh
            .interactions()
            .map(|(id, _)| (id.clone(), [0u64; 15]))
            .collect();
        group.bench_function(BenchmarkId::new("floor", name), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut map = floor.clone();
                    let start = Instant::now();
                    for op in &stream {
                        if let Some(entry) = map.get_mut(&op.interaction) {
                            entry[0] = entry[0].wrapping_add(u64::from(op.phase));
                            entry[14] ^= entry[0];
                        }
                    }
                    total += start.elapsed();
                    drop(map);
                }
                total
            });
        });
        drop(fresh);
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
