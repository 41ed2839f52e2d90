//! Every example payload of the two VCC Interactions pages, decoded into the core input or
//! settings it stands for, and every wire type round-tripped through the fixtures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, fixture_json};
use interaction_core::{
    Action, Actor, AgentId, Api, Direction, Engine, IdempotencyKey, Input, InteractionId, Media,
    Name, Permission, Permissions, ProviderName, ProviderSettings, UserData,
};
use interaction_vcc::{decode_callbacks, decode_invoke, decode_register, wire};

/// A `requestid` in the scope of `provider` (MODEL.md section 11).
fn requestid(provider: Option<&str>, value: &str) -> IdempotencyKey {
    IdempotencyKey::scoped("requestid", provider, value).unwrap()
}

/// A `notificationid` in the scope of the account `account`.
fn notificationid(account: &str, value: &str) -> IdempotencyKey {
    IdempotencyKey::scoped("notificationid", Some(account), value).unwrap()
}

fn interaction(id: &str) -> InteractionId {
    InteractionId::parse(id, "id").unwrap()
}

// ---- Invoke (vcc-interactions-invoke.txt) ----

/// The page's "Example Invocation object" and the same body in its curl "Example request".
#[test]
fn invoke_examples_dispatch_a_nonlive_interaction() {
    let want = Input::new(
        interaction("sourceObjectName"),
        Action::Dispatch {
            route: Name::parse("Route Interaction NR", "route").unwrap(),
            media: Media::Nonlive,
            direction: Direction::Inbound,
            user_data: UserData::new(),
        },
        Actor::Provider(None),
    )
    .with_key(requestid(None, "uniqueRequestId"))
    .via(Api::Vcc);

    for name in [
        "invoke-example-invocation-object.json",
        "invoke-example-request-curl.json",
    ] {
        let items = decode_invoke(&fixture(name)).unwrap();
        assert_eq!(items.len(), 1, "{name}");
        let item = &items[0];
        assert_eq!(item.action, "dispatch");
        assert_eq!(item.externalid.as_deref(), Some("sourceObjectName"));
        let input = item.result.clone().map(|i| i.input().unwrap());
        assert_eq!(input.as_ref(), Ok(&want), "{name}");
    }
}

#[test]
fn invoke_examples_round_trip_through_the_wire_types() {
    for name in [
        "invoke-example-invocation-object.json",
        "invoke-example-request-curl.json",
    ] {
        let decoded: wire::Invocation = serde_json::from_slice(&fixture(name)).unwrap();
        assert_eq!(decoded.provider, None);
        assert_eq!(decoded.requests.len(), 1);
        let request = &decoded.requests[0];
        assert_eq!(request.action.as_deref(), Some("dispatch"));
        assert_eq!(
            request
                .routingdata
                .as_ref()
                .unwrap()
                .interactiontype
                .as_deref(),
            Some("nonlive")
        );
        let encoded = serde_json::to_value(&decoded).unwrap();
        assert_eq!(
            encoded,
            fixture_json(name),
            "{name}: encoding changed the JSON"
        );
        let again: wire::Invocation = serde_json::from_value(encoded).unwrap();
        assert_eq!(again, decoded);
    }
}

/// The rest of `routingdata` becomes the interaction's initial user data, and the envelope's
/// `provider` the actor.
#[test]
fn routing_data_and_provider_carry_over() {
    let body = br#"{"provider": "TestProviderName", "requests": [
        {"requestid": "r1", "externalid": "x1", "route": "Route Interaction NR",
         "routingdata": {"interactiontype": "chat", "skill": "billing", "priority": 5,
                         "tags": ["a", null, true], "customer": {"tier": "gold"}}},
        {"action": "release", "requestid": "r2", "externalid": "x0"}]}"#;
    let items = decode_invoke(body).unwrap();
    let provider = Actor::Provider(Some(ProviderName::parse("TestProviderName", "p").unwrap()));

    let inputs: Vec<Input> = items
        .iter()
        .map(|item| item.result.clone().unwrap().input().unwrap())
        .collect();
    let dispatch = &inputs[0];
    assert_eq!(items[0].action, "dispatch", "absent action means dispatch");
    assert_eq!(dispatch.actor, provider);
    assert_eq!(
        dispatch.key,
        Some(requestid(Some("TestProviderName"), "r1"))
    );
    assert_eq!(dispatch.api, Api::Vcc);
    let Action::Dispatch {
        media, user_data, ..
    } = &dispatch.action
    else {
        panic!("not a dispatch: {dispatch:?}");
    };
    assert_eq!(*media, Media::Chat);
    let want: UserData = serde_json::from_str(
        r#"{"skill": "billing", "priority": 5, "tags": ["a", null, true],
            "customer": {"tier": "gold"}}"#,
    )
    .unwrap();
    assert_eq!(user_data, &want);

    let release = &inputs[1];
    assert_eq!(items[1].action, "release");
    assert_eq!(
        release,
        &Input::new(interaction("x0"), Action::Release, provider)
            .with_key(requestid(Some("TestProviderName"), "r2"))
            .via(Api::Vcc)
    );
}

// ---- Register (vcc-interactions-register.txt) ----

fn all_permitted() -> Permissions {
    Permission::ALL
        .into_iter()
        .fold(Permissions::defaults(), |p, permission| {
            p.with(permission, true)
        })
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn register_examples_give_the_documented_settings() {
    let provider = ProviderName::parse("TestProviderName", "provider").unwrap();
    let endpoint = Some("https://endpoint.example.com/routingendpoint".to_owned());
    let cases = [
        (
            "register-example-body.json",
            ProviderSettings {
                endpoint: endpoint.clone(),
                headers: headers(&[("x-header1", "value1"), ("x-header2", "value2")]),
                permissions: all_permitted(),
            },
        ),
        (
            "register-allowing-release.json",
            ProviderSettings {
                endpoint: None,
                headers: Vec::new(),
                permissions: Permissions::defaults().with(Permission::Release, true),
            },
        ),
        (
            // No agentactionspermitted although the page marks it Required: the defaults.
            "register-with-callback-endpoint.json",
            ProviderSettings {
                endpoint,
                headers: headers(&[("Authorization", "Basic <token>")]),
                permissions: Permissions::defaults(),
            },
        ),
        (
            "register-without-callback-endpoint.json",
            ProviderSettings {
                endpoint: None,
                headers: Vec::new(),
                permissions: all_permitted(),
            },
        ),
    ];
    for (name, want) in cases {
        let (got_provider, got) = decode_register(&fixture(name)).unwrap();
        assert_eq!(got_provider, provider, "{name}");
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn register_examples_round_trip_through_the_wire_types() {
    for name in [
        "register-example-body.json",
        "register-allowing-release.json",
        "register-with-callback-endpoint.json",
        "register-without-callback-endpoint.json",
    ] {
        let decoded: wire::Registration = serde_json::from_slice(&fixture(name)).unwrap();
        assert_eq!(decoded.provider, "TestProviderName");
        let encoded = serde_json::to_string(&decoded).unwrap();
        let value: serde_json::Value = serde_json::from_str(&encoded).unwrap();
        assert_eq!(
            value,
            fixture_json(name),
            "{name}: encoding changed the JSON"
        );
        // From the text, not a serde_json::Value: a Value sorts object members.
        let again: wire::Registration = serde_json::from_str(&encoded).unwrap();
        assert_eq!(again, decoded);
    }
    let text = String::from_utf8(fixture("register-example-body.json")).unwrap();
    let decoded: wire::Registration = serde_json::from_str(&text).unwrap();
    assert_eq!(
        decoded.headers.as_deref(),
        Some(&headers(&[("x-header1", "value1"), ("x-header2", "value2")])[..])
    );
    assert_eq!(
        decoded.agentactionspermitted.unwrap(),
        vec![
            ("release".to_owned(), 1),
            ("hold".to_owned(), 1),
            ("transferToAgent".to_owned(), 1),
            ("transferToRoute".to_owned(), 1)
        ]
    );
}

// ---- Callbacks (vcc-interactions-register.txt, "Callbacks") ----

#[test]
fn callback_examples_decode_to_platform_facts() {
    let items = decode_callbacks(&fixture("callback-assign-to-agent.json")).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].action, "assign");
    assert_eq!(items[0].objectid.as_deref(), Some("88381694"));
    assert_eq!(
        items[0].result,
        Ok(Input::new(
            interaction("88381694"),
            Action::Assign {
                agent: AgentId::parse("5464", "AgentId").unwrap()
            },
            Actor::Platform
        )
        .with_key(notificationid(
            "InsightsDemoEMEA",
            "d8016173-f069-4fa4-ac3e-2a4a1bae6ea8"
        ))
        .via(Api::Vcc))
    );

    let items = decode_callbacks(&fixture("callback-release.json")).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].action, "release");
    assert_eq!(items[0].objectid.as_deref(), Some("88381694"));
    assert_eq!(
        items[0].result,
        Ok(
            Input::new(interaction("88381694"), Action::Release, Actor::Platform)
                .with_key(notificationid(
                    "InsightsDemoEMEA",
                    "309eb0a5-6647-4b5c-9bf7-54a2b9a82768"
                ))
                .via(Api::Vcc)
        )
    );
}

#[test]
fn callback_examples_round_trip_through_the_wire_types() {
    for name in ["callback-assign-to-agent.json", "callback-release.json"] {
        let decoded: Vec<wire::Notification> = serde_json::from_slice(&fixture(name)).unwrap();
        let encoded = serde_json::to_value(&decoded).unwrap();
        assert_eq!(
            encoded,
            fixture_json(name),
            "{name}: encoding changed the JSON"
        );
        let again: Vec<wire::Notification> = serde_json::from_value(encoded).unwrap();
        assert_eq!(again, decoded);
    }
}

/// The core's notification effects for the fixtures' interaction encode back to the fixtures
/// (given the same notificationid and AccountName). The one difference is documented:
/// `params.Agent`, the agent's user name, is unknown to the core and omitted.
#[test]
fn the_core_effects_encode_back_to_the_callback_examples() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let (provider, settings) = decode_register(&fixture("register-example-body.json")).unwrap();
    engine.register_provider(provider, settings).unwrap();
    let dispatch = br#"{"provider": "TestProviderName", "requests": [{"externalid": "88381694",
        "route": "Route Interaction NR", "routingdata": {"interactiontype": "nonlive"}}]}"#;
    for item in decode_invoke(dispatch).unwrap() {
        let input = item.result.unwrap().input().unwrap();
        engine.apply(input, &mut effects).unwrap();
    }
    assert!(effects.is_empty());

    for name in ["callback-assign-to-agent.json", "callback-release.json"] {
        let mut want = fixture_json(name);
        let element = &mut want[0];
        let notificationid = element["notificationid"].as_str().unwrap().to_owned();
        let account = element["params"]["AccountName"]
            .as_str()
            .unwrap()
            .to_owned();

        effects.clear();
        for item in decode_callbacks(&fixture(name)).unwrap() {
            engine.apply(item.result.unwrap(), &mut effects).unwrap();
        }
        assert_eq!(effects.len(), 1, "{name}: {effects:?}");
        let encoded =
            interaction_vcc::encode_notification(&effects[0], &notificationid, &account).unwrap();
        let text = serde_json::to_string(&vec![encoded]).unwrap();
        let got: serde_json::Value = serde_json::from_str(&text).unwrap();

        let agent = element["params"].as_object_mut().unwrap().remove("Agent");
        assert_eq!(
            agent.is_some(),
            name == "callback-assign-to-agent.json",
            "only AssignToAgent carries Agent"
        );
        assert_eq!(got, want, "{name}");
        // Member order follows the vendor sample too.
        let order = [
            "notification",
            "objectid",
            "notificationid",
            "params",
            "AccountName",
        ];
        let positions: Vec<_> = order.iter().map(|m| text.find(m).unwrap()).collect();
        assert!(positions.is_sorted(), "{text}");
    }
}
