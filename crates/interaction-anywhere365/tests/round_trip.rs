//! Round trips (typed -> wire -> JSON text -> decoded, equal; wire -> JSON -> wire, equal) and
//! "never panics, never changes anything when refused" over arbitrary input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Broker;
use interaction_anywhere365::{
    Command, Event, SubscriptionId, Subscriptions, TelNumber, decode_command, decode_event,
    decode_subscribe, endpoint, event_item, wire,
};
use interaction_core::{AgentId, Engine, InteractionId};
use proptest::option;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let text = serde_json::to_string(value).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn any_text() -> impl Strategy<Value = String> {
    ".{0,24}"
}

fn code() -> impl Strategy<Value = wire::Code> {
    prop_oneof![
        any::<u64>().prop_map(wire::Code::Number),
        any_text().prop_map(wire::Code::Name),
    ]
}

/// A valid id: 1 to 40 characters, no control characters.
/// A valid id: no control character, not only whitespace.
fn id_text() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{0,39}[^\\p{Cc}\\s][^\\p{Cc}]{0,39}"
}

fn sip() -> impl Strategy<Value = AgentId> {
    (
        "(sip|SIP|Sip):[a-zA-Z0-9._+%-]{0,2}[a-zA-Z0-9]{1,12}",
        "[a-z0-9]{1,10}(\\.[a-z]{2,6}){0,2}",
    )
        .prop_filter("a `%` needs two hex digits", |(user, _)| {
            !user.contains('%')
        })
        .prop_map(|(user, domain)| {
            AgentId::parse(&format!("{user}@{domain}"), "ImAddress").unwrap()
        })
}

fn event() -> impl Strategy<Value = Event> {
    (
        id_text(),
        proptest::sample::select(wire::EventType::ALL),
        sip(),
        option::of(proptest::sample::select(wire::SessionType::ALL)),
        id_text(),
        any::<bool>(),
        option::of(id_text()),
    )
        .prop_map(
            |(sub, event_type, agent, session_type, call, failed, ani)| Event {
                subscription: SubscriptionId::parse(&sub, "SubscriptionId").unwrap(),
                event_type,
                agent,
                session_type,
                call: event_type
                    .is_call_event()
                    .then(|| InteractionId::parse(&call, "callId").unwrap()),
                login_failed: failed && event_type == wire::EventType::LoggedIn,
                ani,
            },
        )
}

fn command() -> impl Strategy<Value = Command> {
    (sip(), 0..4_u8, "[1-9][0-9]{0,14}").prop_map(|(agent, which, digits)| match which {
        0 => Command::AgentLogin { agent },
        1 => Command::AgentLogout { agent },
        2 => Command::Dial {
            agent,
            number: TelNumber::parse(&format!("tel:+{digits}"), "number").unwrap(),
        },
        _ => Command::HeartBeat { agent },
    })
}

proptest! {
    #[test]
    fn wire_events_round_trip(
        subscription_id in any_text(),
        session_type in option::of(code()),
        im_address in any_text(),
        event_type in code(),
        call_id in option::of(any_text()),
        ani in option::of(any_text()),
    ) {
        let event = wire::Event { subscription_id, session_type, im_address, event_type, call_id, ani };
        prop_assert_eq!(round_trip(&event), event);
    }

    #[test]
    fn wire_commands_round_trip(im_address in any_text(), command_type in code(), number in option::of(any_text())) {
        let command = wire::Command { im_address, command_type, number };
        prop_assert_eq!(round_trip(&command), command);
    }

    #[test]
    fn events_decode_back_from_their_wire_form(event in event()) {
        let text = serde_json::to_vec(&event.to_wire()).unwrap();
        prop_assert_eq!(decode_event(&text).unwrap(), event);
    }

    #[test]
    fn commands_decode_back_from_their_wire_form(command in command()) {
        let text = serde_json::to_vec(&command.to_wire()).unwrap();
        prop_assert_eq!(decode_command(&text).result.unwrap(), command);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let engine = Engine::new();
        let subscriptions = Subscriptions::new();
        let _ = event_item(&bytes, &engine, &subscriptions);
        let _ = decode_command(&bytes);
        let _ = decode_subscribe(&bytes);
        let _ = endpoint(&String::from_utf8_lossy(&bytes));
    }

    /// Objects built from the page's members with values of every JSON type: decoding never
    /// panics, and a refused event leaves the engine and the subscriptions as they were (the
    /// harness asserts it).
    #[test]
    fn arbitrary_events_are_decoded_or_refused_cleanly(
        members in proptest::collection::vec(
            (
                proptest::sample::select(vec!["SubscriptionId", "SessionType", "ImAddress", "eventType", "callId", "ani", "other"]),
                prop_oneof![
                    Just(json!(null)),
                    any::<bool>().prop_map(|b| json!(b)),
                    (0_u64..16).prop_map(|n| json!(n)),
                    any::<i64>().prop_map(|n| json!(n)),
                    any_text().prop_map(|s| json!(s)),
                    proptest::sample::select(vec!["sip:alice@contoso.com", "sip:bob@contoso.com", "c1", "s1", "failed", "Hunting", "Retrieve"]).prop_map(|s| json!(s)),
                    Just(json!([1, {"a": []}])),
                ],
            ),
            0..8,
        ),
        replays in 1..4_usize,
    ) {
        let mut broker = Broker::new();
        let body: serde_json::Map<String, serde_json::Value> =
            members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let body = serde_json::Value::Object(body);
        for _ in 0..replays {
            let _ = broker.event(&body);
        }
    }
}
