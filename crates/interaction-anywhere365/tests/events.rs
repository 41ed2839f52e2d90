//! Every event code through the engine: what it maps to in each state that matters, and the
//! transfer inference of the page's "Additional note".
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{ALICE, BOB, Broker, CALL, CAROL, SUB, event, with, without};
use interaction_anywhere365::{EventInput, Subscriptions, decode_event, event_item, map_event};
use interaction_core::{
    Action, Actor, AgentId, Callee, Caller, Direction, Effect, Engine, ErrorKind, Input,
    InteractionId, Media, Name, Outcome, Presence, StateKind, Value,
};
use serde_json::json;

const LOGGED_IN: u64 = 0;
const LOGGED_OFF: u64 = 1;
const HUNTING: u64 = 3;
const CONNECTED: u64 = 4;
const DISCONNECTED: u64 = 5;
const ON_HOLD: u64 = 6;
const RETRIEVE: u64 = 7;

fn agent(id: &str) -> AgentId {
    AgentId::parse(id, "agent").unwrap()
}

/// A broker where `CALL` is connected to Alice (Hunting then Connected).
fn connected_to_alice() -> Broker {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL)).step();
    broker.event(&event(CONNECTED, ALICE, CALL)).step();
    assert_eq!(broker.state(CALL), Some("connected"));
    broker
}

// ---- 0 LoggedIn, 1 LoggedOff ----

#[test]
fn logged_in_logs_the_agent_in() {
    let mut broker = Broker::new();
    let login = with(event(LOGGED_IN, ALICE, ""), "ani", json!(""));
    let applied = broker.event(&login);
    assert_eq!(applied.action, "log_in");
    assert!(applied.result.unwrap().is_none());
    assert_eq!(broker.presence(ALICE), Some(Presence::LoggedIn));
    // No callId at all is a success too.
    broker.event(&event(LOGGED_OFF, ALICE, ""));
    broker.event(&without(event(LOGGED_IN, ALICE, ""), "callId"));
    assert_eq!(broker.presence(ALICE), Some(Presence::LoggedIn));
}

#[test]
fn a_failed_login_leaves_or_makes_the_agent_logged_out() {
    let mut broker = Broker::new();
    let failed = event(LOGGED_IN, BOB, "failed");
    let item = event_item(
        &serde_json::to_vec(&failed).unwrap(),
        &broker.engine,
        &broker.subscriptions,
    );
    assert_eq!(item.result, Ok(EventInput::LoginFailed(agent(BOB))));
    assert_eq!(item.action, "log_out");
    assert_eq!(item.call_id, None, "a login's callId is not a call");
    broker.event(&failed);
    assert_eq!(broker.presence(BOB), Some(Presence::LoggedOut));
    // Logged in, then a failed login: logged out.
    broker.event(&event(LOGGED_IN, BOB, ""));
    broker.event(&failed);
    assert_eq!(broker.presence(BOB), Some(Presence::LoggedOut));
}

#[test]
fn logged_off_logs_the_agent_out() {
    let mut broker = Broker::new();
    broker.event(&event(LOGGED_IN, ALICE, ""));
    let applied = broker.event(&event(LOGGED_OFF, ALICE, "anything"));
    assert_eq!(applied.action, "log_out");
    assert_eq!(broker.presence(ALICE), Some(Presence::LoggedOut));
}

// ---- 3 Hunting ----

#[test]
fn hunting_offers_a_new_call_keeping_the_ani() {
    let mut broker = Broker::new();
    let applied = broker.event(&event(HUNTING, ALICE, CALL));
    assert_eq!(applied.action, "offer");
    let step = applied.step();
    assert_eq!((step.from, step.to), (None, Some(StateKind::Offered)));
    let it = broker.engine.interaction(CALL).unwrap();
    assert_eq!(it.state().offered_to(), Some(&agent(ALICE)));
    assert_eq!(
        (it.media(), it.direction()),
        (Media::Live, Direction::Inbound)
    );
    assert_eq!(
        it.user_data().get("ani"),
        Some(&Value::String("+31612345678".into()))
    );
}

#[test]
fn hunting_moves_on_to_the_next_agent_and_repeats_are_restated() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL));
    let again = broker.event(&event(HUNTING, ALICE, CALL)).step();
    assert_eq!(
        (again.outcome, again.from, again.to),
        (
            Outcome::Applied,
            Some(StateKind::Offered),
            Some(StateKind::Offered)
        )
    );
    broker.event(&event(HUNTING, BOB, CALL)).step();
    let it = broker.engine.interaction(CALL).unwrap();
    assert_eq!(it.state().offered_to(), Some(&agent(BOB)));
}

#[test]
fn hunting_for_an_outbound_call_without_ani() {
    let mut broker = Broker::new();
    let body = without(
        with(event(HUNTING, ALICE, CALL), "SessionType", json!(1)),
        "ani",
    );
    broker.event(&body).step();
    let it = broker.engine.interaction(CALL).unwrap();
    assert_eq!(it.direction(), Direction::Outbound);
    assert!(it.user_data().is_empty());
}

#[test]
fn hunting_needs_the_session_type_only_to_create_the_call() {
    let mut broker = Broker::new();
    let no_type = without(event(HUNTING, ALICE, CALL), "SessionType");
    let err = broker.event(&no_type).error();
    assert_eq!(err.kind(), ErrorKind::MissingField);
    assert!(err.to_string().contains("SessionType"));
    broker.event(&event(HUNTING, ALICE, CALL)).step();
    broker
        .event(&without(event(HUNTING, BOB, CALL), "SessionType"))
        .step();
}

#[test]
fn hunting_on_a_connected_call_is_refused_by_the_engine() {
    let mut broker = connected_to_alice();
    let err = broker.event(&event(HUNTING, BOB, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
}

// ---- 4 Connected ----

#[test]
fn connected_accepts_the_offer() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL));
    let applied = broker.event(&event(CONNECTED, ALICE, CALL));
    assert_eq!(applied.action, "accept");
    let step = applied.step();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Offered), Some(StateKind::Connected))
    );
    assert_eq!(
        broker.engine.interaction(CALL).unwrap().state().owner(),
        Some(&agent(ALICE))
    );
    // The same Connected again restates it.
    let again = broker.event(&event(CONNECTED, ALICE, CALL));
    assert_eq!(again.action, "assign");
    assert_eq!(again.step().from, again.step().to);
}

#[test]
fn connected_by_another_agent_than_the_offered_one_assigns_it() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL));
    let applied = broker.event(&event(CONNECTED, BOB, CALL));
    assert_eq!(applied.action, "assign");
    assert_eq!(
        broker.engine.interaction(CALL).unwrap().state().owner(),
        Some(&agent(BOB))
    );
}

#[test]
fn connected_for_an_unseen_outbound_call_creates_it_connected() {
    let mut broker = Broker::new();
    let dial = with(event(CONNECTED, ALICE, CALL), "SessionType", json!(1));
    let applied = broker.event(&with(dial, "ani", json!("+31880000000")));
    assert_eq!(applied.action, "assign");
    let step = applied.step();
    assert_eq!((step.from, step.to), (None, Some(StateKind::Connected)));
    let it = broker.engine.interaction(CALL).unwrap();
    assert_eq!(it.direction(), Direction::Outbound);
    assert_eq!(it.state().owner(), Some(&agent(ALICE)));
}

#[test]
fn connected_answers_a_dialing_call() {
    let mut broker = Broker::new();
    let mut effects = Vec::new();
    let dial = Input::new(
        InteractionId::parse(CALL, "id").unwrap(),
        Action::Dial {
            from: Caller::Agent(agent(ALICE)),
            to: Callee::Number(Name::parse("+31880000000", "to").unwrap()),
            media: Media::Live,
        },
        Actor::Agent(agent(ALICE)),
    );
    broker.engine.apply(dial, &mut effects).unwrap();
    let applied = broker.event(&with(
        event(CONNECTED, ALICE, CALL),
        "SessionType",
        json!(1),
    ));
    assert_eq!(applied.action, "answer");
    let step = applied.step();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Dialing), Some(StateKind::Connected))
    );
}

#[test]
fn connected_while_another_agent_owns_the_call_is_refused() {
    let mut broker = connected_to_alice();
    let err = broker.event(&event(CONNECTED, BOB, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
}

// ---- 5 Disconnected ----

#[test]
fn disconnected_by_the_offered_agent_withdraws_the_offer() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL));
    let applied = broker.event(&event(DISCONNECTED, ALICE, CALL));
    assert_eq!(applied.action, "disconnect");
    assert_eq!(applied.step().to, Some(StateKind::Queued));
    assert!(matches!(
        applied.effects[..],
        [Effect::Redistribute { target: None, .. }]
    ));
}

#[test]
fn disconnected_by_the_owner_ends_the_call() {
    let mut broker = connected_to_alice();
    let step = broker.event(&event(DISCONNECTED, ALICE, CALL)).step();
    assert_eq!(step.to, Some(StateKind::Ended));
    assert_eq!(
        step.reason.map(interaction_core::EndReason::name),
        Some("disconnected")
    );
    // A repeat restates the end; anything else for the call is already_ended.
    assert_eq!(
        broker
            .event(&event(DISCONNECTED, ALICE, CALL))
            .step()
            .outcome,
        Outcome::Applied
    );
    let err = broker.event(&event(HUNTING, BOB, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::AlreadyEnded);
}

#[test]
fn disconnected_by_any_other_agent_is_ignored() {
    let mut broker = connected_to_alice();
    let before = broker.engine.clone();
    let applied = broker.event(&event(DISCONNECTED, CAROL, CALL));
    assert_eq!(applied.step().outcome, Outcome::Ignored);
    assert_eq!(broker.engine, before);
}

#[test]
fn disconnected_for_an_unknown_call_is_refused() {
    let mut broker = Broker::new();
    let err = broker.event(&event(DISCONNECTED, ALICE, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::UnknownInteraction);
}

// ---- 6 OnHold ----

#[test]
fn on_hold_holds_the_call_of_its_owner() {
    let mut broker = connected_to_alice();
    let applied = broker.event(&event(ON_HOLD, ALICE, CALL));
    assert_eq!(applied.action, "hold");
    assert_eq!(applied.step().to, Some(StateKind::Held));
    // Again: restated.
    let again = broker.event(&event(ON_HOLD, ALICE, CALL)).step();
    assert_eq!(
        (again.from, again.to),
        (Some(StateKind::Held), Some(StateKind::Held))
    );
}

#[test]
fn on_hold_by_another_agent_is_refused_naming_the_owner() {
    let mut broker = connected_to_alice();
    let err = broker.event(&event(ON_HOLD, BOB, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
    assert!(err.to_string().contains(ALICE), "{err}");
    assert!(err.to_string().contains(BOB), "{err}");
}

#[test]
fn on_hold_of_an_offered_call_is_refused_by_the_engine() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL));
    let err = broker.event(&event(ON_HOLD, ALICE, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
}

// ---- 7 Retrieve, and transfer inference ----

#[test]
fn retrieve_by_the_holder_retrieves_it() {
    let mut broker = connected_to_alice();
    broker.event(&event(ON_HOLD, ALICE, CALL));
    let applied = broker.event(&event(RETRIEVE, ALICE, CALL));
    assert_eq!(applied.action, "retrieve");
    let step = applied.step();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Held), Some(StateKind::Connected))
    );
    assert!(
        applied.effects.is_empty(),
        "a failed transfer reports no transfer"
    );
    assert_eq!(
        broker.engine.interaction(CALL).unwrap().state().owner(),
        Some(&agent(ALICE))
    );
}

#[test]
fn retrieve_by_another_agent_after_on_hold_is_a_completed_transfer() {
    let mut broker = connected_to_alice();
    broker.event(&event(ON_HOLD, ALICE, CALL));
    let applied = broker.event(&event(RETRIEVE, BOB, CALL));
    assert_eq!(applied.action, "transferred");
    let step = applied.step();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Held), Some(StateKind::Connected))
    );
    assert_eq!(
        applied.effects,
        [Effect::Transferred {
            interaction: InteractionId::parse(CALL, "id").unwrap(),
            from: Some(agent(ALICE)),
            to: agent(BOB),
        }]
    );
    // "The Agent that initiated the transfer ... is now disconnected": her Disconnected is
    // stale; Bob owns the call and his Disconnected ends it.
    assert_eq!(
        broker
            .event(&event(DISCONNECTED, ALICE, CALL))
            .step()
            .outcome,
        Outcome::Ignored
    );
    assert_eq!(broker.state(CALL), Some("connected"));
    let end = broker.event(&event(DISCONNECTED, BOB, CALL)).step();
    assert_eq!(end.to, Some(StateKind::Ended));
}

#[test]
fn retrieve_by_another_agent_without_on_hold_is_refused() {
    let mut broker = connected_to_alice();
    let err = broker.event(&event(RETRIEVE, BOB, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
    assert!(err.to_string().contains("OnHold"), "{err}");
}

#[test]
fn retrieve_of_a_connected_call_by_its_owner_is_restated() {
    let mut broker = connected_to_alice();
    let step = broker.event(&event(RETRIEVE, ALICE, CALL)).step();
    assert_eq!(
        (step.outcome, step.from, step.to),
        (
            Outcome::Applied,
            Some(StateKind::Connected),
            Some(StateKind::Connected)
        )
    );
}

#[test]
fn retrieve_of_an_offered_call_is_refused_by_the_engine() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL));
    let err = broker.event(&event(RETRIEVE, BOB, CALL)).error();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
}

// ---- Every other eventType ----

#[test]
fn every_other_event_type_is_unsupported() {
    let mut broker = Broker::new();
    for code in [
        json!(2),
        json!(8),
        json!(14),
        json!(-1),
        json!(3.5),
        json!("Transfer"),
        json!("hunting"),
    ] {
        let applied = broker.event(&with(
            event(HUNTING, ALICE, CALL),
            "eventType",
            code.clone(),
        ));
        let err = applied.error();
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{code}");
        assert!(err.to_string().contains("eventType"), "{err}");
        assert_eq!(
            applied.action,
            code.as_str()
                .map_or_else(|| code.to_string(), str::to_owned)
        );
    }
}

#[test]
fn event_types_and_session_types_may_come_as_names() {
    let mut broker = Broker::new();
    let named = json!({
        "SubscriptionId": SUB, "SessionType": "Outbound", "ImAddress": ALICE,
        "eventType": "Hunting", "callId": CALL, "ani": ""
    });
    broker.event(&named).step();
    let it = broker.engine.interaction(CALL).unwrap();
    assert_eq!(it.direction(), Direction::Outbound);
    assert!(it.user_data().is_empty(), "an empty ani is no ani");
}

// ---- Subscriptions ----

#[test]
fn events_for_an_unsubscribed_subscription_are_refused() {
    let mut broker = Broker::new();
    broker
        .subscriptions
        .subscribe(interaction_anywhere365::SubscriptionId::parse(SUB, "id").unwrap())
        .unwrap();
    broker.event(&event(HUNTING, ALICE, CALL)).step();
    broker.subscriptions.unsubscribe(SUB).unwrap();
    for code in [LOGGED_IN, CONNECTED, DISCONNECTED] {
        let err = broker.event(&event(code, ALICE, CALL)).error();
        assert_eq!(err.kind(), ErrorKind::InvalidField);
        assert!(err.to_string().contains("SubscriptionId"), "{err}");
        assert!(err.to_string().contains(SUB), "{err}");
    }
    // Another subscription's events still go through.
    let other = with(
        event(CONNECTED, ALICE, CALL),
        "SubscriptionId",
        json!("other-subscription"),
    );
    broker.event(&other).step();
}

#[test]
fn an_accepted_event_makes_its_subscription_known() {
    let mut broker = Broker::new();
    broker.event(&event(HUNTING, ALICE, CALL)).step();
    assert!(broker.subscriptions.is_live(SUB));
    // A refused event does not.
    let mut fresh = Broker::new();
    fresh.event(&event(DISCONNECTED, ALICE, CALL)).error();
    assert!(!fresh.subscriptions.is_live(SUB));
}

// ---- The mapping reads, never writes ----

#[test]
fn map_event_reads_the_engine_and_subscriptions_without_changing_them() {
    let engine = Engine::new();
    let subscriptions = Subscriptions::new();
    let decoded = decode_event(&serde_json::to_vec(&event(HUNTING, ALICE, CALL)).unwrap()).unwrap();
    let EventInput::Apply(input) = map_event(&decoded, &engine, &subscriptions).unwrap() else {
        panic!("not an input");
    };
    assert_eq!(input.actor, Actor::Platform);
    assert_eq!(
        input.action,
        Action::Offer {
            agent: agent(ALICE)
        }
    );
    let first = input.first_sight.unwrap();
    assert_eq!(
        (first.media, first.direction),
        (Media::Live, Direction::Inbound)
    );
    assert_eq!(engine, Engine::new());
    assert_eq!(subscriptions, Subscriptions::new());
}
