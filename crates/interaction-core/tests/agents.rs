//! Agents as a state machine, and after-call work (MODEL.md section 10): the agent table's
//! rows, its refusals (the engine unchanged), the activity that follows the interactions, and
//! the `wrap_up` state an engine setting or a vendor fact leads to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{agent, by, ix, name, provider, provider_name};
use interaction_core::{
    Action, ActionKind, Activity, Actor, AgentAction, AgentActionKind, AgentState, Availability,
    Callee, Caller, Direction, Effect, EndReason, Engine, EngineSettings, ErrorKind, Input, Media,
    MediaSet, Notification, Outcome, ProviderSettings, Session, StateKind, UserData, table,
};

fn state(session: Session, availability: Availability, activity: Activity) -> AgentState {
    AgentState {
        session,
        availability,
        reason: None,
        activity,
    }
}

fn apply(engine: &mut Engine, input: Input) -> interaction_core::Step {
    engine.apply(input, &mut Vec::new()).unwrap()
}

fn dispatch(media: Media) -> Action {
    Action::Dispatch {
        route: name("Sales"),
        media,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    }
}

/// An engine with `i1` of `media` connected to `a1` (offered first), under `settings`.
fn connected(settings: EngineSettings, media: Media) -> Engine {
    let mut engine = Engine::with_settings(settings);
    apply(
        &mut engine,
        Input::new(ix("i1"), dispatch(media), Actor::Platform),
    );
    apply(
        &mut engine,
        Input::new(
            ix("i1"),
            Action::Offer { agent: agent("a1") },
            Actor::Platform,
        ),
    );
    apply(&mut engine, Input::new(ix("i1"), Action::Accept, by("a1")));
    engine
}

#[test]
fn the_agent_table_moves_session_and_availability() {
    let mut engine = Engine::new();
    let a1 = || agent("a1");
    // Never seen: only log in and out are legal, and an availability action names the agent.
    let err = engine.apply_agent(a1(), AgentAction::SetReady).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownAgent);
    assert_eq!(engine, Engine::new());
    let step = engine.apply_agent(a1(), AgentAction::LogIn).unwrap();
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(step.from, None);
    assert_eq!(
        step.to,
        state(Session::LoggedIn, Availability::Unknown, Activity::Idle)
    );
    let ready = engine.apply_agent(a1(), AgentAction::SetReady).unwrap();
    assert_eq!(ready.to.availability, Availability::Ready);
    let not_ready = engine
        .apply_agent(
            a1(),
            AgentAction::SetNotReady {
                reason: Some(name("Lunch")),
            },
        )
        .unwrap();
    assert_eq!(not_ready.to.availability, Availability::NotReady);
    assert_eq!(not_ready.to.reason, Some(name("Lunch")));
    // Ready again: the reason goes.
    let ready = engine.apply_agent(a1(), AgentAction::SetReady).unwrap();
    assert_eq!(ready.to.reason, None);
    let acw = engine
        .apply_agent(a1(), AgentAction::SetAfterCallWork)
        .unwrap();
    assert_eq!(acw.to.availability, Availability::AfterCallWork);
    // Logging out resets the availability; a logged-out agent cannot become ready.
    let out = engine.apply_agent(a1(), AgentAction::LogOut).unwrap();
    assert_eq!(
        out.to,
        state(Session::LoggedOut, Availability::Unknown, Activity::Idle)
    );
    let before = engine.clone();
    for action in [
        AgentAction::SetReady,
        AgentAction::SetNotReady { reason: None },
        AgentAction::SetAfterCallWork,
    ] {
        let err = engine.apply_agent(a1(), action.clone()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidTransition, "{action:?}");
        assert!(err.to_string().contains("logged_out"), "{err}");
        assert_eq!(engine, before, "{action:?} refused changed the engine");
    }
    // An agent seen acting counts as logged in.
    apply(
        &mut engine,
        Input::new(ix("i1"), dispatch(Media::Chat), Actor::Platform),
    );
    apply(
        &mut engine,
        Input::new(
            ix("i1"),
            Action::Offer { agent: agent("a2") },
            Actor::Platform,
        ),
    );
    assert_eq!(
        engine.agent_state("a2"),
        Some(state(
            Session::LoggedIn,
            Availability::Unknown,
            Activity::Reserved
        ))
    );
    assert!(
        engine
            .apply_agent(agent("a2"), AgentAction::SetReady)
            .is_ok()
    );
}

#[test]
fn what_an_agent_may_do_next_is_read_from_the_table() {
    let mut engine = Engine::new();
    let names = |engine: &Engine, a: &str| -> Vec<&str> {
        engine
            .agent_allowed(a)
            .iter()
            .map(AgentActionKind::name)
            .collect()
    };
    assert_eq!(names(&engine, "a1"), ["log_in", "log_out"]);
    engine.log_in(agent("a1")).unwrap();
    assert_eq!(
        names(&engine, "a1"),
        [
            "log_in",
            "log_out",
            "set_ready",
            "set_not_ready",
            "set_after_call_work"
        ]
    );
    engine.log_out(agent("a1")).unwrap();
    assert_eq!(names(&engine, "a1"), ["log_in", "log_out"]);
    for rule in interaction_core::AGENT_TRANSITIONS {
        assert_eq!(interaction_core::agent_rule_for(rule.action), &rule);
    }
}

#[test]
fn activity_follows_the_interactions_an_agent_holds() {
    let mut engine = Engine::new();
    let activity = |engine: &Engine, a: &str| engine.agent_state(a).map(|s| s.activity);
    let step = apply(
        &mut engine,
        Input::new(ix("i1"), dispatch(Media::Live), Actor::Platform),
    );
    assert_eq!(step.agent, None, "a dispatch names no agent");
    let step = apply(
        &mut engine,
        Input::new(
            ix("i1"),
            Action::Offer { agent: agent("a1") },
            Actor::Platform,
        ),
    );
    assert_eq!(step.agent, Some(agent("a1")));
    assert_eq!(activity(&engine, "a1"), Some(Activity::Reserved));
    let step = apply(&mut engine, Input::new(ix("i1"), Action::Accept, by("a1")));
    assert_eq!(step.agent, Some(agent("a1")));
    assert_eq!(activity(&engine, "a1"), Some(Activity::Busy));
    // A hold changes no role.
    let step = apply(&mut engine, Input::new(ix("i1"), Action::Hold, by("a1")));
    assert_eq!(step.agent, None);
    assert_eq!(activity(&engine, "a1"), Some(Activity::Busy));
    // A transfer: the new agent is reserved, the old one idle; the step names the new one.
    let step = apply(
        &mut engine,
        Input::new(
            ix("i1"),
            Action::TransferToAgent { agent: agent("a2") },
            by("a1"),
        ),
    );
    assert_eq!(step.agent, Some(agent("a2")));
    assert_eq!(activity(&engine, "a1"), Some(Activity::Idle));
    assert_eq!(activity(&engine, "a2"), Some(Activity::Reserved));
    apply(&mut engine, Input::new(ix("i1"), Action::Accept, by("a2")));
    // A release names the agent it freed.
    let step = apply(&mut engine, Input::new(ix("i1"), Action::Release, by("a2")));
    assert_eq!(step.agent, Some(agent("a2")));
    assert_eq!(activity(&engine, "a2"), Some(Activity::Idle));
    // A refused input names none and changes no count.
    let before = engine.clone();
    assert!(
        engine
            .apply(
                Input::new(ix("i1"), Action::Hold, by("a2")),
                &mut Vec::new()
            )
            .is_err()
    );
    assert_eq!(engine, before);
}

#[test]
fn a_release_leads_to_wrap_up_for_the_media_the_setting_names() {
    let settings = EngineSettings {
        wrap_up: MediaSet::of(&[Media::Live]),
        ..EngineSettings::default()
    };
    // Voice requires wrap-up: the owner's release keeps the work with it.
    let mut engine = connected(settings, Media::Live);
    let step = apply(&mut engine, Input::new(ix("i1"), Action::Release, by("a1")));
    assert_eq!(
        (step.from, step.to, step.reason),
        (Some(StateKind::Connected), Some(StateKind::WrapUp), None)
    );
    assert_eq!(step.agent, Some(agent("a1")));
    let it = engine.interaction("i1").unwrap();
    assert_eq!(it.state().owner(), Some(&agent("a1")));
    assert_eq!(engine.agent_state("a1").unwrap().activity, Activity::WrapUp);
    // In wrap-up: complete and the user-data actions, nothing else.
    let allowed: Vec<_> = engine
        .allowed("i1", "a1")
        .iter()
        .map(ActionKind::name)
        .collect();
    assert_eq!(
        allowed,
        [
            "complete",
            "update_user_data",
            "attach_user_data",
            "delete_user_data"
        ]
    );
    // A platform fact restating the release is an applied no-op; the agent's own is refused.
    let again = apply(
        &mut engine,
        Input::new(ix("i1"), Action::Release, Actor::Platform),
    );
    assert_eq!(again.to, Some(StateKind::WrapUp));
    let before = engine.clone();
    let err = engine
        .apply(
            Input::new(ix("i1"), Action::Release, by("a1")),
            &mut Vec::new(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
    assert_eq!(engine, before);
    let done = apply(
        &mut engine,
        Input::new(ix("i1"), Action::Complete, by("a1")),
    );
    assert_eq!(
        (done.to, done.reason),
        (Some(StateKind::Ended), Some(EndReason::Completed))
    );
    assert_eq!(engine.agent_state("a1").unwrap().activity, Activity::Idle);
    // A chat does not require it: released ends it, as before.
    let mut engine = connected(settings, Media::Chat);
    let step = apply(&mut engine, Input::new(ix("i1"), Action::Release, by("a1")));
    assert_eq!(
        (step.to, step.reason),
        (Some(StateKind::Ended), Some(EndReason::Released))
    );
}

#[test]
fn a_vendor_fact_says_wrap_up_or_not_whatever_the_setting() {
    // No media requires it, but the vendor says this one does (a GWS Released that still
    // offers completion) ...
    let mut engine = connected(EngineSettings::default(), Media::Chat);
    let step = apply(
        &mut engine,
        Input::new(
            ix("i1"),
            Action::Disconnect { agent: agent("a1") },
            Actor::Platform,
        )
        .with_wrap_up(true),
    );
    assert_eq!(step.to, Some(StateKind::WrapUp));
    // ... and the other way round.
    let settings = EngineSettings {
        wrap_up: MediaSet::ALL,
        ..EngineSettings::default()
    };
    let mut engine = connected(settings, Media::Chat);
    let step = apply(
        &mut engine,
        Input::new(ix("i1"), Action::Release, Actor::Platform).with_wrap_up(false),
    );
    assert_eq!(step.to, Some(StateKind::Ended));
    // An offered interaction has no owner to do the work: a release ends it.
    let mut engine = Engine::with_settings(settings);
    apply(
        &mut engine,
        Input::new(ix("i2"), dispatch(Media::Chat), Actor::Platform),
    );
    apply(
        &mut engine,
        Input::new(
            ix("i2"),
            Action::Offer { agent: agent("a1") },
            Actor::Platform,
        ),
    );
    let step = apply(
        &mut engine,
        Input::new(ix("i2"), Action::Release, Actor::Platform),
    );
    assert_eq!(step.to, Some(StateKind::Ended));
    // Nor does a call placed by agent groups, not yet answered.
    let dial = Action::Dial {
        from: Caller::Groups(vec![name("g1")]),
        to: Callee::Number(name("+441234")),
        media: Media::Live,
    };
    let mut engine = Engine::with_settings(settings);
    engine
        .register_provider(provider_name("crm"), ProviderSettings::default())
        .unwrap();
    apply(&mut engine, Input::new(ix("c1"), dial, provider("crm")));
    let step = apply(
        &mut engine,
        Input::new(ix("c1"), Action::Release, Actor::Platform),
    );
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Dialing), Some(StateKind::Ended))
    );
    assert_eq!(
        table::step_with_wrap_up(StateKind::Dialing, ActionKind::Release),
        Some(StateKind::WrapUp),
        "on kinds, a dialing call may have an owner"
    );
}

#[test]
fn the_provider_hears_of_the_release_when_the_media_ends() {
    let settings = EngineSettings {
        wrap_up: MediaSet::ALL,
        ..EngineSettings::default()
    };
    let mut engine = Engine::with_settings(settings);
    engine
        .register_provider(provider_name("crm"), ProviderSettings::default())
        .unwrap();
    apply(
        &mut engine,
        Input::new(ix("i1"), dispatch(Media::Live), provider("crm")),
    );
    apply(
        &mut engine,
        Input::new(
            ix("i1"),
            Action::Assign { agent: agent("a1") },
            Actor::Platform,
        ),
    );
    let mut effects = Vec::new();
    engine
        .apply(
            Input::new(ix("i1"), Action::Release, Actor::Platform),
            &mut effects,
        )
        .unwrap();
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Notify {
                notification: Notification::Release,
                ..
            }]
        ),
        "{effects:?}"
    );
    effects.clear();
    engine
        .apply(
            Input::new(ix("i1"), Action::Complete, Actor::Platform),
            &mut effects,
        )
        .unwrap();
    assert!(effects.is_empty(), "the completion notifies nothing more");
}

#[cfg(feature = "serde")]
#[test]
fn agent_states_and_wrap_up_survive_a_snapshot() {
    let settings = EngineSettings {
        wrap_up: MediaSet::of(&[Media::Live, Media::Chat]),
        ..EngineSettings::default()
    };
    let mut engine = connected(settings, Media::Live);
    apply(&mut engine, Input::new(ix("i1"), Action::Release, by("a1")));
    engine
        .apply_agent(
            agent("a1"),
            AgentAction::SetNotReady {
                reason: Some(name("Break")),
            },
        )
        .unwrap();
    engine.log_in(agent("a9")).unwrap();
    let text = serde_json::to_string(&engine).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["settings"]["wrap_up"],
        serde_json::json!(["live", "chat"])
    );
    assert_eq!(
        json["agents"]["a1"],
        serde_json::json!({"presence": "seen", "availability": "not_ready", "reason": "Break"})
    );
    assert_eq!(json["agents"]["a9"], serde_json::json!("logged_in"));
    let restored: Engine = serde_json::from_str(&text).unwrap();
    assert_eq!(restored, engine);
    assert_eq!(
        restored.agent_state("a1").unwrap().activity,
        Activity::WrapUp
    );
}
