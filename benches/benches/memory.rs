//! Memory, measured with a counting allocator (`peak_alloc`): it prints, it does not time.
//!
//! * `memory/live_interaction`: bytes the engine holds per live interaction (connected to an
//!   agent, no user data) at 1M interactions, and the same for a bare `hashbrown` map of the
//!   same entry size, the floor; also at 900k, to show the hash table's growth step.
//! * `memory/replay_peak`: the most the engine (with the replayer's state) held at once while
//!   replaying a generated trace of 1M interactions (`interactions generate --interactions
//!   1000000 --seed 1`, made line by line, never held whole).
//!
//! * `memory/forgotten`: bytes per ended interaction the engine no longer holds but remembers
//!   by its fingerprint (`max_forgotten`), at 1M.
//! * `memory/idempotency_key`: bytes per idempotency key remembered (`max_idempotency_keys`),
//!   at 1M, for keys of a GUID and of 256 bytes, each scoped by a provider name.
//! * `memory/armed_timer`: bytes per armed offer timer (`offer_timeout`), at 1M interactions
//!   offered at once: what offering them costs with the timer set, less what it costs without.
//! * `memory/gws_state`: bytes the GWS adapter's own state (`interaction_gws::AdapterState`)
//!   holds when full: `MAX_REFERENCES` answers that carried a `referenceId` (workitem `Create`s
//!   answered through the endpoint), and 4 096 consult pairs (an `InitiateTransfer` on each of
//!   4 096 established calls), each measured as what the state grew by.
//!
//! Run: `cargo bench -p interaction-benches --bench memory`.

// A bench with its own `main`: no docs to generate. Byte counts are printed as floats, far
// below 2^52.
#![allow(missing_docs, clippy::cast_precision_loss)]

use interaction_benches::live_engine;
use interaction_cli::Replayer;
use interaction_cli::generate::Generator;
use interaction_core::{
    Action, Actor, AgentId, Direction, Engine, EngineSettings, IdempotencyKey, Input, Interaction,
    InteractionId, Media, Name, UserData,
};
use peak_alloc::PeakAlloc;

const MIB: f64 = 1_048_576.0;

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

fn live(count: usize) {
    let before = ALLOCATOR.current_usage();
    let Ok(engine) = live_engine(count) else {
        return;
    };
    let engine_bytes = ALLOCATOR.current_usage().saturating_sub(before);
    let before = ALLOCATOR.current_usage();
    let floor: hashbrown::HashMap<InteractionId, [u64; 15]> = engine
        .interactions()
        .map(|(id, _)| (id.clone(), [0; 15]))
        .collect();
    let floor_bytes = ALLOCATOR.current_usage().saturating_sub(before);
    let per = |bytes: usize| bytes as f64 / count as f64;
    println!(
        "memory/live_interaction/{count}: engine {:.1} bytes per live interaction ({:.1} MiB); \
         bare hashbrown map of the same entry size {:.1} bytes ({:.1} MiB); ratio {:.2}",
        per(engine_bytes),
        engine_bytes as f64 / MIB,
        per(floor_bytes),
        floor_bytes as f64 / MIB,
        engine_bytes as f64 / floor_bytes.max(1) as f64,
    );
    drop(floor);
    drop(engine);
}

fn replay_peak(interactions: usize) {
    let mut replayer = Replayer::new();
    let mut records = Vec::new();
    let base = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let mut lines = 0;
    for (index, line) in Generator::new(interactions, 1).enumerate() {
        replayer.replay_line(index + 1, &line, &mut records);
        records.clear();
        lines = index + 1;
    }
    let peak = ALLOCATOR.peak_usage().saturating_sub(base);
    let end = ALLOCATOR.current_usage().saturating_sub(base);
    println!(
        "memory/replay_peak/{interactions}_interactions: {lines} lines; peak {:.1} MiB, at the \
         end {:.1} MiB holding {} interactions (live and retained ended ones)",
        peak as f64 / MIB,
        end as f64 / MIB,
        replayer.engine().len(),
    );
}

fn dispatch() -> Option<Action> {
    Some(Action::Dispatch {
        route: Name::parse("r", "route").ok()?,
        media: Media::Chat,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    })
}

fn forgotten(count: usize) {
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: 0,
        max_forgotten: count,
        ..EngineSettings::default()
    });
    let mut effects = Vec::new();
    let before = ALLOCATOR.current_usage();
    for i in 0..count {
        let (Ok(id), Some(action)) = (InteractionId::parse(&format!("f-{i}"), "id"), dispatch())
        else {
            return;
        };
        let _ = engine.apply(
            Input::new(id.clone(), action, Actor::Platform),
            &mut effects,
        );
        let _ = engine.apply(
            Input::new(id, Action::Release, Actor::Platform),
            &mut effects,
        );
    }
    let bytes = ALLOCATOR.current_usage().saturating_sub(before);
    println!(
        "memory/forgotten/{count}: {:.1} bytes per remembered id ({:.1} MiB; {} remembered, {} held)",
        bytes as f64 / count as f64,
        bytes as f64 / MIB,
        engine.forgotten_len(),
        engine.len(),
    );
}

fn keys(count: usize, label: &str, key: impl Fn(usize) -> String) {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let (Ok(id), Ok(agent), Some(action)) = (
        InteractionId::parse("k", "id"),
        AgentId::parse("a", "agent"),
        dispatch(),
    ) else {
        return;
    };
    let _ = engine.apply(
        Input::new(id.clone(), action, Actor::Platform),
        &mut effects,
    );
    let _ = engine.apply(
        Input::new(id.clone(), Action::Assign { agent }, Actor::Platform),
        &mut effects,
    );
    let before = ALLOCATOR.current_usage();
    for i in 0..count {
        let Ok(key) = IdempotencyKey::scoped("requestid", Some("TestProviderName"), &key(i)) else {
            return;
        };
        // A platform accept of a connected interaction restates it: applied, the key kept.
        let _ = engine.apply(
            Input::new(id.clone(), Action::Accept, Actor::Platform).with_key(key),
            &mut effects,
        );
    }
    let bytes = ALLOCATOR.current_usage().saturating_sub(before);
    println!(
        "memory/idempotency_key/{label}/{count}: {:.1} bytes per key ({:.1} MiB; {} remembered)",
        bytes as f64 / count as f64,
        bytes as f64 / MIB,
        engine.idempotency_keys(),
    );
}

/// Bytes the engine allocates to offer `count` queued interactions, under `settings`.
fn offer_bytes(count: usize, settings: EngineSettings) -> Option<usize> {
    let ids = interaction_benches::interaction_ids(count).ok()?;
    let mut engine = interaction_benches::queued_engine(&ids, settings).ok()?;
    let agent = AgentId::parse("agent-1", "agent").ok()?;
    let mut effects = Vec::new();
    let before = ALLOCATOR.current_usage();
    for id in ids {
        let offer = Action::Offer {
            agent: agent.clone(),
        };
        engine
            .apply(Input::new(id, offer, Actor::Platform).at(1), &mut effects)
            .ok()?;
        effects.clear();
    }
    let bytes = ALLOCATOR.current_usage().saturating_sub(before);
    drop(engine);
    Some(bytes)
}

fn armed(count: usize) {
    let timed = EngineSettings {
        offer_timeout: Some(20_000),
        ..EngineSettings::default()
    };
    let (Some(with), Some(without)) = (
        offer_bytes(count, timed),
        offer_bytes(count, EngineSettings::default()),
    ) else {
        return;
    };
    let bytes = with.saturating_sub(without);
    println!(
        "memory/armed_timer/{count}: {:.1} bytes per armed offer timer ({:.1} MiB)",
        bytes as f64 / count as f64,
        bytes as f64 / MIB,
    );
}

/// Ids for the GWS answers: 1, 2, ...
struct Counter(u64);

impl interaction_wire::IdSource for Counter {
    fn next_id(&mut self, _: interaction_wire::IdKind) -> String {
        self.0 += 1;
        self.0.to_string()
    }
}

/// Consult pairs `memory/gws_state` measures.
const PAIRS: usize = 4096;

fn gws_state() {
    use interaction_gws::{AdapterState, MAX_REFERENCES, handle_message, handle_request};
    use interaction_wire::Request;
    let mut engine = Engine::new();
    let mut ids = Counter(0);
    let post = |target: &str, body: String, f: &mut dyn FnMut(&Request<'_>)| {
        let request = Request {
            identity: Some("1001"),
            ..Request::post(target, body.as_bytes())
        };
        f(&request);
    };
    // What `grow` adds to the allocator's usage, printed per one of `count` `what`s.
    let measure = |name: &str, what: &str, grow: &mut dyn FnMut() -> usize| {
        let before = ALLOCATOR.current_usage();
        let count = grow();
        let bytes = ALLOCATOR.current_usage().saturating_sub(before);
        println!(
            "memory/gws_state/{name}: {count} {what}, {:.1} bytes each ({:.2} MiB)",
            bytes as f64 / count.max(1) as f64,
            bytes as f64 / MIB,
        );
    };
    // The references: what the state grows by as the answers fill it.
    let mut state = AdapterState::new();
    measure("references", "answers", &mut || {
        for _ in 0..MAX_REFERENCES {
            post(
                "/api/v2/me/workitems",
                r#"{"operationName": "Create"}"#.to_owned(),
                &mut |r| drop(handle_request(&mut engine, &mut state, r, &mut ids)),
            );
        }
        state.references.len()
    });
    // The pairs: the calls established first, then the state's growth by the initiations.
    let mut state = AdapterState::new();
    for i in 0..PAIRS {
        let body = format!(
            r#"{{"messageType": "CallStateChangeMessage", "notificationType": "StatusChange", "call": {{"id": "012PUFMMS0ASNAK48O7GK2L{i:09}", "state": "Established"}}}}"#
        );
        post("/v2/me/calls", body, &mut |r| {
            drop(handle_message(&mut engine, &mut state, r, &mut ids));
        });
    }
    measure("consult_pairs", "pairs", &mut || {
        for i in 0..PAIRS {
            post(
                &format!("/api/v2/me/calls/012PUFMMS0ASNAK48O7GK2L{i:09}"),
                r#"{"operationName": "InitiateTransfer", "destination": {"phoneNumber": "15002"}}"#
                    .to_owned(),
                &mut |r| drop(handle_request(&mut engine, &mut state, r, &mut ids)),
            );
        }
        state.consults.len()
    });
}

fn main() {
    println!(
        "sizes: InteractionId {} bytes, Interaction {} bytes",
        size_of::<InteractionId>(),
        size_of::<Interaction>()
    );
    live(1_000_000);
    live(900_000);
    forgotten(1_000_000);
    keys(1_000_000, "guid", |i| {
        format!(
            "{:08x}-0000-4000-8000-{:012x}",
            i,
            i.wrapping_mul(2_654_435_761)
        )
    });
    keys(1_000_000, "256_bytes", |i| format!("{i:0>256}"));
    armed(1_000_000);
    gws_state();
    replay_peak(1_000_000);
}
