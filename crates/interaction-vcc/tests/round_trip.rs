//! Round trips of every wire type (decode -> encode -> decode equal), core effect -> callback ->
//! core input, and "never panics" over arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{
    Action, Actor, AgentId, Effect, IdempotencyKey, InteractionId, Notification, ProviderName,
    UserData, Value,
};
use interaction_vcc::{decode_callbacks, decode_invoke, decode_register, wire};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes `value` to JSON text and decodes it back. Text, not `serde_json::Value`: a `Value`
/// sorts object members, and the wire types keep their order.
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
    btree_map(
        any_text().prop_filter(
            "interactiontype, personalqueue and skills are members",
            |k| !matches!(k.as_str(), "interactiontype" | "personalqueue" | "skills"),
        ),
        json_value(),
        0..4,
    )
}

/// Any JSON number, as serde_json holds it.
fn number() -> impl Strategy<Value = serde_json::Number> {
    prop_oneof![
        any::<u64>().prop_map(serde_json::Number::from),
        any::<i64>().prop_map(serde_json::Number::from),
        any::<f64>().prop_filter_map("finite", serde_json::Number::from_f64),
    ]
}

fn linked_data() -> impl Strategy<Value = wire::LinkedData> {
    (
        option::of(any_text()),
        option::of(any_text()),
        option::of(json_value().prop_filter("null reads as absent", |v| *v != Value::Null)),
        btree_map(
            any_text().prop_filter("type, label and value are members", |k| {
                !matches!(k.as_str(), "type" | "label" | "value")
            }),
            json_value(),
            0..3,
        ),
    )
        .prop_map(|(kind, label, value, extra)| wire::LinkedData {
            kind,
            label,
            value,
            extra,
        })
}

fn notification() -> impl Strategy<Value = wire::Notification> {
    (
        any_text(),
        any_text(),
        any_text(),
        any_text(),
        option::of(any_text()),
        option::of(any_text()),
    )
        .prop_map(
            |(notification, objectid, notificationid, account_name, agent, agent_id)| {
                wire::Notification {
                    notification,
                    objectid,
                    notificationid,
                    params: wire::NotificationParams {
                        account_name,
                        agent,
                        agent_id,
                    },
                }
            },
        )
}

fn registration() -> impl Strategy<Value = wire::Registration> {
    (
        any_text(),
        option::of(any_text()),
        option::of(vec((any_text(), any_text()), 0..4)),
        option::of(vec((any_text(), any::<u8>()), 0..4)),
    )
        .prop_map(
            |(provider, endpoint, headers, agentactionspermitted)| wire::Registration {
                provider,
                endpoint,
                headers,
                agentactionspermitted,
            },
        )
}

fn invocation() -> impl Strategy<Value = wire::Invocation> {
    let queue = (
        option::of(any_text()),
        option::of(number()),
        option::of(number()),
    )
        .prop_map(
            |(agent, loggedintimeout, loggedouttimeout)| wire::PersonalQueue {
                agent,
                loggedintimeout,
                loggedouttimeout,
            },
        );
    let skill = (option::of(any_text()), option::of(number()))
        .prop_map(|(name, expiryafter)| wire::Skill { name, expiryafter });
    let routing = (
        option::of(any_text()),
        option::of(queue),
        option::of(vec(skill, 0..3)),
        user_data(),
    )
        .prop_map(
            |(interactiontype, personalqueue, skills, data)| wire::RoutingData {
                interactiontype,
                personalqueue,
                skills,
                data,
            },
        );
    let request = (
        option::of(any_text()),
        option::of(any_text()),
        option::of(any_text()),
        option::of(any_text()),
        option::of(vec(linked_data(), 0..3)),
        option::of(routing),
    )
        .prop_map(
            |(action, requestid, externalid, route, linkeddata, routingdata)| wire::InvokeRequest {
                action,
                requestid,
                externalid,
                route,
                linkeddata,
                routingdata,
            },
        );
    (option::of(any_text()), vec(request, 0..4))
        .prop_map(|(provider, requests)| wire::Invocation { provider, requests })
}

proptest! {
    #[test]
    fn notification_round_trips(n in notification()) {
        prop_assert_eq!(round_trip(&n), n.clone());
        prop_assert_eq!(round_trip(&vec![n.clone(), n.clone()]), vec![n.clone(), n]);
    }

    #[test]
    fn registration_round_trips(r in registration()) {
        prop_assert_eq!(round_trip(&r), r);
    }

    #[test]
    fn invocation_round_trips(i in invocation()) {
        prop_assert_eq!(round_trip(&i), i);
    }

    /// A core notification effect encodes to a callback that decodes to the matching input.
    #[test]
    fn notification_effects_decode_back(
        objectid in id_text(),
        notificationid in id_text(),
        account in id_text(),
        agent in option::of(id_text()),
    ) {
        let notification = match &agent {
            Some(a) => Notification::AssignToAgent { agent: AgentId::parse(a, "a").unwrap() },
            None => Notification::Release,
        };
        let effect = Effect::Notify {
            provider: ProviderName::parse("P", "p").unwrap(),
            interaction: InteractionId::parse(&objectid, "o").unwrap(),
            notification,
        };
        let encoded =
            interaction_vcc::encode_notification(&effect, &notificationid, &account).unwrap();
        let body = serde_json::to_vec(&vec![encoded]).unwrap();
        let items = decode_callbacks(&body).unwrap();
        prop_assert_eq!(items.len(), 1);
        let input = items[0].result.clone().unwrap();
        prop_assert_eq!(input.interaction.as_str(), objectid.as_str());
        prop_assert_eq!(input.actor, Actor::Platform);
        prop_assert_eq!(
            input.key,
            Some(IdempotencyKey::scoped("notificationid", Some(&account), &notificationid).unwrap())
        );
        let want = match agent {
            Some(a) => Action::Assign { agent: AgentId::parse(&a, "a").unwrap() },
            None => Action::Release,
        };
        prop_assert_eq!(input.action, want);
    }

    /// Every wire value decodes without panicking, and a decoded dispatch keeps its user data.
    #[test]
    fn decoders_never_panic_on_wire_shaped_input(
        i in invocation(),
        r in registration(),
        n in vec(notification(), 0..3),
    ) {
        if let Ok(items) = decode_invoke(&serde_json::to_vec(&i).unwrap()) {
            prop_assert_eq!(items.len(), i.requests.len());
            for (item, request) in items.iter().zip(&i.requests) {
                if let Ok(invoked) = &item.result
                    && let Action::Dispatch { user_data, .. } = invoked.action()
                {
                    let data = request.routingdata.as_ref().map(|r| r.data.clone());
                    prop_assert_eq!(Some(user_data.clone()), data);
                }
            }
        }
        let _ = decode_register(&serde_json::to_vec(&r).unwrap());
        if let Ok(items) = decode_callbacks(&serde_json::to_vec(&n).unwrap()) {
            prop_assert_eq!(items.len(), n.len());
        }
    }

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(body in vec(any::<u8>(), 0..256)) {
        let _ = decode_invoke(&body);
        let _ = decode_register(&body);
        let _ = decode_callbacks(&body);
    }

    #[test]
    fn decoders_never_panic_on_json_like_text(body in r#"[\[\]{}",:0-9a-zA-Z \\]{0,128}"#) {
        let _ = decode_invoke(body.as_bytes());
        let _ = decode_register(body.as_bytes());
        let _ = decode_callbacks(body.as_bytes());
        let _ = interaction_vcc::endpoint(&body);
    }
}
