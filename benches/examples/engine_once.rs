//! Runs the engine benchmark's stream once on 1k live interactions, for `perf stat` and
//! `perf record` (cycles of this process only, steadier than wall time on a shared machine):
//! `cargo build --release -p interaction-benches --example engine_once`, then
//! `perf stat -e cycles:u target/release/examples/engine_once [count] [passes]`.

#![allow(missing_docs)]

use std::hint::black_box;

use interaction_benches::{live_agents, live_engine, live_stream};

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let passes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let (Ok(fresh), Ok(agents), Ok(stream)) = (
        live_engine(count),
        live_agents(),
        live_stream(count, 1 << 20, 1),
    ) else {
        return;
    };
    let mut effects = Vec::with_capacity(8);
    let mut applied = 0_usize;
    for _ in 0..passes {
        let mut engine = fresh.clone();
        for op in &stream {
            if let Some(input) = op.input(&agents) {
                applied += usize::from(engine.apply(input, &mut effects).is_ok());
                effects.clear();
            }
        }
        black_box(&engine);
    }
    println!("{applied} inputs applied");
}
