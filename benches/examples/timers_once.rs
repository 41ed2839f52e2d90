//! Arms and fires the timers bench's offer timers once (100k interactions, ten rounds), for
//! callgrind and perf: `handle_timeout` per fired timer.
#![allow(missing_docs)]
use interaction_benches::{interaction_ids, live_agents, queued_engine};
use interaction_core::{Action, Actor, Engine, EngineSettings, Input};
use std::hint::black_box;

fn main() {
    let (Ok(ids), Ok(agents)) = (interaction_ids(100_000), live_agents()) else {
        return;
    };
    let settings = EngineSettings {
        offer_timeout: Some(1000),
        ..EngineSettings::default()
    };
    let Ok(mut engine) = queued_engine(&ids, settings) else {
        return;
    };
    let mut effects = Vec::new();
    let mut fired = Vec::with_capacity(ids.len());
    let mut total = 0;
    for round in 0..10u64 {
        let now = round * 2000;
        for (i, id) in ids.iter().enumerate() {
            let Some(agent) = agents.get(i % agents.len()).cloned() else {
                continue;
            };
            let offer = Input::new(id.clone(), Action::Offer { agent }, Actor::Platform).at(now);
            let _ = black_box(engine.apply(offer, &mut effects));
        }
        effects.clear();
        total += fire(&mut engine, now + 1000, &mut fired, &mut effects);
        fired.clear();
        effects.clear();
    }
    println!("{total}");
}

#[inline(never)]
fn fire(
    engine: &mut Engine,
    now: u64,
    fired: &mut Vec<interaction_core::Fired>,
    effects: &mut Vec<interaction_core::Effect>,
) -> usize {
    engine.handle_timeout(now, fired, effects);
    fired.len()
}
