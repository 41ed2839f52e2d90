//! Time as an input (MODEL.md section 10): the clock, `handle_timeout` and `poll_timeout`, and
//! the timers (ring-no-answer with `max_no_answer`, wrap-up timeout, agent heartbeat), in
//! examples and as properties over random interleavings of inputs and clock advances: a timer
//! never fires early or twice, a refused input changes nothing, an agent's activity is what its
//! interactions imply, and a snapshot taken at any point restores an engine that continues
//! identically.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{agent, by, ix};
use interaction_core::{
    Action, Activity, Actor, AgentAction, AgentId, Availability, Direction, Effect, Engine,
    EngineSettings, Fired, FiredStep, Input, Media, MediaSet, Name, Session, StateKind, Timer,
};
use proptest::prelude::*;

fn timed() -> EngineSettings {
    EngineSettings {
        offer_timeout: Some(20_000),
        max_no_answer: Some(2),
        wrap_up: MediaSet::of(&[Media::Live]),
        wrap_up_timeout: Some(60_000),
        agent_heartbeat_timeout: Some(30_000),
        ..EngineSettings::default()
    }
}

fn offer(id: &str, to: &str, now: u64) -> Input {
    Input::new(ix(id), Action::Offer { agent: agent(to) }, Actor::Platform)
        .with_first_sight(Media::Live, Direction::Inbound)
        .at(now)
}

fn fire(engine: &mut Engine, now: u64) -> (Vec<Fired>, Vec<Effect>) {
    let (mut fired, mut effects) = (Vec::new(), Vec::new());
    engine.handle_timeout(now, &mut fired, &mut effects);
    (fired, effects)
}

fn ready(engine: &mut Engine, who: &str) {
    engine.log_in(agent(who)).unwrap();
    engine
        .apply_agent(agent(who), AgentAction::SetReady)
        .unwrap();
}

#[test]
fn without_settings_nothing_is_armed_and_the_clock_only_moves_forward() {
    let mut engine = Engine::new();
    engine
        .apply(offer("i1", "a1", 5_000), &mut Vec::new())
        .unwrap();
    assert_eq!(engine.now(), 5_000);
    assert_eq!(engine.poll_timeout(), None);
    assert_eq!(engine.timer("i1"), None);
    let (fired, _) = fire(&mut engine, 1_000_000);
    assert!(fired.is_empty());
    assert_eq!(
        engine.interaction("i1").unwrap().state().kind(),
        StateKind::Offered
    );
    // An earlier time keeps the clock.
    fire(&mut engine, 10);
    assert_eq!(engine.now(), 1_000_000);
}

#[test]
fn a_ring_no_answer_is_revoked_at_its_deadline_not_before_and_once() {
    let mut engine = Engine::with_settings(timed());
    ready(&mut engine, "a1");
    engine
        .apply(offer("i1", "a1", 1_000), &mut Vec::new())
        .unwrap();
    assert_eq!(engine.timer("i1"), Some((Timer::OfferTimeout, 21_000)));
    assert_eq!(engine.poll_timeout(), Some(21_000));
    let (fired, _) = fire(&mut engine, 20_999);
    assert!(fired.is_empty(), "fired early: {fired:?}");
    let (fired, effects) = fire(&mut engine, 21_000);
    assert_eq!(fired.len(), 1);
    let f = &fired[0];
    assert_eq!((f.timer, f.deadline), (Timer::OfferTimeout, 21_000));
    let FiredStep::Interaction {
        interaction,
        api,
        step,
    } = &f.step
    else {
        panic!("{f:?}")
    };
    assert_eq!(interaction.as_str(), "i1");
    assert_eq!(*api, interaction_core::Api::Core);
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Offered), Some(StateKind::Queued))
    );
    assert_eq!(step.agent.as_ref().map(AgentId::as_str), Some("a1"));
    assert!(matches!(
        effects[f.effects.clone()],
        [Effect::Redistribute { .. }]
    ));
    // One no-answer of two: still ready, idle.
    let state = f.agent_state.clone().unwrap();
    assert_eq!(
        (state.availability, state.activity),
        (Availability::Ready, Activity::Idle)
    );
    assert_eq!(engine.poll_timeout(), None);
    let (fired, _) = fire(&mut engine, 100_000);
    assert!(fired.is_empty(), "fired twice: {fired:?}");
}

#[test]
fn accepting_cancels_the_offer_timer_and_ends_the_run_of_no_answers() {
    let mut engine = Engine::with_settings(timed());
    ready(&mut engine, "a1");
    engine.apply(offer("i1", "a1", 0), &mut Vec::new()).unwrap();
    fire(&mut engine, 20_000); // no-answer 1
    engine
        .apply(offer("i1", "a1", 20_000), &mut Vec::new())
        .unwrap();
    engine
        .apply(
            Input::new(ix("i1"), Action::Accept, by("a1")).at(25_000),
            &mut Vec::new(),
        )
        .unwrap();
    assert_eq!(engine.timer("i1"), None);
    assert_eq!(engine.poll_timeout(), None);
    // Another no-answer after the accept is the first of a new run: still ready.
    engine
        .apply(offer("i2", "a1", 30_000), &mut Vec::new())
        .unwrap();
    fire(&mut engine, 50_000);
    let state = engine.agent_state("a1").unwrap();
    assert_eq!(state.availability, Availability::Ready);
}

#[test]
fn max_no_answer_in_a_row_makes_the_agent_not_ready_with_reason_no_answer() {
    let mut engine = Engine::with_settings(timed());
    ready(&mut engine, "a1");
    engine.apply(offer("i1", "a1", 0), &mut Vec::new()).unwrap();
    engine
        .apply(offer("i2", "a1", 5_000), &mut Vec::new())
        .unwrap();
    let (fired, _) = fire(&mut engine, 30_000);
    assert_eq!(fired.len(), 2);
    // In deadline order; each record's agent state is the one right after it.
    assert_eq!(fired[0].deadline, 20_000);
    assert_eq!(fired[1].deadline, 25_000);
    assert_eq!(
        fired[0].agent_state.as_ref().unwrap().availability,
        Availability::Ready
    );
    let after = fired[1].agent_state.clone().unwrap();
    assert_eq!(after.availability, Availability::NotReady);
    assert_eq!(after.reason, Some(Name::NO_ANSWER));
    assert_eq!(engine.agent_state("a1"), Some(after));
}

#[test]
fn a_transfer_to_another_agent_re_arms_the_offer_timer() {
    let mut engine = Engine::with_settings(timed());
    engine.apply(offer("i1", "a1", 0), &mut Vec::new()).unwrap();
    engine
        .apply(
            Input::new(
                ix("i1"),
                Action::TransferToAgent { agent: agent("a2") },
                Actor::Platform,
            )
            .at(10_000),
            &mut Vec::new(),
        )
        .ok();
    // Whether or not the platform may transfer an offer, the timer follows the state.
    let expected = match engine.interaction("i1").unwrap().state().offered_to() {
        Some(a) if a.as_str() == "a2" => 30_000,
        _ => 20_000,
    };
    assert_eq!(engine.timer("i1"), Some((Timer::OfferTimeout, expected)));
    assert_eq!(engine.timers_armed(), 1);
}

#[test]
fn wrap_up_completes_itself_after_the_timeout_unless_completed_first() {
    let mut engine = Engine::with_settings(timed());
    for id in ["i1", "i2"] {
        engine.apply(offer(id, "a1", 0), &mut Vec::new()).unwrap();
        engine
            .apply(
                Input::new(ix(id), Action::Accept, by("a1")).at(1_000),
                &mut Vec::new(),
            )
            .unwrap();
        engine
            .apply(
                Input::new(ix(id), Action::Release, by("a1")).at(2_000),
                &mut Vec::new(),
            )
            .unwrap();
        assert_eq!(engine.timer(id), Some((Timer::WrapUpTimeout, 62_000)));
    }
    engine
        .apply(
            Input::new(ix("i2"), Action::Complete, by("a1")).at(3_000),
            &mut Vec::new(),
        )
        .unwrap();
    assert_eq!(engine.timer("i2"), None);
    assert_eq!(engine.agent_state("a1").unwrap().activity, Activity::WrapUp);
    let (fired, _) = fire(&mut engine, 62_000);
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].timer, Timer::WrapUpTimeout);
    let FiredStep::Interaction { step, .. } = &fired[0].step else {
        panic!()
    };
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::WrapUp), Some(StateKind::Ended))
    );
    assert_eq!(engine.agent_state("a1").unwrap().activity, Activity::Idle);
}

#[test]
fn a_heartbeat_keeps_the_session_and_its_absence_logs_the_agent_out() {
    let mut engine = Engine::with_settings(timed());
    // Not logged in: a heartbeat arms nothing.
    assert!(!engine.heartbeat(&agent("a1")));
    engine.log_in(agent("a1")).unwrap();
    assert!(engine.heartbeat(&agent("a1")));
    assert_eq!(engine.heartbeat_deadline("a1"), Some(30_000));
    fire(&mut engine, 20_000);
    assert!(engine.heartbeat(&agent("a1")));
    assert_eq!(engine.heartbeat_deadline("a1"), Some(50_000));
    let (fired, _) = fire(&mut engine, 49_999);
    assert!(fired.is_empty());
    let (fired, _) = fire(&mut engine, 50_000);
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].timer, Timer::AgentHeartbeatTimeout);
    assert!(matches!(&fired[0].step, FiredStep::Agent { agent, .. } if agent.as_str() == "a1"));
    assert_eq!(
        engine.agent_state("a1").unwrap().session,
        Session::LoggedOut
    );
    // A log out cancels the timer.
    engine.log_in(agent("a2")).unwrap();
    engine.heartbeat(&agent("a2"));
    engine.log_out(agent("a2")).unwrap();
    assert_eq!(engine.heartbeat_deadline("a2"), None);
    assert_eq!(engine.poll_timeout(), None);
}

/// A deadline past the end of time (`u64::MAX` milliseconds) is never armed: it would never
/// fall due, and must not fire at once either.
#[test]
fn a_deadline_past_the_end_of_time_is_not_armed() {
    let mut engine = Engine::with_settings(EngineSettings {
        offer_timeout: Some(u64::MAX),
        agent_heartbeat_timeout: Some(u64::MAX),
        ..EngineSettings::default()
    });
    engine.apply(offer("i1", "a1", 5), &mut Vec::new()).unwrap();
    engine.log_in(agent("a2")).unwrap();
    assert!(!engine.heartbeat(&agent("a2")));
    assert_eq!(engine.poll_timeout(), None);
    let (fired, _) = fire(&mut engine, u64::MAX);
    assert!(fired.is_empty());
}

/// A restore refuses timers whose setting is off (turning a timer off in a snapshot must not
/// leave armed timers that nothing cancels).
#[test]
fn a_restore_refuses_timers_whose_setting_is_off() {
    let mut engine = Engine::with_settings(timed());
    engine
        .apply(offer("i1", "a1", 1_000), &mut Vec::new())
        .unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&engine).unwrap();
    json["settings"]["offer_timeout"] = serde_json::Value::Null;
    let error = serde_json::from_value::<Engine>(json.clone()).unwrap_err();
    assert!(error.to_string().contains("setting is off"), "{error}");
    json["settings"]["offer_timeout"] = serde_json::json!(20_000);
    json["timers"]["next"] = serde_json::json!(u64::MAX);
    assert!(serde_json::from_value::<Engine>(json).is_err());
}

#[test]
fn a_refused_input_moves_no_clock_and_arms_nothing() {
    let mut engine = Engine::with_settings(timed());
    engine
        .apply(offer("i1", "a1", 1_000), &mut Vec::new())
        .unwrap();
    let before = engine.clone();
    let refused = Input::new(ix("i1"), Action::Accept, by("a2")).at(9_000);
    assert!(engine.apply(refused, &mut Vec::new()).is_err());
    assert_eq!(engine, before);
}

#[test]
fn a_restored_engine_fires_the_same_timers_at_the_same_now() {
    let mut engine = Engine::with_settings(timed());
    ready(&mut engine, "a1");
    engine.heartbeat(&agent("a1"));
    engine
        .apply(offer("i1", "a1", 1_000), &mut Vec::new())
        .unwrap();
    engine
        .apply(offer("i2", "a1", 1_000), &mut Vec::new())
        .unwrap();
    let json = serde_json::to_string(&engine).unwrap();
    let mut restored: Engine = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, engine);
    assert_eq!(fire(&mut restored, 40_000), fire(&mut engine, 40_000));
    assert_eq!(restored, engine);
}

#[test]
fn a_snapshot_the_engine_could_not_have_written_is_refused() {
    let mut engine = Engine::with_settings(timed());
    engine
        .apply(offer("i1", "a1", 1_000), &mut Vec::new())
        .unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&engine).unwrap();
    let armed = json["timers"]["armed"][0].clone();
    let mut twice = armed.clone();
    twice["seq"] = serde_json::json!(armed["seq"].as_u64().unwrap() + 1);
    json["timers"]["next"] = serde_json::json!(10);
    json["timers"]["armed"] = serde_json::json!([armed, twice]);
    let error = serde_json::from_value::<Engine>(json.clone()).unwrap_err();
    assert!(error.to_string().contains("two timers"), "{error}");
    json["timers"]["armed"] =
        serde_json::json!([{"deadline": 1, "seq": 0, "timer": "offer_timeout", "agent": "a1"}]);
    assert!(serde_json::from_value::<Engine>(json).is_err());
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// One step of a random run: an input at a time, or the clock moved.
#[derive(Debug, Clone)]
enum Op {
    Input(usize, usize, u8, u64),
    Agent(usize, u8),
    Heartbeat(usize),
    Advance(u64),
    Snapshot,
}

const IDS: [&str; 4] = ["i1", "i2", "i3", "i4"];
const AGENTS: [&str; 3] = ["a1", "a2", "a3"];

fn op_s() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..IDS.len(), 0..AGENTS.len(), 0u8..9, 0u64..40_000)
            .prop_map(|(i, a, k, dt)| Op::Input(i, a, k, dt)),
        2 => (0..AGENTS.len(), 0u8..4).prop_map(|(a, k)| Op::Agent(a, k)),
        1 => (0..AGENTS.len()).prop_map(Op::Heartbeat),
        3 => (0u64..90_000).prop_map(Op::Advance),
        1 => Just(Op::Snapshot),
    ]
}

fn input(engine: &Engine, i: usize, a: usize, kind: u8, dt: u64) -> Input {
    let id = ix(IDS[i]);
    let who = agent(AGENTS[a]);
    let now = engine.now() + dt;
    let (action, actor) = match kind {
        0 => (Action::Offer { agent: who }, Actor::Platform),
        1 => (Action::Accept, Actor::Agent(who)),
        2 => (Action::Reject, Actor::Agent(who)),
        3 => (Action::Release, Actor::Agent(who)),
        4 => (Action::Complete, Actor::Agent(who)),
        5 => (Action::Hold, Actor::Agent(who)),
        6 => (Action::Retrieve, Actor::Agent(who)),
        7 => (
            Action::TransferToAgent { agent: who },
            Actor::Agent(agent(AGENTS[(a + 1) % 3])),
        ),
        _ => (Action::Revoke, Actor::Platform),
    };
    let media = if i.is_multiple_of(2) {
        Media::Live
    } else {
        Media::Chat
    };
    Input::new(id, action, actor)
        .with_first_sight(media, Direction::Inbound)
        .at(now)
}

/// The activity an agent's interactions imply (MODEL.md section 10), read from the engine's
/// interactions rather than its counters.
fn implied_activity(engine: &Engine, who: &str) -> Activity {
    let (mut busy, mut wrap, mut offered) = (false, false, false);
    for (_, it) in engine.interactions() {
        let state = it.state();
        match state.kind() {
            StateKind::Connected | StateKind::Held | StateKind::Dialing
                if state.owner().is_some_and(|o| o.as_str() == who) =>
            {
                busy = true;
            }
            StateKind::WrapUp if state.owner().is_some_and(|o| o.as_str() == who) => wrap = true,
            StateKind::Offered if state.offered_to().is_some_and(|o| o.as_str() == who) => {
                offered = true;
            }
            _ => {}
        }
    }
    match (busy, wrap, offered) {
        (true, ..) => Activity::Busy,
        (_, true, _) => Activity::WrapUp,
        (_, _, true) => Activity::Reserved,
        _ => Activity::Idle,
    }
}

/// `handle_timeout(now)` on `engine` and on its restored twin, which must fire the same; the
/// fired timers with `now`.
fn fire_both(engine: &mut Engine, twin: Option<&mut Engine>, now: u64) -> Vec<(u64, Fired)> {
    let mut fired = Vec::new();
    engine.handle_timeout(now, &mut fired, &mut Vec::new());
    if let Some(t) = twin {
        let mut theirs = Vec::new();
        t.handle_timeout(now, &mut theirs, &mut Vec::new());
        assert_eq!(theirs, fired, "the restored engine fired otherwise");
    }
    fired.into_iter().map(|f| (now, f)).collect()
}

/// Runs `ops` on `engine`, checking the properties after each; returns every timer fired, with
/// the `now` it was fired at.
fn run(engine: &mut Engine, ops: &[Op], restored: &mut Option<Engine>) -> Vec<(u64, Fired)> {
    let mut all = Vec::new();
    for op in ops {
        let mut twin = restored.take();
        match op {
            Op::Input(i, a, k, dt) => {
                let input = input(engine, *i, *a, *k, *dt);
                // The caller's contract: timers due first, then the input at that time.
                let now = input.now.unwrap_or_default();
                all.extend(fire_both(engine, twin.as_mut(), now));
                let before = engine.clone();
                let result = engine.apply(input.clone(), &mut Vec::new());
                if result.is_err() {
                    assert_eq!(*engine, before, "a refused input changed the engine");
                }
                if let Some(t) = twin.as_mut() {
                    let theirs = t.apply(input, &mut Vec::new());
                    assert_eq!(theirs, result, "the restored engine applied otherwise");
                }
            }
            Op::Agent(a, k) => {
                let action = match k {
                    0 => AgentAction::LogIn,
                    1 => AgentAction::LogOut,
                    2 => AgentAction::SetReady,
                    _ => AgentAction::SetNotReady { reason: None },
                };
                let before = engine.clone();
                let result = engine.apply_agent(agent(AGENTS[*a]), action.clone());
                if result.is_err() {
                    assert_eq!(*engine, before, "a refused agent action changed the engine");
                }
                if let Some(t) = twin.as_mut() {
                    assert_eq!(t.apply_agent(agent(AGENTS[*a]), action), result);
                }
            }
            Op::Heartbeat(a) => {
                let armed = engine.heartbeat(&agent(AGENTS[*a]));
                if let Some(t) = twin.as_mut() {
                    assert_eq!(t.heartbeat(&agent(AGENTS[*a])), armed);
                }
            }
            Op::Advance(dt) => {
                let now = engine.now() + dt;
                all.extend(fire_both(engine, twin.as_mut(), now));
            }
            Op::Snapshot => {
                let json = serde_json::to_string(&*engine).unwrap();
                let back: Engine = serde_json::from_str(&json).unwrap();
                assert_eq!(back, *engine, "a restore differs from its snapshot");
                twin = Some(back);
            }
        }
        if let Some(t) = &twin {
            assert_eq!(t, &*engine, "the restored engine diverged");
        }
        *restored = twin;
        for who in AGENTS {
            if let Some(state) = engine.agent_state(who) {
                assert_eq!(state.activity, implied_activity(engine, who), "agent {who}");
            }
        }
        // Nothing armed is overdue after handle_timeout (every op that reads the clock calls it
        // first, except agent actions and heartbeats, which arm from the clock: never overdue),
        // and nothing is armed that the state does not call for.
        if matches!(op, Op::Advance(_)) {
            assert!(
                engine.poll_timeout().is_none_or(|due| due > engine.now()),
                "a timer due at {} is still armed",
                engine.now()
            );
        }
        for id in IDS {
            let kind = engine.interaction(id).map(|it| it.state().kind());
            match engine.timer(id) {
                Some((Timer::OfferTimeout, _)) => assert_eq!(kind, Some(StateKind::Offered)),
                Some((Timer::WrapUpTimeout, _)) => assert_eq!(kind, Some(StateKind::WrapUp)),
                Some((Timer::AgentHeartbeatTimeout, _)) => panic!("an interaction's heartbeat"),
                None => assert!(
                    !matches!(kind, Some(StateKind::Offered | StateKind::WrapUp)),
                    "{id} is {kind:?} with no timer armed"
                ),
            }
        }
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn timers_fire_at_their_deadline_once_and_restore_identically(
        ops in proptest::collection::vec(op_s(), 1..60)
    ) {
        let mut engine = Engine::with_settings(timed());
        let mut restored = None;
        let fired = run(&mut engine, &ops, &mut restored);
        let mut seen = std::collections::HashSet::new();
        let mut last = 0;
        for (now, f) in &fired {
            prop_assert!(f.deadline <= *now, "fired early: due {} at {}", f.deadline, now);
            prop_assert!(f.deadline >= last, "out of order");
            last = f.deadline;
            let subject = match &f.step {
                FiredStep::Interaction { interaction, .. } => interaction.as_str().to_owned(),
                FiredStep::Agent { agent, .. } => format!("agent {agent}"),
            };
            // Fired once: the same subject may fire again only for a timer armed later.
            prop_assert!(seen.insert((subject, f.deadline, f.timer)), "fired twice: {f:?}");
        }
    }
}
