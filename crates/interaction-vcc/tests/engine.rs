//! End to end with the core engine, through the crate's public endpoints ([`handle_request`],
//! [`handle_callback`]) as a VCC-only service runs them: register, Invoke dispatch with a
//! provider, the AssignToAgent callback, a duplicate callback, and a release by the wrong
//! provider; each answered as the vendor's pages say.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use interaction_core::{
    AgentId, Effect, Engine, ErrorKind, InteractionId, Notification, Outcome, ProviderName,
    StateKind,
};
use interaction_vcc::endpoint::{Handled, IdKind, IdSource, Item, Request};
use interaction_vcc::{VccSettings, handle_callback, handle_request};
use serde_json::json;

/// Ids for what needs one (none of these tests draws any: every dispatch names its
/// `externalid`).
struct NoIds;

impl IdSource for NoIds {
    fn next_id(&mut self, kind: IdKind) -> String {
        panic!("no id is drawn here ({kind:?})")
    }
}

/// `POST target` with `body` through [`handle_request`].
fn post(engine: &mut Engine, target: &str, body: &[u8]) -> Handled {
    handle_request(
        engine,
        &VccSettings::default(),
        &Request::post(target, body),
        &mut NoIds,
    )
}

/// A callback array VCC pushes, through [`handle_callback`].
fn callback(engine: &mut Engine, body: &[u8]) -> Handled {
    handle_callback(engine, &Request::post("/callback/vcc", body), &mut NoIds)
}

/// The one item of `handled`.
fn item(handled: &Handled) -> &Item {
    match handled.items.as_slice() {
        [item] => item,
        _ => panic!("one item: {handled:?}"),
    }
}

fn id(text: &str) -> InteractionId {
    InteractionId::parse(text, "objectid").unwrap()
}

fn provider() -> ProviderName {
    ProviderName::parse("TestProviderName", "provider").unwrap()
}

#[test]
fn register_dispatch_assign_duplicate_and_release() {
    let mut engine = Engine::new();

    // POST /interactions/register, the page's "Example body": 200, no body.
    let registered = post(
        &mut engine,
        "https://***.api.newvoicemedia.com/interactions/register",
        &fixture("register-example-body.json"),
    );
    assert_eq!(registered.response.status, 200);
    assert_eq!(registered.response.body.to_json(), serde_json::Value::Null);
    assert_eq!(item(&registered).action.as_deref(), Some("register"));
    assert!(engine.provider("TestProviderName").is_some());

    // POST /interactions/Invoke: dispatch 88381694 for TestProviderName.
    let dispatch = br#"{"provider": "TestProviderName", "requests": [{"action": "dispatch",
        "requestid": "req-1", "externalid": "88381694", "route": "Route Interaction NR",
        "routingdata": {"interactiontype": "live", "skill": "billing"}}]}"#;
    let dispatched = post(&mut engine, "/interactions/Invoke", dispatch);
    assert_eq!(dispatched.response.status, 200);
    let first = item(&dispatched);
    assert_eq!(first.outcome, Ok(Outcome::Applied));
    assert_eq!(first.to, Some(StateKind::Queued));
    assert!(first.effects.is_empty());
    assert!(dispatched.outgoing.is_empty(), "a dispatch notifies no one");
    let it = engine.interaction("88381694").unwrap();
    assert_eq!(it.provider(), Some(&provider()));
    assert!(it.user_data().contains_key("skill"));

    // The same Invoke again: the requestid makes it a duplicate, not already_exists.
    let again = post(&mut engine, "/interactions/Invoke", dispatch);
    assert_eq!(again.response.status, 200);
    assert_eq!(item(&again).outcome, Ok(Outcome::Duplicate));

    // VCC's AssignToAgent callback: connected to 5464, the provider's notification among the
    // item's effects; answered 200, and not echoed back to VCC, which sent it.
    let assign = fixture("callback-assign-to-agent.json");
    let assigned = callback(&mut engine, &assign);
    assert_eq!(assigned.response.status, 200);
    let applied = item(&assigned);
    assert_eq!(applied.outcome, Ok(Outcome::Applied));
    assert_eq!(
        (applied.from, applied.to),
        (Some(StateKind::Queued), Some(StateKind::Connected))
    );
    let notify = Effect::Notify {
        provider: provider(),
        interaction: id("88381694"),
        notification: Notification::AssignToAgent {
            agent: AgentId::parse("5464", "AgentId").unwrap(),
        },
    };
    assert_eq!(applied.effects, std::slice::from_ref(&notify));
    assert!(
        assigned.outgoing.is_empty(),
        "a callback is not echoed back"
    );
    // The same notification, caused by other input, is sent as the page's callback element.
    let encoded = interaction_vcc::encode_notification(&notify, "n-1", "InsightsDemoEMEA").unwrap();
    assert_eq!(
        serde_json::to_value(&encoded).unwrap(),
        json!({"notification": "AssignToAgent", "objectid": "88381694", "notificationid": "n-1",
               "params": {"AccountName": "InsightsDemoEMEA", "AgentId": "5464"}})
    );

    // The same callback delivered twice: duplicate, nothing changes, no effect again.
    let before = engine.clone();
    let twice = callback(&mut engine, &assign);
    assert_eq!(twice.response.status, 200);
    assert_eq!(item(&twice).outcome, Ok(Outcome::Duplicate));
    assert!(item(&twice).effects.is_empty());
    assert_eq!(engine, before);

    // Release by Invoke naming another provider: provider_mismatch, 400 with the engine's
    // message, nothing changes.
    let release = |provider: &str, requestid: &str| {
        serde_json::to_vec(&json!({"provider": provider, "requests": [
            {"action": "release", "requestid": requestid, "externalid": "88381694"}]}))
        .unwrap()
    };
    let mismatch = post(
        &mut engine,
        "/interactions/Invoke",
        &release("OtherProvider", "req-2"),
    );
    assert_eq!(mismatch.response.status, 400);
    let err = item(&mismatch).error().unwrap();
    assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
    assert!(err.to_string().contains("TestProviderName"), "{err}");
    assert!(err.to_string().contains("OtherProvider"), "{err}");
    assert_eq!(
        mismatch.response.body.to_json(),
        json!({"message": err.to_string()})
    );
    assert_eq!(engine, before);

    // The right provider releases it: ended, and no notification back to the releaser itself.
    let released = post(
        &mut engine,
        "/interactions/Invoke",
        &release("TestProviderName", "req-3"),
    );
    assert_eq!(released.response.status, 200);
    assert_eq!(item(&released).to, Some(StateKind::Ended));
    assert!(item(&released).effects.is_empty(), "{released:?}");
    assert!(released.outgoing.is_empty());
}

#[test]
fn a_platform_release_notifies_the_provider() {
    let mut engine = Engine::new();
    let registered = post(
        &mut engine,
        "/interactions/register",
        br#"{"provider": "TestProviderName"}"#,
    );
    assert_eq!(registered.response.status, 200);
    let dispatch = br#"{"provider": "TestProviderName", "requests": [{"externalid": "88381694",
        "route": "R", "routingdata": {"interactiontype": "nonlive"}}]}"#;
    let dispatched = post(&mut engine, "/interactions/Invoke", dispatch);
    assert_eq!(item(&dispatched).outcome, Ok(Outcome::Applied));
    let released = callback(&mut engine, &fixture("callback-release.json"));
    assert_eq!(released.response.status, 200);
    assert_eq!(item(&released).to, Some(StateKind::Ended));
    assert_eq!(
        item(&released).effects,
        [Effect::Notify {
            provider: provider(),
            interaction: id("88381694"),
            notification: Notification::Release,
        }]
    );
}

/// A release for an interaction nobody dispatched: unknown_interaction, answered 404.
#[test]
fn releasing_an_unknown_interaction_is_404() {
    let mut engine = Engine::new();
    let before = engine.clone();
    let handled = post(
        &mut engine,
        "/interactions/Invoke",
        br#"{"requests": [{"action": "release", "externalid": "nope"}]}"#,
    );
    assert_eq!(handled.response.status, 404);
    assert_eq!(
        item(&handled).error().unwrap().kind(),
        ErrorKind::UnknownInteraction
    );
    assert_eq!(engine, before);
}
