//! Applies the engine bench's stream once (1k live interactions), for callgrind.
#![allow(missing_docs)]
use interaction_benches::{live_agents, live_engine, live_stream};
use std::hint::black_box;

fn main() {
    let (Ok(fresh), Ok(stream), Ok(agents)) = (
        live_engine(1000),
        live_stream(1000, 200_000, 0x5eed),
        live_agents(),
    ) else {
        return;
    };
    let mut engine = fresh.clone();
    println!("{}", run(&mut engine, &stream, &agents));
}

#[inline(never)]
fn run(
    engine: &mut interaction_core::Engine,
    stream: &[interaction_benches::LiveOp],
    agents: &[interaction_core::AgentId],
) -> usize {
    let mut effects = Vec::with_capacity(8);
    let mut n = 0;
    for op in stream {
        if let Some(input) = op.input(agents) {
            let step = engine.apply(input, &mut effects);
            n += usize::from(step.is_ok());
            let _ = black_box(step);
            effects.clear();
        }
    }
    n
}
