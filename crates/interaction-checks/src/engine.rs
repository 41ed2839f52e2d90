//! The `engine_actions` target: drives the engine with arbitrary sequences of operations and checks its promises after each
//! one (MODEL.md section 5):
//!
//! * a refused input leaves the engine equal to before and the effects buffer unchanged;
//! * `ended` is absorbing: input for an ended interaction is refused `already_ended`, or is a
//!   duplicate, or is the platform restating the same end (an applied no-op);
//! * a duplicate or an ignored input emits no effect;
//! * `allowed(id, agent)` agrees with `apply` (on request, see [`Op::CheckAllowed`]);
//! * a serde snapshot restores an equal engine (on request, see [`Op::Snapshot`]);
//! * time (MODEL.md section 10): `handle_timeout` fires no timer before its deadline, leaves
//!   nothing overdue, and every timer it fires was applied; agent actions that are refused
//!   change nothing; with the case's timers and wrap-up media set.
//!
//! Operations name interactions, agents, providers and names by small indices, so that the
//! fuzzer hits the same few ids again and again, as real traffic does.

use arbitrary::{Arbitrary, Unstructured};
use interaction_core::{
    Action, ActionKind, Actor, AgentAction, AgentId, Api, ApiSet, Callee, Caller, Direction,
    Effect, Engine, EngineSettings, ErrorKind, FiredStep, IdempotencyKey, Input, InteractionId,
    Media, MediaSet, Name, Number, Outcome, Permission, Permissions, ProviderName,
    ProviderSettings, StateKind, Step, UserData, Value,
};

const IDS: [&str; 3] = ["i0", "i1", "i2"];
const AGENTS: [&str; 3] = ["a0", "a1", "a2"];
/// `p0` and `p1` are registered at the start; `ghost` never is.
const PROVIDERS: [&str; 3] = ["p0", "p1", "ghost"];
const NAMES: [&str; 2] = ["n0", "n1"];

/// One fuzz case: engine bounds, the two providers' permissions, and the operations.
#[derive(Arbitrary, Debug)]
pub struct Case {
    /// Tiny bounds (`max_ended`, `max_forgotten`, `max_idempotency_keys` mod 4; `max_live`,
    /// `max_agents` mod 8), else the defaults.
    bounds: Option<(u8, u8, u8, u8, u8)>,
    /// Whether the VCC and GWS namespaces are shared (`shared_apis`).
    shared: bool,
    /// `offer_timeout`, `max_no_answer` (mod 4), `wrap_up_timeout`, `agent_heartbeat_timeout`
    /// in milliseconds, each when set; and the media that require wrap-up (a bit each).
    timers: (Option<u16>, Option<u8>, Option<u16>, Option<u16>, u8),
    /// `agentactionspermitted` of `p0` and `p1`.
    providers: [Perms; 2],
    ops: Vec<Op>,
}

/// A first sight's media, whether it is outbound, and its initial user data.
type FirstSightArgs = (FMedia, bool, Vec<(u8, FValue)>);

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Perms([Option<bool>; 4]);

#[derive(Arbitrary, Debug)]
enum Op {
    /// `Engine::apply`.
    Apply {
        id: u8,
        action: Act,
        actor: Who,
        key: Option<u8>,
        /// Media, outbound, initial user data.
        first_sight: Option<FirstSightArgs>,
        /// The API it comes through: mostly `core`, sometimes a vendor's.
        api: u8,
        /// Milliseconds after the clock that it happened (`Input::now`), when given.
        after: Option<u16>,
        /// The input's own say on wrap-up (`Input::wrap_up`).
        wrap_up: Option<bool>,
    },
    /// An agent action (`Engine::apply_agent`): log in, log out, ready, not ready, after-call
    /// work.
    Agent(u8, u8),
    /// An Anywhere365 heartbeat (`Engine::heartbeat`).
    Heartbeat(u8),
    /// `Engine::handle_timeout` this many milliseconds after the clock.
    Advance(u16),
    LogIn(u8),
    LogOut(u8),
    /// Register a provider again (an upsert), or the ghost for the first time.
    Register(u8, Perms),
    /// Check `allowed(id, agent)` against `apply` on clones, for every action kind.
    CheckAllowed {
        id: u8,
        agent: u8,
    },
    /// Snapshot with serde_json, restore, compare.
    Snapshot,
}

#[derive(Arbitrary, Debug)]
enum Who {
    Agent(u8),
    Provider(Option<u8>),
    Platform,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum FMedia {
    Live,
    Nonlive,
    Chat,
}

#[derive(Arbitrary, Debug)]
enum FValue {
    Null,
    Bool(bool),
    Int(i64),
    /// Any float but NaN and the infinities (`1e308` included): a snapshot keeps it exactly.
    Float(f64),
    Str(u8),
    List(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Act {
    Dispatch {
        route: u8,
        media: FMedia,
        outbound: bool,
        data: Vec<(u8, FValue)>,
    },
    Offer(u8),
    Accept,
    Reject,
    Revoke,
    Assign(u8),
    Hold,
    Retrieve,
    TransferToAgent(u8),
    TransferToRoute(u8),
    Transferred(u8),
    PlaceInQueue(u8),
    PlaceInWorkbin(u8),
    Pull(u8),
    Dial {
        /// An agent, or (None) agent groups.
        from: Option<u8>,
        /// An agent, or (None) a telephone number.
        to: Option<u8>,
        media: FMedia,
    },
    Answer(Option<u8>),
    Complete,
    Cancel,
    Release,
    Disconnect(u8),
    UpdateUserData(Vec<(u8, FValue)>),
    AttachUserData(Vec<(u8, FValue)>),
    DeleteUserData(Vec<u8>),
}

fn at<'a>(items: &[&'a str], i: u8) -> &'a str {
    items[usize::from(i) % items.len()]
}

fn ix(i: u8) -> InteractionId {
    InteractionId::parse(at(&IDS, i), "interaction").unwrap()
}

fn agent(i: u8) -> AgentId {
    AgentId::parse(at(&AGENTS, i), "agent").unwrap()
}

fn name(i: u8) -> Name {
    Name::parse(at(&NAMES, i), "name").unwrap()
}

fn provider(i: u8) -> ProviderName {
    ProviderName::parse(at(&PROVIDERS, i), "provider").unwrap()
}

fn permissions(p: Perms) -> Permissions {
    Permission::ALL
        .into_iter()
        .zip(p.0)
        .fold(Permissions::defaults(), |acc, (perm, set)| match set {
            Some(allowed) => acc.with(perm, allowed),
            None => acc,
        })
}

fn media(m: FMedia) -> Media {
    match m {
        FMedia::Live => Media::Live,
        FMedia::Nonlive => Media::Nonlive,
        FMedia::Chat => Media::Chat,
    }
}

fn value(v: &FValue) -> Value {
    match v {
        FValue::Null => Value::Null,
        FValue::Bool(b) => Value::Bool(*b),
        FValue::Int(n) => Value::Number(Number::from_i64(*n)),
        FValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        FValue::Str(i) => Value::String(format!("s{}", i % 4)),
        FValue::List(items) => Value::Array(
            items
                .iter()
                .map(|i| Value::Number(Number::from_u64(u64::from(*i))))
                .collect(),
        ),
    }
}

fn user_data(pairs: &[(u8, FValue)]) -> UserData {
    pairs
        .iter()
        .map(|(k, v)| (format!("k{}", k % 4), value(v)))
        .collect()
}

fn action(a: &Act) -> Action {
    match a {
        Act::Dispatch {
            route,
            media: m,
            outbound,
            data,
        } => Action::Dispatch {
            route: name(*route),
            media: media(*m),
            direction: if *outbound {
                Direction::Outbound
            } else {
                Direction::Inbound
            },
            user_data: user_data(data),
        },
        Act::Offer(a) => Action::Offer { agent: agent(*a) },
        Act::Accept => Action::Accept,
        Act::Reject => Action::Reject,
        Act::Revoke => Action::Revoke,
        Act::Assign(a) => Action::Assign { agent: agent(*a) },
        Act::Hold => Action::Hold,
        Act::Retrieve => Action::Retrieve,
        Act::TransferToAgent(a) => Action::TransferToAgent { agent: agent(*a) },
        Act::TransferToRoute(n) => Action::TransferToRoute { route: name(*n) },
        Act::Transferred(a) => Action::Transferred { agent: agent(*a) },
        Act::PlaceInQueue(n) => Action::PlaceInQueue { queue: name(*n) },
        Act::PlaceInWorkbin(n) => Action::PlaceInWorkbin { workbin: name(*n) },
        Act::Pull(a) => Action::Pull { agent: agent(*a) },
        Act::Dial { from, to, media: m } => Action::Dial {
            from: match from {
                Some(a) => Caller::Agent(agent(*a)),
                None => Caller::Groups(vec![name(0)]),
            },
            to: match to {
                Some(a) => Callee::Agent(agent(*a)),
                None => Callee::Number(Name::parse("+31201234567", "to").unwrap()),
            },
            media: media(*m),
        },
        Act::Answer(a) => Action::Answer {
            agent: a.map(agent),
        },
        Act::Complete => Action::Complete,
        Act::Cancel => Action::Cancel,
        Act::Release => Action::Release,
        Act::Disconnect(a) => Action::Disconnect { agent: agent(*a) },
        Act::UpdateUserData(d) => Action::UpdateUserData {
            user_data: user_data(d),
        },
        Act::AttachUserData(d) => Action::AttachUserData {
            user_data: user_data(d),
        },
        Act::DeleteUserData(keys) => Action::DeleteUserData {
            keys: keys.iter().map(|k| format!("k{}", k % 4)).collect(),
        },
    }
}

fn api(i: u8) -> Api {
    match i % 8 {
        5 => Api::Vcc,
        6 => Api::Gws,
        7 => Api::Anywhere365,
        _ => Api::Core,
    }
}

fn actor(w: &Who) -> Actor {
    match w {
        Who::Agent(a) => Actor::Agent(agent(*a)),
        Who::Provider(p) => Actor::Provider(p.map(provider)),
        Who::Platform => Actor::Platform,
    }
}

/// An action of `kind` that `who` could take for itself: every agent argument is `who`.
fn probe(kind: ActionKind, who: &AgentId) -> Action {
    let me = who.clone();
    match kind {
        ActionKind::Dispatch => action(&Act::Dispatch {
            route: 0,
            media: FMedia::Live,
            outbound: false,
            data: Vec::new(),
        }),
        ActionKind::Offer => Action::Offer { agent: me },
        ActionKind::Accept => Action::Accept,
        ActionKind::Reject => Action::Reject,
        ActionKind::Revoke => Action::Revoke,
        ActionKind::Assign => Action::Assign { agent: me },
        ActionKind::Hold => Action::Hold,
        ActionKind::Retrieve => Action::Retrieve,
        ActionKind::TransferToAgent => Action::TransferToAgent { agent: me },
        ActionKind::TransferToRoute => Action::TransferToRoute { route: name(0) },
        ActionKind::Transferred => Action::Transferred { agent: me },
        ActionKind::PlaceInQueue => Action::PlaceInQueue { queue: name(0) },
        ActionKind::PlaceInWorkbin => Action::PlaceInWorkbin { workbin: name(0) },
        ActionKind::Pull => Action::Pull { agent: me },
        ActionKind::Dial => Action::Dial {
            from: Caller::Agent(me),
            to: Callee::Number(Name::parse("+31201234567", "to").unwrap()),
            media: Media::Live,
        },
        ActionKind::Answer => Action::Answer { agent: Some(me) },
        ActionKind::Complete => Action::Complete,
        ActionKind::Cancel => Action::Cancel,
        ActionKind::Release => Action::Release,
        ActionKind::Disconnect => Action::Disconnect { agent: me },
        ActionKind::UpdateUserData => Action::UpdateUserData {
            user_data: UserData::new(),
        },
        ActionKind::AttachUserData => Action::AttachUserData {
            user_data: UserData::new(),
        },
        ActionKind::DeleteUserData => Action::DeleteUserData { keys: Vec::new() },
    }
}

fn apply(engine: &mut Engine, effects: &mut Vec<Effect>, op: &Op) {
    let Op::Apply {
        id,
        action: act,
        actor: who,
        key,
        first_sight,
        api: via,
        after,
        wrap_up,
    } = op
    else {
        return;
    };
    let id_text = at(&IDS, *id);
    let mut input = Input::new(ix(*id), action(act), actor(who)).via(api(*via));
    if let Some(k) = key {
        let key = IdempotencyKey::scoped("key", None, &format!("k{}", k % 8)).unwrap();
        input = input.with_key(key);
    }
    if let Some((m, outbound, data)) = first_sight {
        let direction = if *outbound {
            Direction::Outbound
        } else {
            Direction::Inbound
        };
        input = input.with_first_sight_data(media(*m), direction, user_data(data));
    }
    if let Some(ms) = after {
        input = input.at(engine.now().saturating_add(u64::from(*ms)));
    }
    if let Some(wrap) = wrap_up {
        input = input.with_wrap_up(*wrap);
    }
    let is_platform = input.actor == Actor::Platform;

    let before = engine.clone();
    let effects_before = effects.clone();
    let was = before
        .interaction(id_text)
        .and_then(|it| it.state().end_reason())
        .or_else(|| before.forgotten(id_text));
    let forgotten = before.forgotten(id_text).is_some();
    let result = engine.apply(input, effects);
    // Never resurrected (MODEL.md section 11): an id remembered as forgotten is not created
    // again by any input, first-sight facts included.
    if forgotten {
        assert!(
            engine.interaction(id_text).is_none(),
            "a forgotten id was revived: {result:?}"
        );
    }

    match &result {
        Err(err) => {
            assert_eq!(*engine, before, "refused ({err}) but changed the engine");
            assert_eq!(*effects, effects_before, "refused but touched the effects");
        }
        Ok(step) if step.outcome != Outcome::Applied => {
            assert_eq!(*effects, effects_before, "{step:?} emitted effects");
        }
        Ok(_) => {}
    }
    if let Some(reason) = was {
        match &result {
            Err(err) => assert!(
                matches!(
                    err.kind(),
                    ErrorKind::AlreadyEnded
                        | ErrorKind::IdempotencyConflict
                        | ErrorKind::NotPermitted
                ),
                "{err}"
            ),
            Ok(Step {
                outcome: Outcome::Duplicate,
                ..
            }) => {}
            Ok(step) => {
                assert!(is_platform, "a non-platform input was accepted once ended");
                assert_eq!(step.outcome, Outcome::Applied);
                assert_eq!(
                    (step.from, step.to),
                    (Some(StateKind::Ended), Some(StateKind::Ended))
                );
                assert_eq!(step.reason, Some(reason));
                assert_eq!(*effects, effects_before);
                assert_eq!(engine.interaction(id_text), before.interaction(id_text));
            }
        }
        let now = engine
            .interaction(id_text)
            .and_then(|it| it.state().end_reason())
            .or_else(|| engine.forgotten(id_text));
        assert_eq!(now, Some(reason), "an ended interaction changed");
    }
}

/// A session change (`log_in`, `log_out`): refused only when the agents are at `max_agents`,
/// and then nothing changes.
fn session(
    engine: &mut Engine,
    change: impl FnOnce(&mut Engine) -> Result<(), interaction_core::Error>,
) {
    let before = engine.clone();
    if let Err(err) = change(engine) {
        assert_eq!(err.kind(), ErrorKind::NotPermitted, "{err}");
        assert_eq!(
            *engine, before,
            "a refused session change changed the engine"
        );
    }
}

fn check_allowed(engine: &Engine, id: u8, who: u8) {
    let who = agent(who);
    let id_text = at(&IDS, id);
    let allowed = engine.allowed(id_text, who.as_str());
    let known = engine.interaction(id_text).is_some();
    for kind in ActionKind::ALL {
        let mut copy = engine.clone();
        let input = Input::new(ix(id), probe(kind, &who), Actor::Agent(who.clone()));
        let result = copy.apply(input, &mut Vec::new());
        let applied = matches!(
            result,
            Ok(Step {
                outcome: Outcome::Applied,
                ..
            })
        );
        // Dialing on an unknown id creates it; `allowed` speaks of existing interactions.
        let creates = kind == ActionKind::Dial && !known;
        assert_eq!(
            allowed.contains(kind),
            applied && !creates,
            "allowed disagrees with apply on {kind} for {who} on {id_text}: {result:?}"
        );
    }
}

/// An agent action: a refusal changes nothing.
fn agent_action(engine: &mut Engine, a: u8, kind: u8) {
    let action = match kind % 5 {
        0 => AgentAction::LogIn,
        1 => AgentAction::LogOut,
        2 => AgentAction::SetReady,
        3 => AgentAction::SetNotReady {
            reason: Some(name(kind)),
        },
        _ => AgentAction::SetAfterCallWork,
    };
    let before = engine.clone();
    if let Err(e) = engine.apply_agent(agent(a), action) {
        assert_eq!(
            *engine, before,
            "a refused agent action ({e}) changed the engine"
        );
    }
}

/// `handle_timeout` `ms` after the clock: nothing fires early, nothing due is left armed, and
/// each fired timer's effects are in the buffer where it says.
fn advance(engine: &mut Engine, effects: &mut Vec<Effect>, ms: u16) {
    let now = engine.now().saturating_add(u64::from(ms));
    let mut fired = Vec::new();
    let start = effects.len();
    engine.handle_timeout(now, &mut fired, effects);
    let mut last = 0;
    for f in &fired {
        assert!(
            f.deadline <= now,
            "fired early: due {} at {now}",
            f.deadline
        );
        assert!(f.deadline >= last, "fired out of order");
        last = f.deadline;
        assert!(
            f.effects.start >= start && f.effects.end <= effects.len(),
            "a fired timer's effects are outside the buffer"
        );
        if let FiredStep::Interaction { step, .. } = &f.step {
            assert_eq!(
                step.outcome,
                Outcome::Applied,
                "a timer's step was not applied"
            );
        }
    }
    assert!(
        engine.poll_timeout().is_none_or(|due| due > now),
        "a timer due at {now} is still armed"
    );
    assert_eq!(engine.now(), now);
}

/// Reads a [`Case`] from arbitrary bytes and runs it (the `engine_actions` fuzz target).
pub fn engine_actions(data: &[u8]) {
    if let Ok(case) = Case::arbitrary_take_rest(Unstructured::new(data)) {
        run(&case);
    }
}

/// Runs one case, checking the engine's promises after every operation.
pub fn run(case: &Case) {
    let settings = match case.bounds {
        Some((ended, forgotten, keys, live, agents)) => EngineSettings {
            max_ended: usize::from(ended % 4),
            max_forgotten: usize::from(forgotten % 4),
            max_idempotency_keys: usize::from(keys % 4),
            max_live: usize::from(live % 8),
            max_agents: usize::from(agents % 8),
            ..EngineSettings::default()
        },
        None => EngineSettings::default(),
    };
    let (offer, no_answer, wrap, heartbeat, wrap_media) = case.timers;
    let settings = EngineSettings {
        shared_apis: if case.shared {
            ApiSet::of([Api::Vcc, Api::Gws])
        } else {
            ApiSet::EMPTY
        },
        offer_timeout: offer.map(u64::from),
        max_no_answer: no_answer.map(|n| u32::from(n % 4)),
        wrap_up_timeout: wrap.map(u64::from),
        agent_heartbeat_timeout: heartbeat.map(u64::from),
        wrap_up: MediaSet::of(
            &[Media::Live, Media::Nonlive, Media::Chat]
                .into_iter()
                .enumerate()
                .filter(|(i, _)| wrap_media & (1 << i) != 0)
                .map(|(_, m)| m)
                .collect::<Vec<_>>(),
        ),
        ..settings
    };
    let mut engine = Engine::with_settings(settings);
    for (i, perms) in case.providers.iter().enumerate() {
        engine
            .register_provider(
                provider(u8::try_from(i).unwrap()),
                ProviderSettings {
                    permissions: permissions(*perms),
                    ..ProviderSettings::default()
                },
            )
            .expect("room for the providers of a case");
    }
    let mut effects = Vec::new();
    for op in case.ops.iter().take(256) {
        match op {
            Op::Apply { .. } => apply(&mut engine, &mut effects, op),
            Op::LogIn(a) => session(&mut engine, |e| {
                e.log_in(agent(*a)).map_err(interaction_core::Error::from)
            }),
            Op::LogOut(a) => session(&mut engine, |e| {
                e.log_out(agent(*a)).map_err(interaction_core::Error::from)
            }),
            Op::Register(p, perms) => {
                let _ = engine.register_provider(
                    provider(*p),
                    ProviderSettings {
                        permissions: permissions(*perms),
                        ..ProviderSettings::default()
                    },
                );
            }
            Op::CheckAllowed { id, agent } => check_allowed(&engine, *id, *agent),
            Op::Agent(a, kind) => agent_action(&mut engine, *a, *kind),
            Op::Heartbeat(a) => {
                engine.heartbeat(&agent(*a));
            }
            Op::Advance(ms) => advance(&mut engine, &mut effects, *ms),
            Op::Snapshot => {
                let text = serde_json::to_string(&engine).unwrap();
                let restored: Engine = serde_json::from_str(&text).unwrap();
                assert_eq!(restored, engine, "snapshot did not restore an equal engine");
            }
        }
        // The caller's buffer: keep it from growing without bound.
        if effects.len() > 1024 {
            effects.clear();
        }
    }
}
