//! Criterion benchmarks of the engine's lifecycle (throughput in inputs applied per second).
//!
//! * `lifecycle/single_interaction`: one interaction at a time driven through dispatch, assign,
//!   hold, retrieve, release, over and over, each time with a fresh id taken from a pre-built
//!   pool (no id is made inside the timed loop). `max_ended` and `max_forgotten` together are
//!   smaller than the pool, so an id has been evicted, and then its fingerprint, before it comes
//!   round again: the steady state includes both evictions.
//! * `lifecycle/interleaved_64k`: 65 536 interactions, their inputs interleaved into one
//!   pre-generated stream of valid inputs (see `interaction_benches::interleaved`), applied to
//!   a fresh engine.
//!
//! Run: `cargo bench -p interaction-benches` (add `-- --quick` for a short run).

// criterion's macros generate undocumented public items (`benches`, `main`).
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use interaction_benches::{ROUTE, engine, interaction_ids, interleaved, lifecycle};
use interaction_core::{AgentId, Engine, EngineSettings, Name};

/// Ids in the pool of `single_interaction`.
const POOL: usize = 4096;
/// Interactions in `interleaved_64k`.
const INTERLEAVED: usize = 64 * 1024;

fn single_interaction(c: &mut Criterion) {
    let (Ok(ids), Ok(agent), Ok(route)) = (
        interaction_ids(POOL),
        AgentId::parse("agent-0", "agent"),
        Name::parse(ROUTE, "route"),
    ) else {
        return;
    };
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: POOL / 4,
        max_forgotten: POOL / 4,
        ..EngineSettings::default()
    });
    let mut effects = Vec::new();
    let mut next = ids.iter().cycle();

    let mut group = c.benchmark_group("lifecycle");
    group.throughput(Throughput::Elements(5));
    group.bench_function("single_interaction", |b| {
        b.iter(|| {
            let Some(id) = next.next() else { return };
            for input in lifecycle(id, &agent, &route) {
                let step = engine.apply(input, &mut effects);
                let _ = black_box(step);
            }
            effects.clear();
        });
    });
    group.finish();
}

fn interleaved_64k(c: &mut Criterion) {
    let (Ok(stream), Ok(fresh)) = (interleaved(INTERLEAVED, 0x5eed), engine()) else {
        return;
    };
    let mut group = c.benchmark_group("lifecycle");
    group.throughput(Throughput::Elements(
        u64::try_from(stream.len()).unwrap_or(u64::MAX),
    ));
    group.sample_size(10);
    group.bench_function("interleaved_64k", |b| {
        b.iter_batched(
            || (fresh.clone(), stream.clone(), Vec::with_capacity(64)),
            |(mut engine, inputs, mut effects)| {
                for input in inputs {
                    let step = engine.apply(input, &mut effects);
                    let _ = black_box(step);
                    effects.clear();
                }
                // Dropped outside the measurement by returning it.
                engine
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, single_interaction, interleaved_64k);
criterion_main!(benches);
