//! Decode and apply, per vendor message kind: the adapter decodes the body (and maps it
//! against the interaction's state where the vendor's meaning depends on it) and the engine
//! applies it; beside the floor for reading JSON, serde_json parsing the same bytes into
//! `serde::de::IgnoredAny`.
//!
//! `decode/<kind>/endpoint` is the same message through the vendor crate's public endpoint
//! (`interaction_vcc::handle_request`, ...): the HTTP request in, the response, the item and the
//! outgoing requests out, as a service embedding the crates runs it.
//!
//! `decode/<kind>/adapter_and_apply` and `decode/<kind>/serde_json_ignored_any`, for the kinds of
//! `interaction_benches::bodies::Kind`: each iteration takes a batch of 10 000 distinct
//! messages, applied to a fresh clone of the engine they were made for (cloned outside the
//! clock). Run: `cargo bench -p interaction-benches --bench decode`.

// criterion's macros generate undocumented public items (`benches`, `main`).
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interaction_benches::bodies::{Adapters, Kind, decode_and_apply, handle, workload};

/// Messages per batch.
const BATCH: usize = 10_000;

fn decode(c: &mut Criterion) {
    let subscriptions = interaction_anywhere365::Subscriptions::new();
    for kind in Kind::ALL {
        let Ok((fresh, messages)) = workload(kind, BATCH) else {
            return;
        };
        let mut group = c.benchmark_group(format!("decode/{}", kind.name()));
        group.throughput(Throughput::Elements(BATCH as u64));
        group.sample_size(20);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(3));
        group.bench_function("adapter_and_apply", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut engine = fresh.clone();
                    let mut effects = Vec::with_capacity(8);
                    let start = Instant::now();
                    for message in &messages {
                        let step = decode_and_apply(
                            kind,
                            &mut engine,
                            &subscriptions,
                            message,
                            &mut effects,
                        );
                        let _ = black_box(step);
                        effects.clear();
                    }
                    total += start.elapsed();
                    drop(engine);
                }
                total
            });
        });
        group.bench_function("endpoint", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut engine = fresh.clone();
                    let mut adapters = Adapters::default();
                    let start = Instant::now();
                    for message in &messages {
                        let handled = handle(kind, &mut engine, &mut adapters, message);
                        let _ = black_box(handled);
                    }
                    total += start.elapsed();
                    drop(engine);
                }
                total
            });
        });
        group.bench_function("serde_json_ignored_any", |b| {
            b.iter(|| {
                for message in &messages {
                    let parsed: Result<serde::de::IgnoredAny, _> =
                        serde_json::from_slice(&message.body);
                    let _ = black_box(parsed);
                }
            });
        });
        group.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
