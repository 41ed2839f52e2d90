//! The Calls API with the core engine: the refusals that read agent sessions (calling agent
//! unknown, logged out or busy; destination agent unknown or not available), then the outbound
//! lifecycle the core runs after the dial (answer, hold, retrieve, release).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{
    Action, Actor, AgentId, Direction, Engine, Error, ErrorKind, Input, InteractionId, Media, Name,
    Refusal, StateKind, UserData,
};
use interaction_vcc::calls::messages;
use interaction_vcc::{PlaceCall, calls_response, check_call, decode_call};
use serde_json::json;

fn agent(id: &str) -> AgentId {
    AgentId::parse(id, "agent").unwrap()
}

fn id(text: &str) -> InteractionId {
    InteractionId::parse(text, "id").unwrap()
}

fn call(from: &str, to: &str) -> PlaceCall {
    decode_call(format!(r#"{{"from": {{{from}}}, "to": {{{to}}}}}"#).as_bytes()).unwrap()
}

/// A call from agent `from` to the telephone number 02072068888.
fn to_number(from: &str) -> PlaceCall {
    call(
        &format!(r#""agentId": "{from}""#),
        r#""telephoneNumber": "02072068888""#,
    )
}

/// A call from agent `from` to agent `to`.
fn to_agent(from: &str, to: &str) -> PlaceCall {
    call(
        &format!(r#""agentId": "{from}""#),
        &format!(r#""agentId": "{to}""#),
    )
}

fn apply(engine: &mut Engine, input: Input) {
    engine.apply(input, &mut Vec::new()).unwrap();
}

/// Puts a `media` interaction `name` in `state` owned by (or offered to) `owner`.
fn give(engine: &mut Engine, name: &str, media: Media, owner: &str, state: StateKind) {
    let dispatch = Action::Dispatch {
        route: Name::parse("Route", "route").unwrap(),
        media,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    };
    apply(
        engine,
        Input::new(id(name), dispatch, Actor::Provider(None)),
    );
    let step = match state {
        StateKind::Offered => Action::Offer {
            agent: agent(owner),
        },
        _ => Action::Assign {
            agent: agent(owner),
        },
    };
    apply(engine, Input::new(id(name), step, Actor::Platform));
    match state {
        StateKind::Held => apply(
            engine,
            Input::new(id(name), Action::Hold, Actor::Agent(agent(owner))),
        ),
        StateKind::Ended => apply(
            engine,
            Input::new(id(name), Action::Release, Actor::Agent(agent(owner))),
        ),
        _ => {}
    }
    assert_eq!(engine.interaction(name).unwrap().state().kind(), state);
}

/// `check_call` refuses with `kind` and exactly the page's `message`, also in the 400 body.
#[track_caller]
fn refused(engine: &Engine, call: &PlaceCall, kind: ErrorKind, message: &str) -> Error {
    let err = check_call(engine, call).unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(err.to_string(), message);
    assert_eq!(
        calls_response(Err(&err.clone().into())),
        (400, json!({ "message": message }))
    );
    interaction_core::Error::from(err)
}

fn logged_in(agents: &[&str]) -> Engine {
    let mut engine = Engine::new();
    for a in agents {
        engine.log_in(agent(a)).unwrap();
    }
    engine
}

// ---- the calling agent ----

#[test]
fn an_unknown_calling_agent() {
    let engine = logged_in(&["4567"]);
    let err = refused(
        &engine,
        &to_number("1234"),
        ErrorKind::UnknownAgent,
        messages::CALLING_AGENT_UNKNOWN,
    );
    assert!(
        matches!(err, interaction_core::Error::Refused(Refusal::UnknownAgent { agent: a, .. }) if a.as_str() == "1234")
    );
}

#[test]
fn a_logged_out_calling_agent() {
    let mut engine = logged_in(&["1234"]);
    engine.log_out(agent("1234")).unwrap();
    refused(
        &engine,
        &to_number("1234"),
        ErrorKind::AgentUnavailable,
        messages::CALL_FAILED,
    );
    engine.log_in(agent("1234")).unwrap();
    assert_eq!(check_call(&engine, &to_number("1234")), Ok(()));
}

#[test]
fn an_agent_seen_acting_may_call() {
    let mut engine = Engine::new();
    give(
        &mut engine,
        "chat-1",
        Media::Chat,
        "1234",
        StateKind::Connected,
    );
    assert_eq!(
        engine.presence("1234"),
        Some(interaction_core::Presence::Seen)
    );
    assert_eq!(check_call(&engine, &to_number("1234")), Ok(()));
}

#[test]
fn a_calling_agent_on_a_live_call_is_busy() {
    for state in [StateKind::Connected, StateKind::Held] {
        let mut engine = logged_in(&["1234"]);
        give(&mut engine, "voice-1", Media::Live, "1234", state);
        let err = refused(
            &engine,
            &to_number("1234"),
            ErrorKind::AgentBusy,
            messages::CALLING_AGENT_BUSY,
        );
        assert!(
            matches!(err, interaction_core::Error::Refused(Refusal::AgentBusy { agent: a, .. }) if a.as_str() == "1234")
        );
    }
}

#[test]
fn a_calling_agent_dialing_is_busy() {
    let mut engine = logged_in(&["1234"]);
    apply(&mut engine, to_number("1234").input(id("call-1")));
    refused(
        &engine,
        &to_number("1234"),
        ErrorKind::AgentBusy,
        messages::CALLING_AGENT_BUSY,
    );
}

#[test]
fn what_does_not_make_an_agent_busy() {
    let mut engine = logged_in(&["1234", "9999"]);
    // Chats and nonlive work; a live call only offered, or already ended; another's live call.
    give(
        &mut engine,
        "chat",
        Media::Chat,
        "1234",
        StateKind::Connected,
    );
    give(
        &mut engine,
        "email",
        Media::Nonlive,
        "1234",
        StateKind::Held,
    );
    give(
        &mut engine,
        "ringing",
        Media::Live,
        "1234",
        StateKind::Offered,
    );
    give(&mut engine, "done", Media::Live, "1234", StateKind::Ended);
    give(
        &mut engine,
        "other",
        Media::Live,
        "9999",
        StateKind::Connected,
    );
    assert_eq!(check_call(&engine, &to_number("1234")), Ok(()));
}

#[test]
fn a_call_from_groups_has_no_calling_agent_to_check() {
    let engine = Engine::new();
    let groups = call(
        r#""groups": ["030"]"#,
        r#""telephoneNumber": "02072068888""#,
    );
    assert_eq!(check_call(&engine, &groups), Ok(()));
}

// ---- the destination agent ----

#[test]
fn an_unknown_destination_agent() {
    let engine = logged_in(&["1234"]);
    refused(
        &engine,
        &to_agent("1234", "4567"),
        ErrorKind::UnknownAgent,
        messages::DESTINATION_AGENT_UNKNOWN,
    );
}

#[test]
fn a_logged_out_destination_agent_is_not_available() {
    let mut engine = logged_in(&["1234", "4567"]);
    engine.log_out(agent("4567")).unwrap();
    refused(
        &engine,
        &to_agent("1234", "4567"),
        ErrorKind::AgentUnavailable,
        messages::DESTINATION_AGENT_UNAVAILABLE,
    );
}

#[test]
fn a_busy_destination_agent_is_not_available() {
    let mut engine = logged_in(&["1234", "4567"]);
    give(&mut engine, "voice-1", Media::Live, "4567", StateKind::Held);
    refused(
        &engine,
        &to_agent("1234", "4567"),
        ErrorKind::AgentUnavailable,
        messages::DESTINATION_AGENT_UNAVAILABLE,
    );
}

/// The destination's agent state (MODEL.md section 10): not ready, in after-call work (as an
/// availability, or owning an interaction in `wrap_up`) is not available; ready is. The calling
/// agent's availability is not checked.
#[test]
fn a_destination_agent_not_ready_or_in_after_call_work_is_not_available() {
    use interaction_core::{AgentAction, EngineSettings, MediaSet};
    for action in [
        AgentAction::SetNotReady { reason: None },
        AgentAction::SetAfterCallWork,
    ] {
        let mut engine = logged_in(&["1234", "4567"]);
        engine.apply_agent(agent("4567"), action).unwrap();
        refused(
            &engine,
            &to_agent("1234", "4567"),
            ErrorKind::AgentUnavailable,
            messages::DESTINATION_AGENT_UNAVAILABLE,
        );
        engine
            .apply_agent(agent("4567"), AgentAction::SetReady)
            .unwrap();
        assert_eq!(check_call(&engine, &to_agent("1234", "4567")), Ok(()));
    }
    // Owning a chat in wrap-up.
    let mut engine = Engine::with_settings(EngineSettings {
        wrap_up: MediaSet::of(&[Media::Chat]),
        ..EngineSettings::default()
    });
    for a in ["1234", "4567"] {
        engine.log_in(agent(a)).unwrap();
    }
    give(
        &mut engine,
        "chat-1",
        Media::Chat,
        "4567",
        StateKind::Connected,
    );
    assert_eq!(check_call(&engine, &to_agent("1234", "4567")), Ok(()));
    apply(
        &mut engine,
        Input::new(id("chat-1"), Action::Release, Actor::Agent(agent("4567"))),
    );
    refused(
        &engine,
        &to_agent("1234", "4567"),
        ErrorKind::AgentUnavailable,
        messages::DESTINATION_AGENT_UNAVAILABLE,
    );
    // A calling agent that is not ready still calls.
    let mut engine = logged_in(&["1234", "4567"]);
    engine
        .apply_agent(agent("1234"), AgentAction::SetNotReady { reason: None })
        .unwrap();
    assert_eq!(check_call(&engine, &to_agent("1234", "4567")), Ok(()));
}

#[test]
fn an_agent_cannot_call_itself() {
    let engine = logged_in(&["1234"]);
    refused(
        &engine,
        &to_agent("1234", "1234"),
        ErrorKind::AgentUnavailable,
        messages::DESTINATION_AGENT_UNAVAILABLE,
    );
}

#[test]
fn an_available_destination_agent() {
    let engine = logged_in(&["1234", "4567"]);
    assert_eq!(check_call(&engine, &to_agent("1234", "4567")), Ok(()));
    let groups = call(r#""groups": ["030"]"#, r#""agentId": "4567""#);
    assert_eq!(check_call(&engine, &groups), Ok(()));
}

#[test]
fn the_calling_agent_is_checked_first() {
    let engine = Engine::new();
    refused(
        &engine,
        &to_agent("1234", "4567"),
        ErrorKind::UnknownAgent,
        messages::CALLING_AGENT_UNKNOWN,
    );
    let mut engine = logged_in(&["1234"]);
    give(
        &mut engine,
        "voice-1",
        Media::Live,
        "1234",
        StateKind::Connected,
    );
    refused(
        &engine,
        &to_agent("1234", "4567"),
        ErrorKind::AgentBusy,
        messages::CALLING_AGENT_BUSY,
    );
}

// ---- the outbound lifecycle (through the endpoint: tests/calls_endpoint.rs) ----

#[test]
fn a_group_call_is_answered_by_a_named_agent() {
    let mut engine = Engine::new();
    let call = call(
        r#""groups": ["030", "200"]"#,
        r#""telephoneNumber": "02072068888""#,
    );
    apply(&mut engine, call.input(id("call-2")));
    let err = engine
        .apply(
            Input::new(
                id("call-2"),
                Action::Answer { agent: None },
                Actor::Platform,
            ),
            &mut Vec::new(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingField);
    apply(
        &mut engine,
        Input::new(
            id("call-2"),
            Action::Answer {
                agent: Some(agent("5464")),
            },
            Actor::Platform,
        ),
    );
    // The answering agent owns it, and is now busy.
    engine.log_in(agent("5464")).unwrap();
    refused(
        &engine,
        &to_number("5464"),
        ErrorKind::AgentBusy,
        messages::CALLING_AGENT_BUSY,
    );
}

#[test]
fn a_second_dial_on_the_same_id_is_refused_and_changes_nothing() {
    let mut engine = logged_in(&["1234", "4567"]);
    apply(&mut engine, to_number("1234").input(id("call-1")));
    let before = engine.clone();
    let err = engine
        .apply(to_number("4567").input(id("call-1")), &mut Vec::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert_eq!(engine, before);
}
