//! The lifecycle step (state and action in, next state out) on streams of a million events:
//! our core's `table::next` (and `table::step(..).unwrap_or(state)`, the same through an
//! `Option`) beside a hand-written table (the floor), statig and rust-fsm.
//!
//! * `step/serial_{valid,any}`: one interaction at a time, each step depending on the one
//!   before (a new interaction starts queued when the previous one ends).
//! * `step/interleaved_64k_{valid,any}`: 65 536 interactions, a pseudo-random one takes each
//!   step; the states live in an array (a machine each for the peers).
//!
//! `valid` draws among the actions the table allows from the current state, `any` among all
//! 23 (most are refused: the state stays). The stream is 1M events, so the branch predictor
//! cannot learn it. Run: `cargo bench -p interaction-benches --bench step`.

// criterion's macros generate undocumented public items (`benches`, `main`).
#![allow(missing_docs)]

#[path = "support/peers.rs"]
mod peers;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use interaction_benches::{Draw, StepEvent, interleaved_step_stream, step_stream};
use interaction_core::{StateKind, table};
use peers::{Ev, Table, with_rust_fsm::lifecycle, with_statig};

/// Events per stream.
const EVENTS: usize = 1 << 20;
/// Interactions of the interleaved streams.
const INTERLEAVED: usize = 1 << 16;

fn peer_stream(stream: &[StepEvent]) -> Vec<(Ev, bool)> {
    stream.iter().map(|e| (Ev::of(e.action), e.fresh)).collect()
}

fn serial(c: &mut Criterion) {
    let table_baseline = Table::new();
    for (draw, name) in [(Draw::Valid, "valid"), (Draw::Any, "any")] {
        let stream = step_stream(EVENTS, draw, 0x5eed);
        let peer = peer_stream(&stream);
        let mut group = c.benchmark_group(format!("step/serial_{name}"));
        group.throughput(Throughput::Elements(EVENTS as u64));
        group.bench_function("core_next", |b| {
            b.iter(|| {
                let mut s = StateKind::Queued;
                for e in &stream {
                    if e.fresh {
                        s = StateKind::Queued;
                    }
                    s = table::next(s, e.action);
                }
                black_box(s)
            });
        });
        group.bench_function("core_step_unwrap_or", |b| {
            b.iter(|| {
                let mut s = StateKind::Queued;
                for e in &stream {
                    if e.fresh {
                        s = StateKind::Queued;
                    }
                    s = table::step(s, e.action).unwrap_or(s);
                }
                black_box(s)
            });
        });
        group.bench_function("table_baseline", |b| {
            b.iter(|| {
                let mut s = 0u8;
                for e in &stream {
                    if e.fresh {
                        s = 0;
                    }
                    s = table_baseline.step(s, e.action as u8);
                }
                black_box(s)
            });
        });
        group.bench_function("statig", |b| {
            b.iter(|| {
                let mut m = with_statig::machine();
                for &(ev, fresh) in &peer {
                    if fresh {
                        m = with_statig::machine();
                    }
                    m.handle(&ev);
                }
                black_box(*m.state())
            });
        });
        group.bench_function("rust_fsm", |b| {
            b.iter(|| {
                let mut m = lifecycle::StateMachine::new();
                for &(ev, fresh) in &peer {
                    if fresh {
                        m = lifecycle::StateMachine::new();
                    }
                    let _ = black_box(m.consume(&ev));
                }
                black_box(*m.state())
            });
        });
        group.finish();
    }
}

// One group per stream, the contenders side by side: long, and clearer unsplit.
#[allow(clippy::too_many_lines)]
fn interleaved(c: &mut Criterion) {
    let table_baseline = Table::new();
    for (draw, name) in [(Draw::Valid, "valid"), (Draw::Any, "any")] {
        let stream = interleaved_step_stream(INTERLEAVED, EVENTS, draw, 0x5eed);
        let peer: Vec<(usize, Ev, bool)> = stream
            .iter()
            .map(|(slot, e)| (*slot as usize, Ev::of(e.action), e.fresh))
            .collect();
        let mut group = c.benchmark_group(format!("step/interleaved_64k_{name}"));
        group.throughput(Throughput::Elements(EVENTS as u64));
        group.bench_function("core_next", |b| {
            b.iter_batched(
                || vec![StateKind::Queued; INTERLEAVED],
                |mut states| {
                    for (slot, e) in &stream {
                        if let Some(s) = states.get_mut(*slot as usize) {
                            if e.fresh {
                                *s = StateKind::Queued;
                            }
                            *s = table::next(*s, e.action);
                        }
                    }
                    states
                },
                BatchSize::PerIteration,
            );
        });
        group.bench_function("core_step_unwrap_or", |b| {
            b.iter_batched(
                || vec![StateKind::Queued; INTERLEAVED],
                |mut states| {
                    for (slot, e) in &stream {
                        if let Some(s) = states.get_mut(*slot as usize) {
                            if e.fresh {
                                *s = StateKind::Queued;
                            }
                            *s = table::step(*s, e.action).unwrap_or(*s);
                        }
                    }
                    states
                },
                BatchSize::PerIteration,
            );
        });
        group.bench_function("table_baseline", |b| {
            b.iter_batched(
                || vec![0u8; INTERLEAVED],
                |mut states| {
                    for (slot, e) in &stream {
                        if let Some(s) = states.get_mut(*slot as usize) {
                            if e.fresh {
                                *s = 0;
                            }
                            *s = table_baseline.step(*s, e.action as u8);
                        }
                    }
                    states
                },
                BatchSize::PerIteration,
            );
        });
        group.bench_function("statig", |b| {
            b.iter_batched(
                || {
                    (0..INTERLEAVED)
                        .map(|_| with_statig::machine())
                        .collect::<Vec<_>>()
                },
                |mut machines| {
                    for &(slot, ev, fresh) in &peer {
                        if let Some(m) = machines.get_mut(slot) {
                            if fresh {
                                *m = with_statig::machine();
                            }
                            m.handle(&ev);
                        }
                    }
                    machines
                },
                BatchSize::PerIteration,
            );
        });
        group.bench_function("rust_fsm", |b| {
            b.iter_batched(
                || {
                    (0..INTERLEAVED)
                        .map(|_| lifecycle::StateMachine::new())
                        .collect::<Vec<_>>()
                },
                |mut machines| {
                    for &(slot, ev, fresh) in &peer {
                        if let Some(m) = machines.get_mut(slot) {
                            if fresh {
                                *m = lifecycle::StateMachine::new();
                            }
                            let _ = black_box(m.consume(&ev));
                        }
                    }
                    machines
                },
                BatchSize::PerIteration,
            );
        });
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = serial, interleaved
}
criterion_main!(benches);
