//! Every notification state against every state the interaction can be in, as MODEL.md section
//! 6 maps them: the platform fact chosen, and what the engine then does with it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Desk, chat, status};
use interaction_core::{
    Action, ActionKind, Actor, AgentId, Callee, Caller, Direction, Effect, ErrorKind, Input,
    InteractionId, Media, Name, StateKind, Value,
};
use interaction_gws::{Event, Fact, GwsState, MessageType, decode_notification};

fn agent(id: &str) -> AgentId {
    AgentId::parse(id, "t").unwrap()
}

/// The action `body` maps to for `as_agent` in `desk`'s current state.
fn action_of(desk: &Desk, as_agent: &str, body: &str) -> Action {
    match desk.fact(as_agent, body).unwrap() {
        Fact::Apply(input) => {
            assert_eq!(
                input.actor,
                Actor::Platform,
                "notifications are platform facts"
            );
            input.action
        }
        Fact::Unchanged | Fact::Ignored => panic!("unchanged: {body}"),
    }
}

fn kind(desk: &Desk, id: &str) -> StateKind {
    desk.engine.interaction(id).unwrap().state().kind()
}

/// A chat offered to 1001.
fn offered() -> Desk {
    let mut desk = Desk::default();
    desk.notify("1001", &chat("c", "Invited")).unwrap();
    desk
}

/// A chat connected to 1001.
fn connected() -> Desk {
    let mut desk = offered();
    desk.notify("1001", &chat("c", "Chatting")).unwrap();
    desk
}

#[test]
fn invited_offers_creates_on_first_sight_and_reports_a_transfer_from_an_owner() {
    let mut desk = Desk::default();
    let step = desk.notify("1001", &chat("c", "Invited")).unwrap().unwrap();
    assert_eq!((step.from, step.to), (None, Some(StateKind::Offered)));
    // Offered to another agent: the hunt moves on.
    assert_eq!(
        action_of(&desk, "1002", &chat("c", "Invited")),
        Action::Offer {
            agent: agent("1002")
        }
    );
    // Offered to the same agent again: applied, still offered.
    let step = desk.notify("1001", &chat("c", "Invited")).unwrap().unwrap();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Offered), Some(StateKind::Offered))
    );
    // Connected to 1001, invited to 1002: the platform reports a transfer offered to 1002.
    let mut desk = connected();
    assert_eq!(
        action_of(&desk, "1002", &chat("c", "Invited")),
        Action::TransferToAgent {
            agent: agent("1002")
        }
    );
    let step = desk.notify("1002", &chat("c", "Invited")).unwrap().unwrap();
    assert_eq!(step.to, Some(StateKind::Offered));
    // Invited to the owner itself makes no sense: refused.
    let mut desk = connected();
    let err = desk.notify("1001", &chat("c", "Invited")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
}

#[test]
fn working_states_connect_by_the_rule_that_fits_the_current_state() {
    for state in ["Processing", "Chatting", "Established"] {
        // Never seen: created connected.
        let mut desk = Desk::default();
        let step = desk.notify("1001", &chat("c", state)).unwrap().unwrap();
        assert_eq!(
            (step.from, step.to),
            (None, Some(StateKind::Connected)),
            "{state}"
        );
        // Offered to the agent: accept.
        let desk = offered();
        assert_eq!(action_of(&desk, "1001", &chat("c", state)), Action::Accept);
        // Offered to someone else: assign.
        assert_eq!(
            action_of(&desk, "1002", &chat("c", state)),
            Action::Assign {
                agent: agent("1002")
            }
        );
        // Already connected to the agent: a restatement, applied with nothing changed.
        let mut desk = connected();
        let before = desk.engine.clone();
        let step = desk.notify("1001", &chat("c", state)).unwrap().unwrap();
        assert_eq!(
            (step.from, step.to),
            (Some(StateKind::Connected), Some(StateKind::Connected))
        );
        assert_eq!(desk.engine, before, "{state}");
        // Connected to another agent: ownership moved.
        assert_eq!(
            action_of(&desk, "1002", &chat("c", state)),
            Action::Transferred {
                agent: agent("1002")
            }
        );
        desk.notify("1002", &chat("c", state)).unwrap();
        assert!(
            desk.effects
                .iter()
                .any(|e| matches!(e, Effect::Transferred { to, .. } if to.as_str() == "1002")),
            "{state}"
        );
    }
}

#[test]
fn working_states_after_hold_workbin_queue_and_dial() {
    // Held by the agent: retrieved.
    let mut desk = connected();
    desk.notify("1001", &chat("c", "Held")).unwrap();
    assert_eq!(kind(&desk, "c"), StateKind::Held);
    assert_eq!(
        action_of(&desk, "1001", &chat("c", "Chatting")),
        Action::Retrieve
    );
    // Held by another: transferred.
    assert_eq!(
        action_of(&desk, "1002", &chat("c", "Chatting")),
        Action::Transferred {
            agent: agent("1002")
        }
    );
    desk.notify("1001", &chat("c", "Chatting")).unwrap();
    assert_eq!(kind(&desk, "c"), StateKind::Connected);
    // In a workbin: pulled out by the agent.
    let inbin = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
        "chat": {"id": "c", "state": "InWorkbin", "workbin": "Personal"}}"#;
    desk.notify("1001", inbin).unwrap();
    assert_eq!(kind(&desk, "c"), StateKind::InWorkbin);
    assert_eq!(
        action_of(&desk, "1002", &chat("c", "Processing")),
        Action::Pull {
            agent: agent("1002")
        }
    );
    desk.notify("1002", &chat("c", "Processing")).unwrap();
    assert_eq!(kind(&desk, "c"), StateKind::Connected);
    // Queued: assigned.
    let mut desk = offered();
    desk.notify("1001", &chat("c", "Revoked")).unwrap();
    assert_eq!(kind(&desk, "c"), StateKind::Queued);
    assert_eq!(
        action_of(&desk, "1003", &chat("c", "Chatting")),
        Action::Assign {
            agent: agent("1003")
        }
    );
    // Dialing (an outbound call placed through the core): answered by the agent.
    let mut desk = Desk::default();
    let dial = Action::Dial {
        from: Caller::Agent(agent("1001")),
        to: Callee::Number(Name::parse("+442071234567", "t").unwrap()),
        media: Media::Live,
    };
    let id = InteractionId::parse("k", "t").unwrap();
    desk.engine
        .apply(
            Input::new(id, dial, Actor::Agent(agent("1001"))),
            &mut Vec::new(),
        )
        .unwrap();
    let established = status("CallStateChangeMessage", "call", "k", "Established");
    assert_eq!(
        action_of(&desk, "1001", &established),
        Action::Answer {
            agent: Some(agent("1001"))
        }
    );
    desk.notify("1001", &established).unwrap();
    assert_eq!(kind(&desk, "k"), StateKind::Connected);
}

#[test]
fn held_revoked_completed_released() {
    let mut desk = connected();
    assert_eq!(action_of(&desk, "1001", &chat("c", "Held")), Action::Hold);
    desk.notify("1001", &chat("c", "Held")).unwrap();
    let step = desk.notify("1001", &chat("c", "Held")).unwrap().unwrap();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Held), Some(StateKind::Held)),
        "restated"
    );
    let step = desk
        .notify("1001", &chat("c", "Completed"))
        .unwrap()
        .unwrap();
    assert_eq!(step.reason.unwrap().name(), "completed");
    // A Completed after the end restates it; any other state is late and refused.
    let step = desk
        .notify("1001", &chat("c", "Completed"))
        .unwrap()
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Ended));
    for late in ["Released", "Chatting", "Invited", "Held", "Revoked"] {
        let err = desk.notify("1001", &chat("c", late)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyEnded, "{late}");
    }
    // Revoked withdraws an offer.
    let mut desk = offered();
    assert_eq!(
        action_of(&desk, "1001", &chat("c", "Revoked")),
        Action::Revoke
    );
    let step = desk.notify("1001", &chat("c", "Revoked")).unwrap().unwrap();
    assert_eq!(step.to, Some(StateKind::Queued));
    // Released on the channel of an agent that no longer holds it (it is queued now) is that
    // agent's view only: ignored, the interaction stays queued.
    let step = desk
        .notify("1001", &chat("c", "Released"))
        .unwrap()
        .unwrap();
    assert_eq!(step.outcome, interaction_core::Outcome::Ignored);
    assert_eq!(kind(&desk, "c"), StateKind::Queued);
    // A state for an interaction never seen, other than the creating ones: unknown.
    let mut desk = Desk::default();
    for state in ["Held", "Revoked", "Completed", "Released"] {
        let err = desk.notify("1001", &chat("new", state)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownInteraction, "{state}");
    }
}

#[test]
fn in_workbin_names_the_workbin_or_restates_the_current_one() {
    let mut desk = connected();
    let err = desk.notify("1001", &chat("c", "InWorkbin")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingField);
    assert!(err.to_string().contains("chat.workbin"), "{err}");
    let inbin = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
        "chat": {"id": "c", "state": "InWorkbin", "workbin": "Personal"}}"#;
    desk.notify("1001", inbin).unwrap();
    assert_eq!(kind(&desk, "c"), StateKind::InWorkbin);
    let before = desk.engine.clone();
    let step = desk
        .notify("1001", &chat("c", "InWorkbin"))
        .unwrap()
        .unwrap();
    assert_eq!(step.from, step.to);
    assert_eq!(desk.engine, before);
    assert_eq!(desk.engine.workbin_content("Personal").len(), 1);
}

#[test]
fn other_notification_types_update_data_or_change_nothing() {
    let mut desk = connected();
    let props = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "PropertiesUpdated",
        "chat": {"id": "c", "state": "Chatting", "userData": {"Segment": "Gold", "n": {"k": [1]}}}}"#;
    let Fact::Apply(input) = desk.fact("1001", props).unwrap() else {
        panic!()
    };
    assert_eq!(input.action.kind(), ActionKind::UpdateUserData);
    desk.notify("1001", props).unwrap();
    let data = desk.engine.interaction("c").unwrap().user_data();
    assert_eq!(data.get("Segment"), Some(&Value::String("Gold".into())));
    // Without userData: nothing changes, and nothing is applied.
    let parts = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "ParticipantsUpdated",
        "chat": {"id": "c", "participants": []}}"#;
    assert_eq!(desk.fact("1001", parts).unwrap(), Fact::Unchanged);
    let note = decode_notification(parts.as_bytes(), Some("1001"))
        .result
        .unwrap();
    assert_eq!(
        note.event,
        Event::Update {
            notification_type: "ParticipantsUpdated".into()
        }
    );
    // The state member of a data notification is not read: it does not move the interaction.
    let odd = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "PropertiesUpdated",
        "chat": {"id": "c", "state": "Completed"}}"#;
    assert_eq!(desk.fact("1001", odd).unwrap(), Fact::Unchanged);
    // Unknown interaction (the engine's verdict); ended interaction.
    let unknown = parts.replace(r#""c""#, r#""zz""#);
    assert_eq!(
        desk.notify("1001", &unknown).unwrap_err().kind(),
        ErrorKind::UnknownInteraction
    );
    desk.notify("1001", &chat("c", "Completed")).unwrap();
    assert_eq!(
        desk.fact("1001", parts).unwrap_err().kind(),
        ErrorKind::AlreadyEnded
    );
    assert_eq!(
        desk.notify("1001", props).unwrap_err().kind(),
        ErrorKind::AlreadyEnded
    );
}

#[test]
fn media_from_the_message_type_direction_from_its_type_member() {
    let cases = [
        ("CallStateChangeMessage", "call", "callType", Media::Live),
        ("ChatStateChangeMessage", "chat", "chatType", Media::Chat),
        (
            "EmailStateChangeMessage",
            "email",
            "emailType",
            Media::Nonlive,
        ),
        (
            "WorkitemStateChangeMessage",
            "workitem",
            "workitemType",
            Media::Nonlive,
        ),
        (
            "OpenMediaStateChangeMessage",
            "interaction",
            "workitemType",
            Media::Nonlive,
        ),
        (
            "InteractionStateChangeMessage",
            "interaction",
            "chatType",
            Media::Nonlive,
        ),
    ];
    for (message_type, key, member, media) in cases {
        for (value, direction) in [
            (None, Direction::Inbound),
            (Some("Inbound"), Direction::Inbound),
            (Some("Outbound"), Direction::Outbound),
            (Some("Internal"), Direction::Inbound),
            (Some("Consult"), Direction::Inbound),
        ] {
            let extra = value.map_or(String::new(), |v| format!(r#", "{member}": "{v}""#));
            let body = format!(
                r#"{{"messageType": "{message_type}", "notificationType": "StatusChange", "{key}": {{"id": "x", "state": "Invited"{extra}}}}}"#
            );
            let note = decode_notification(body.as_bytes(), Some("1001"))
                .result
                .unwrap();
            assert_eq!(
                note.message_type,
                MessageType::from_wire(message_type).unwrap()
            );
            assert_eq!((note.media, note.direction), (media, direction), "{body}");
            let Fact::Apply(input) = note.fact(None).unwrap() else {
                panic!()
            };
            let fs = input.first_sight.unwrap();
            assert_eq!((fs.media, fs.direction), (media, direction));
        }
    }
    // A typed message reads only its own member: a chat's callType is not a direction.
    let body = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
        "chat": {"id": "x", "state": "Invited", "callType": "Outbound"}}"#;
    let note = decode_notification(body.as_bytes(), Some("1001"))
        .result
        .unwrap();
    assert_eq!(note.direction, Direction::Inbound);
}

#[test]
fn the_cometd_envelope_and_the_bare_data_decode_alike() {
    let bare = chat("c", "Invited");
    let wrapped = format!(r#"{{"channel": "/v2/me/chats", "data": {bare}, "id": "17"}}"#);
    let a = decode_notification(bare.as_bytes(), Some("1001"));
    let b = decode_notification(wrapped.as_bytes(), Some("1001"));
    assert_eq!(a, b);
    assert_eq!(a.result.unwrap().event, Event::Status(GwsState::Invited));
    // Errors inside the envelope name their path from the body.
    let bad = r#"{"data": {"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
        "chat": {"id": "c", "state": 7}}}"#;
    let err = decode_notification(bad.as_bytes(), Some("1001"))
        .result
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("data.chat.state"), "{err}");
}

#[test]
fn every_state_name_is_read_and_others_are_unsupported() {
    for state in GwsState::ALL {
        let note = decode_notification(chat("c", state.wire_name()).as_bytes(), Some("1001"));
        assert_eq!(note.label.as_deref(), Some(state.wire_name()));
        assert_eq!(note.result.unwrap().event, Event::Status(state));
    }
    for state in ["Sleeping", "processing", "", "dialing"] {
        let note = decode_notification(chat("c", state).as_bytes(), Some("1001"));
        let err = note.result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{state}");
        assert_eq!(note.label.as_deref(), Some(state));
        assert_eq!(note.interaction.as_deref(), Some("c"));
    }
}

#[test]
fn first_sight_carries_the_user_data() {
    let body = r#"{"messageType": "CallStateChangeMessage", "notificationType": "StatusChange",
        "call": {"id": "k", "state": "Established", "userData": {"ANI": "+442071234567", "n": 5}}}"#;
    let mut desk = Desk::default();
    desk.notify("1001", body).unwrap();
    let it = desk.engine.interaction("k").unwrap();
    assert_eq!(it.media(), Media::Live);
    assert_eq!(
        it.user_data().get("n"),
        Some(&Value::Number(interaction_core::Number::from_u64(5)))
    );
    assert_eq!(it.state().owner().unwrap().as_str(), "1001");
}

#[test]
fn a_data_notification_for_a_forgotten_interaction_is_already_ended() {
    // Nothing ended is retained: the interaction is forgotten at once, its fingerprint kept.
    let mut desk = Desk {
        engine: interaction_core::Engine::with_settings(interaction_core::EngineSettings {
            max_ended: 0,
            ..interaction_core::EngineSettings::default()
        }),
        ..Desk::default()
    };
    desk.notify("1001", &chat("c", "Invited")).unwrap();
    desk.notify("1001", &chat("c", "Chatting")).unwrap();
    desk.notify("1001", &chat("c", "Completed")).unwrap();
    assert!(desk.engine.interaction("c").is_none(), "forgotten");
    for body in [
        r#"{"messageType": "ChatStateChangeMessage", "notificationType": "ParticipantsUpdated",
            "chat": {"id": "c", "participants": []}}"#,
        r#"{"messageType": "ChatStateChangeMessage", "notificationType": "PropertiesUpdated",
            "chat": {"id": "c", "userData": {"k": "v"}}}"#,
    ] {
        assert_eq!(
            desk.notify("1001", body).unwrap_err().kind(),
            ErrorKind::AlreadyEnded,
            "{body}"
        );
    }
}

/// `handle_message` reads a single message without the `Prepared` value between: for every
/// kind of single message (an interaction's notification, bare or in its CometD `{"channel",
/// "data"}` envelope; a message of the agent's other channels; a body that cannot be read; an
/// unknown `messageType`; no body) and for what it passes on (a batch, another method), its
/// answer, items and outgoing requests, the engine and the adapter state after, are those of
/// `prepare_message` then `apply`, message after message.
#[test]
fn one_message_is_handled_as_prepared_then_applied() {
    use interaction_gws::endpoint::{apply, handle_message, prepare_message};
    use interaction_wire::Request;
    let invited = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {"id": "ch-1", "state": "Invited", "capabilities": ["Accept", "Reject"]}}"#;
    let chatting = r#"{"channel": "/v2/me/chats", "data": {"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {"id": "ch-1", "state": "Chatting"}}}"#;
    let device = r#"{"data": {"messageType": "DeviceStateChangeMessage", "devices": [{"id": "d1", "deviceState": "Active", "userState": {"state": "NotReady"}}]}, "channel": "/v2/me/devices"}"#;
    let batch = format!("[{chatting}, {device}]");
    let sends: [(&str, &str); 9] = [
        ("POST", invited),
        ("POST", chatting),
        ("POST", device),
        (
            "POST",
            r#"{"messageType": "DeviceStateChangeMessage", "devices": 3}"#,
        ),
        (
            "POST",
            r#"{"messageType": "NoSuchMessage", "chat": {"id": "ch-1"}}"#,
        ),
        ("POST", "{not json"),
        ("POST", ""),
        ("POST", &batch),
        ("GET", invited),
    ];
    let mut one = common::Desk::default();
    let mut two = common::Desk::default();
    let mut seen = Vec::new();
    for (method, body) in sends {
        let request = Request {
            method,
            identity: Some("1001"),
            ..Request::post("/v2/me/chats", body.as_bytes())
        };
        let handled = handle_message(
            &mut one.engine,
            &mut one.state,
            &request,
            &mut common::References(0),
        );
        let prepared = prepare_message(&request);
        let expected = apply(
            &mut two.engine,
            &mut two.state,
            prepared,
            request.identity,
            &mut common::References(0),
        );
        seen.push((
            handled.response.status,
            handled.items.first().and_then(|i| i.action.clone()),
        ));
        assert_eq!(handled, expected, "{method} {body}");
        assert_eq!(one.engine, two.engine, "{method} {body}");
        assert_eq!(one.state, two.state, "{method} {body}");
    }
    // Each took its own path: offer, accept, the device's agent action, the refusals, the
    // batch, the method.
    let actions: Vec<(u16, Option<&str>)> = seen.iter().map(|(s, a)| (*s, a.as_deref())).collect();
    assert_eq!(
        actions,
        [
            (200, Some("offer")),
            (200, Some("accept")),
            (200, Some("set_not_ready")),
            (400, None),
            (200, Some("NoSuchMessage")),
            (400, None),
            (400, None),
            (200, Some("assign")),
            (405, None),
        ]
    );
    assert_eq!(
        one.engine.interaction("ch-1").map(|it| it.state().kind()),
        Some(StateKind::Connected)
    );
}
