//! Round trips of every wire type (encode -> decode equal), wire request -> core input, and
//! "never panics" over arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{Action, Actor, ErrorKind, UserData, Value};
use interaction_gws::{
    Event, Fact, Operation, Request, Style, decode_notification, decode_operation, endpoint,
    response, wire,
};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes `value` to JSON text and decodes it back.
fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let text = serde_json::to_string(value).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Any string, control characters and non-ASCII included.
fn any_text() -> impl Strategy<Value = String> {
    ".{0,24}"
}

/// A valid core id: 1 to 40 characters, no control characters.
/// A valid id: no control character, not only whitespace.
fn id_text() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{0,39}[^\\p{Cc}\\s][^\\p{Cc}]{0,39}"
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(interaction_core::Number::from_i64(n))),
        any::<u64>().prop_map(|n| Value::Number(interaction_core::Number::from_u64(n))),
        any::<f64>().prop_filter_map("finite", |f| interaction_core::Number::from_f64(f)
            .map(Value::Number)),
        any_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(any_text(), inner, 0..4).prop_map(Value::Object),
        ]
    })
}

fn user_data() -> impl Strategy<Value = UserData> {
    btree_map(any_text(), json_value(), 0..4)
}

fn operation_request() -> impl Strategy<Value = wire::OperationRequest> {
    (
        any_text(),
        option::of(any_text()),
        option::of(user_data()),
        option::of(any_text()),
        option::of(any_text()),
    )
        .prop_map(
            |(operation_name, queue_name, user_data, workbin, user_id)| wire::OperationRequest {
                operation_name,
                queue_name,
                user_data,
                workbin,
                user_id,
                ..wire::OperationRequest::default()
            },
        )
}

fn resource() -> impl Strategy<Value = wire::Resource> {
    (
        any_text(),
        option::of(any_text()),
        option::of(vec(any_text(), 0..4)),
        option::of(user_data()),
        [
            option::of(any_text()),
            option::of(any_text()),
            option::of(any_text()),
            option::of(any_text()),
        ],
        option::of(any_text()),
        [option::of(any_text()), option::of(any_text())],
    )
        .prop_map(
            |(id, state, capabilities, user_data, types, workbin, parent)| {
                let [call_type, chat_type, email_type, workitem_type] = types;
                let [parent_call_path, parent_call_uri] = parent;
                wire::Resource {
                    id,
                    state,
                    capabilities,
                    user_data,
                    call_type,
                    chat_type,
                    email_type,
                    workitem_type,
                    workbin,
                    dnis: None,
                    parent_call_path,
                    parent_call_uri,
                }
            },
        )
}

fn notification() -> impl Strategy<Value = wire::Notification> {
    (
        any_text(),
        option::of(any_text()),
        [
            option::of(resource()),
            option::of(resource()),
            option::of(resource()),
            option::of(resource()),
            option::of(resource()),
        ],
    )
        .prop_map(|(message_type, notification_type, resources)| {
            let [call, chat, email, workitem, interaction] = resources;
            wire::Notification {
                message_type,
                notification_type,
                call,
                chat,
                email,
                workitem,
                interaction,
            }
        })
}

proptest! {
    #[test]
    fn operation_requests_round_trip(request in operation_request()) {
        prop_assert_eq!(round_trip(&request), request);
    }

    #[test]
    fn notifications_round_trip(data in notification(), channel in option::of(any_text())) {
        let message = wire::CometdMessage { channel, data };
        prop_assert_eq!(round_trip(&message), message);
    }

    #[test]
    fn responses_round_trip(
        status in any_text(),
        description in option::of(any_text()),
        code in any::<u32>(),
        items in option::of(vec((any_text(), any_text(), user_data()), 0..3)),
    ) {
        let r = wire::StatusResponse {
            status,
            error_description: description.clone(),
            interactions: items.map(|items| {
                items
                    .into_iter()
                    .map(|(id, workbin, user_data)| wire::WorkbinItem {
                        id,
                        state: "InWorkbin".into(),
                        workbin,
                        user_data,
                    })
                    .collect()
            }),
        };
        prop_assert_eq!(round_trip(&r), r);
        let r = wire::StatusCodeResponse { status_code: code, status_message: description };
        prop_assert_eq!(round_trip(&r), r);
        let r = wire::CancelResponse { status: code };
        prop_assert_eq!(round_trip(&r), r);
    }

    /// A wire request with valid values, encoded as the vendor would send it, decodes to the
    /// core action the operation names, with the same arguments.
    #[test]
    fn wire_requests_decode_to_their_core_action(
        op in prop::sample::select(Operation::SEED.to_vec()),
        id in id_text(),
        agent in id_text(),
        name in id_text(),
        data in user_data(),
    ) {
        let request = wire::OperationRequest {
            operation_name: op.wire_name().to_owned(),
            queue_name: Some(name.clone()),
            user_data: Some(data.clone()),
            workbin: Some(name.clone()),
            user_id: Some(format!("{name}-other")),
            ..wire::OperationRequest::default()
        };
        let body = serde_json::to_vec(&request).unwrap();
        let item = decode_operation(&id, Some(&agent), &body);
        prop_assert_eq!(item.operation, Some(op));
        let result = item.result;
        if op == Operation::Transfer && format!("{name}-other") == agent {
            prop_assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidField);
            return Ok(());
        }
        match result.unwrap() {
            Request::WorkbinContent { interaction, agent: a, workbin } => {
                prop_assert_eq!(op, Operation::GetWorkbinContent);
                prop_assert_eq!(interaction.as_str(), id.as_str());
                prop_assert_eq!(a.as_str(), agent.as_str());
                prop_assert_eq!(workbin.as_str(), name.as_str());
            }
            Request::Apply(input) => {
                prop_assert_eq!(input.interaction.as_str(), id.as_str());
                prop_assert_eq!(input.actor.agent().map(|a| a.as_str().to_owned()), Some(agent.clone()));
                // A Complete with a queueName places it in that queue (ChatComplete).
                let expected = if op == Operation::Complete {
                    Some(interaction_core::ActionKind::PlaceInQueue)
                } else {
                    op.action_kind()
                };
                prop_assert_eq!(Some(input.action.kind()), expected);
                match input.action {
                    Action::PlaceInQueue { queue } => prop_assert_eq!(queue.as_str(), name.as_str()),
                    Action::PlaceInWorkbin { workbin } => prop_assert_eq!(workbin.as_str(), name.as_str()),
                    Action::TransferToAgent { agent: to } => prop_assert_eq!(to.as_str().to_owned(), format!("{name}-other")),
                    Action::UpdateUserData { user_data } | Action::AttachUserData { user_data } => prop_assert_eq!(user_data, data.clone()),
                    Action::DeleteUserData { keys } => prop_assert_eq!(keys, data.keys().cloned().collect::<Vec<_>>()),
                    _ => {}
                }
            }
            other => prop_assert!(false, "the seed operations are actions or a read: {other:?}"),
        }
    }

    /// A wire notification with valid values decodes to the same id, user data, capabilities.
    #[test]
    fn wire_notifications_decode_to_what_they_say(
        id in id_text(),
        agent in id_text(),
        data in option::of(user_data()),
        caps in option::of(vec(any_text(), 0..4)),
        state in prop::sample::select(vec!["Invited", "Processing", "Chatting", "Established"]),
    ) {
        let message = wire::Notification {
            message_type: "ChatStateChangeMessage".into(),
            notification_type: Some("StatusChange".into()),
            chat: Some(wire::Resource {
                id: id.clone(),
                state: Some(state.into()),
                capabilities: caps.clone(),
                user_data: data.clone(),
                chat_type: Some("Outbound".into()),
                ..wire::Resource::default()
            }),
            ..wire::Notification::default()
        };
        let item = decode_notification(&serde_json::to_vec(&message).unwrap(), Some(&agent));
        prop_assert_eq!(item.capabilities.clone(), caps);
        prop_assert_eq!(item.interaction.as_deref(), Some(id.as_str()));
        let note = item.result.unwrap();
        prop_assert_eq!(note.user_data.clone(), data.clone());
        prop_assert!(matches!(note.event, Event::Status(_)));
        let Fact::Apply(input) = note.fact(None).unwrap() else { panic!() };
        prop_assert_eq!(input.actor, Actor::Platform);
        let fs = input.first_sight.unwrap();
        prop_assert_eq!(fs.user_data, data.unwrap_or_default());
        prop_assert_eq!(fs.direction.name(), "outbound");
    }

    /// Arbitrary bytes, ids and agents: a typed result, never a panic.
    #[test]
    fn arbitrary_input_never_panics(
        body in vec(any::<u8>(), 0..256),
        id in any_text(),
        agent in option::of(any_text()),
    ) {
        let _ = decode_operation(&id, agent.as_deref(), &body);
        let _ = decode_notification(&body, agent.as_deref());
        let _ = endpoint(&String::from_utf8_lossy(&body));
        let _ = endpoint(&id);
    }

    /// Arbitrary JSON shaped like the real thing: never a panic, and every refusal has a message.
    #[test]
    fn arbitrary_json_never_panics(
        name in prop::sample::select(vec!["Accept", "PlaceInQueue", "UpdateUserData", "Transfer", "GetWorkbinContent", "x"]),
        extra in json_value(),
        state in any_text(),
    ) {
        let extra = serde_json::to_string(&extra).unwrap();
        for body in [
            format!(r#"{{"operationName": "{name}", "userData": {extra}, "queueName": {extra}, "workbin": {extra}, "userId": {extra}}}"#),
            format!(r#"{{"operationName": {extra}}}"#),
        ] {
            if let Err(e) = decode_operation("i", Some("a"), body.as_bytes()).result {
                prop_assert!(!e.to_string().is_empty());
            }
        }
        let state = serde_json::to_string(&state).unwrap();
        for body in [
            format!(r#"{{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {{"id": "c", "state": {state}, "userData": {extra}, "capabilities": {extra}, "chatType": {extra}, "workbin": {extra}}}}}"#),
            format!(r#"{{"data": {extra}}}"#),
            format!(r#"{{"messageType": "WorkitemStateChangeMessage", "notificationType": {extra}, "workitem": {extra}}}"#),
        ] {
            let item = decode_notification(body.as_bytes(), Some("a"));
            if let Ok(note) = item.result {
                let _ = note.fact(None);
            }
        }
    }
}

#[test]
fn every_style_writes_the_shape_its_wire_type_reads() {
    let err = interaction_core::Error::missing_field("userId");
    for style in [Style::Status, Style::StatusCode, Style::Cancel] {
        for result in [Ok(()), Err(&err)] {
            let (_, body) = response(style, result);
            match (style, result.is_ok()) {
                (Style::Status, _) => {
                    let r: wire::StatusResponse = serde_json::from_value(body.clone()).unwrap();
                    assert_eq!(serde_json::to_value(r).unwrap(), body);
                }
                (Style::Cancel, true) => {
                    let r: wire::CancelResponse = serde_json::from_value(body.clone()).unwrap();
                    assert_eq!(serde_json::to_value(r).unwrap(), body);
                }
                _ => {
                    let r: wire::StatusCodeResponse = serde_json::from_value(body.clone()).unwrap();
                    assert_eq!(serde_json::to_value(r).unwrap(), body);
                }
            }
        }
    }
}
