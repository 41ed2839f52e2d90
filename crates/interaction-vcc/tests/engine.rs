//! End to end with the core engine: register, Invoke dispatch with a provider, AssignToAgent
//! callback, a duplicate callback, and a release by the wrong provider.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use interaction_core::{
    AgentId, Effect, Engine, ErrorKind, InteractionId, Notification, Outcome, ProviderName,
    Registration, StateKind,
};
use interaction_vcc::{Endpoint, decode_callbacks, decode_invoke, decode_register, endpoint};
use serde_json::json;

/// The core input of the first request of an Invoke body (which names its interaction).
fn invoked(body: &[u8]) -> interaction_core::Input {
    let item = decode_invoke(body).unwrap().into_iter().next().unwrap();
    item.result.unwrap().input().unwrap()
}

#[test]
fn register_dispatch_assign_duplicate_and_release() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();

    // POST /interactions/register, the page's "Example body".
    assert_eq!(
        endpoint("https://***.api.newvoicemedia.com/interactions/register"),
        Some(Endpoint::Register)
    );
    let (provider, settings) = decode_register(&fixture("register-example-body.json")).unwrap();
    assert_eq!(
        engine
            .register_provider(provider.clone(), settings)
            .unwrap(),
        Registration::Added
    );
    assert_eq!(
        interaction_vcc::response(Ok(())),
        (200, serde_json::Value::Null)
    );

    // POST /interactions/Invoke: dispatch 88381694 for TestProviderName.
    assert_eq!(endpoint("/interactions/Invoke"), Some(Endpoint::Invoke));
    let dispatch = br#"{"provider": "TestProviderName", "requests": [{"action": "dispatch",
        "requestid": "req-1", "externalid": "88381694", "route": "Route Interaction NR",
        "routingdata": {"interactiontype": "live", "skill": "billing"}}]}"#;
    let step = engine.apply(invoked(dispatch), &mut effects).unwrap();
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(step.to, Some(StateKind::Queued));
    let it = engine.interaction("88381694").unwrap();
    assert_eq!(it.provider(), Some(&provider));
    assert!(it.user_data().contains_key("skill"));
    assert!(effects.is_empty());

    // The same Invoke again: the requestid makes it a duplicate, not already_exists.
    let step = engine.apply(invoked(dispatch), &mut effects).unwrap();
    assert_eq!(step.outcome, Outcome::Duplicate);

    // VCC's AssignToAgent callback: connected to 5464, and the provider is to be notified.
    let callback = fixture("callback-assign-to-agent.json");
    let items = decode_callbacks(&callback).unwrap();
    let step = engine
        .apply(items[0].result.clone().unwrap(), &mut effects)
        .unwrap();
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Queued), Some(StateKind::Connected))
    );
    assert_eq!(
        effects,
        [Effect::Notify {
            provider: provider.clone(),
            interaction: id("88381694"),
            notification: Notification::AssignToAgent {
                agent: AgentId::parse("5464", "AgentId").unwrap()
            },
        }]
    );
    let encoded =
        interaction_vcc::encode_notification(&effects[0], "n-1", "InsightsDemoEMEA").unwrap();
    assert_eq!(
        serde_json::to_value(&encoded).unwrap(),
        json!({"notification": "AssignToAgent", "objectid": "88381694", "notificationid": "n-1",
               "params": {"AccountName": "InsightsDemoEMEA", "AgentId": "5464"}})
    );

    // The same callback delivered twice: duplicate, nothing changes, no effect again.
    effects.clear();
    let before = engine.clone();
    let items = decode_callbacks(&callback).unwrap();
    let step = engine
        .apply(items[0].result.clone().unwrap(), &mut effects)
        .unwrap();
    assert_eq!(step.outcome, Outcome::Duplicate);
    assert!(effects.is_empty());
    assert_eq!(engine, before);

    // Release by Invoke naming another provider: provider_mismatch, 400, nothing changes.
    let release = |provider: &str, requestid: &str| {
        let body = json!({"provider": provider, "requests": [
            {"action": "release", "requestid": requestid, "externalid": "88381694"}]});
        invoked(&serde_json::to_vec(&body).unwrap())
    };
    let err = engine
        .apply(release("OtherProvider", "req-2"), &mut effects)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
    assert!(err.to_string().contains("TestProviderName"), "{err}");
    assert!(err.to_string().contains("OtherProvider"), "{err}");
    let (status, body) = interaction_vcc::response(Err(&err.clone().into()));
    assert_eq!(status, 400);
    assert_eq!(body, json!({"message": err.to_string()}));
    assert_eq!(engine, before);

    // The right provider releases it: ended, and no notification back to the releaser itself.
    let step = engine
        .apply(release("TestProviderName", "req-3"), &mut effects)
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Ended));
    assert!(effects.is_empty(), "{effects:?}");
}

fn id(text: &str) -> InteractionId {
    InteractionId::parse(text, "objectid").unwrap()
}

#[test]
fn a_platform_release_notifies_the_provider() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let (provider, settings) = decode_register(br#"{"provider": "TestProviderName"}"#).unwrap();
    engine
        .register_provider(provider.clone(), settings)
        .unwrap();
    let dispatch = br#"{"provider": "TestProviderName", "requests": [{"externalid": "88381694",
        "route": "R", "routingdata": {"interactiontype": "nonlive"}}]}"#;
    engine.apply(invoked(dispatch), &mut effects).unwrap();
    let items = decode_callbacks(&fixture("callback-release.json")).unwrap();
    let step = engine
        .apply(items[0].result.clone().unwrap(), &mut effects)
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Ended));
    assert_eq!(
        effects,
        [Effect::Notify {
            provider: ProviderName::parse("TestProviderName", "p").unwrap(),
            interaction: id("88381694"),
            notification: Notification::Release,
        }]
    );
}

/// A release for an interaction nobody dispatched: unknown_interaction, answered 404.
#[test]
fn releasing_an_unknown_interaction_is_404() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let err = engine
        .apply(
            invoked(br#"{"requests": [{"action": "release", "externalid": "nope"}]}"#),
            &mut effects,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownInteraction);
    assert_eq!(interaction_vcc::response(Err(&err.clone().into())).0, 404);
}
