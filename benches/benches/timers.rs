//! Timers (MODEL.md section 10): `Engine::handle_timeout` per fired timer, beside the floor of a
//! bare `BinaryHeap`.
//!
//! * `timers/handle_timeout/100k`: an engine of 100 000 live interactions (queued, dispatched by
//!   the platform) with `offer_timeout` set; each iteration offers every one of them to one of
//!   the bench's agents (arming 100 000 offer timers; not timed), then times
//!   `handle_timeout` at the deadline, which fires all of them (a platform `revoke` each: back
//!   to `queued`, a `redistribute` effect, the agent's run of no-answers counted); ten rounds, so
//!   1M timers armed and fired an iteration.
//! * `timers/floor/100k`: the same rounds on a `BinaryHeap<Reverse<(deadline, seq, slot)>>`: push
//!   100 000 entries (not timed), then time popping every entry due, writing each slot out.
//!
//! Run: `cargo bench -p interaction-benches --bench timers`.

// criterion's macros generate undocumented public items (`benches`, `main`).
#![allow(missing_docs)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interaction_benches::{interaction_ids, live_agents, queued_engine};
use interaction_core::{Action, Actor, EngineSettings, Input};

const LIVE: usize = 100_000;
const LIVE_U32: u32 = 100_000;
const ROUNDS: u64 = 10;
const TIMEOUT: u64 = 1_000;

fn timers(c: &mut Criterion) {
    let (Ok(ids), Ok(agents)) = (interaction_ids(LIVE), live_agents()) else {
        return;
    };
    let settings = EngineSettings {
        offer_timeout: Some(TIMEOUT),
        ..EngineSettings::default()
    };
    let Ok(fresh) = queued_engine(&ids, settings) else {
        return;
    };
    let mut group = c.benchmark_group("timers");
    group.throughput(Throughput::Elements(u64::from(LIVE_U32) * ROUNDS));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("handle_timeout/100k", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut effects = Vec::with_capacity(LIVE);
            let mut fired = Vec::with_capacity(LIVE);
            for _ in 0..iters {
                let mut engine = fresh.clone();
                for round in 0..ROUNDS {
                    let now = round * 2 * TIMEOUT;
                    for (i, id) in ids.iter().enumerate() {
                        let Some(agent) = agents.get(i % agents.len()).cloned() else {
                            continue;
                        };
                        let offer =
                            Input::new(id.clone(), Action::Offer { agent }, Actor::Platform)
                                .at(now);
                        let _ = black_box(engine.apply(offer, &mut effects));
                    }
                    effects.clear();
                    let start = Instant::now();
                    engine.handle_timeout(now + TIMEOUT, &mut fired, &mut effects);
                    total += start.elapsed();
                    black_box(fired.len());
                    fired.clear();
                    effects.clear();
                }
                drop(black_box(engine));
            }
            total
        });
    });
    group.bench_function("floor/100k", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut out: Vec<u32> = Vec::with_capacity(LIVE);
            for _ in 0..iters {
                let mut heap = BinaryHeap::with_capacity(LIVE);
                let mut seq = 0u64;
                for round in 0..ROUNDS {
                    let now = round * 2 * TIMEOUT;
                    for slot in 0..LIVE_U32 {
                        heap.push(Reverse((now + TIMEOUT, seq, slot)));
                        seq += 1;
                    }
                    let start = Instant::now();
                    while let Some(Reverse((deadline, _, slot))) = heap.peek().copied() {
                        if deadline > now + TIMEOUT {
                            break;
                        }
                        heap.pop();
                        out.push(slot);
                    }
                    total += start.elapsed();
                    black_box(out.len());
                    out.clear();
                }
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, timers);
criterion_main!(benches);
