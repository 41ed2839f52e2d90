//! Routing data (`interaction_core::Routing`): carried by a dispatch's first sight onto the
//! interaction, kept through snapshots, part of the request an idempotency key names; and an id
//! the adapter drew left out of that request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{agent, ix, key, name};
use interaction_core::{
    Action, Actor, Direction, Engine, ErrorKind, FirstSight, Input, Link, LinkKind, Media, Outcome,
    PersonalQueue, Routing, Skill, StateKind, UserData, Value,
};

fn dispatch() -> Action {
    Action::Dispatch {
        route: name("Route A"),
        media: Media::Nonlive,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    }
}

fn routing(agent_id: &str) -> Routing {
    Routing {
        links: vec![Link {
            kind: LinkKind::Url,
            label: Some("Click me".to_owned()),
            value: Value::String("http://foo.bar.com".to_owned()),
            extra: UserData::new(),
        }],
        personal_queue: Some(PersonalQueue {
            agent: agent(agent_id),
            logged_in_timeout_secs: Some(20),
            logged_out_timeout_secs: Some(30),
        }),
        skills: vec![Skill {
            name: name("skillMandatory"),
            expiry_after_secs: None,
        }],
    }
}

fn routed(id: &str, routing: Routing) -> Input {
    let mut input = Input::new(ix(id), dispatch(), Actor::Provider(None));
    input.first_sight =
        Some(FirstSight::new(Media::Nonlive, Direction::Inbound).with_routing(routing));
    input
}

#[test]
fn a_dispatch_keeps_its_routing_data_and_one_without_keeps_none() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    engine
        .apply(routed("x", routing("AgentUsername")), &mut effects)
        .unwrap();
    let it = engine.interaction("x").unwrap();
    assert_eq!(it.routing(), Some(&routing("AgentUsername")));
    assert_eq!(it.state().kind(), StateKind::Queued);
    assert_eq!(
        it.routing().and_then(Routing::personal_agent),
        Some(&agent("AgentUsername"))
    );

    engine
        .apply(
            Input::new(ix("y"), dispatch(), Actor::Provider(None)),
            &mut effects,
        )
        .unwrap();
    assert_eq!(engine.interaction("y").unwrap().routing(), None);
    // Empty routing data is none.
    engine
        .apply(routed("z", Routing::default()), &mut effects)
        .unwrap();
    assert_eq!(engine.interaction("z").unwrap().routing(), None);
    assert!(effects.is_empty());
}

#[test]
fn a_first_sight_offer_keeps_its_routing_data() {
    let mut engine = Engine::new();
    let mut input = Input::new(
        ix("x"),
        Action::Offer { agent: agent("a") },
        Actor::Platform,
    );
    input.first_sight =
        Some(FirstSight::new(Media::Chat, Direction::Inbound).with_routing(routing("a")));
    engine.apply(input, &mut Vec::new()).unwrap();
    assert_eq!(
        engine.interaction("x").unwrap().routing(),
        Some(&routing("a"))
    );
}

#[cfg(feature = "serde")]
#[test]
fn snapshots_keep_routing_data_and_omit_it_when_there_is_none() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    engine
        .apply(routed("x", routing("AgentUsername")), &mut effects)
        .unwrap();
    engine
        .apply(
            Input::new(ix("y"), dispatch(), Actor::Provider(None)),
            &mut effects,
        )
        .unwrap();
    let text = serde_json::to_string(&engine).unwrap();
    let restored: Engine = serde_json::from_str(&text).unwrap();
    assert_eq!(restored, engine);
    assert_eq!(text.matches("\"routing\"").count(), 1, "{text}");
}

#[test]
fn a_key_names_the_routing_data_too() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let first = routed("x", routing("a")).with_key(key("r1"));
    engine.apply(first.clone(), &mut effects).unwrap();
    assert_eq!(
        engine.apply(first, &mut effects).unwrap().outcome,
        Outcome::Duplicate
    );
    let before = engine.clone();
    let other = routed("x", routing("b")).with_key(key("r1"));
    let err = engine.apply(other, &mut effects).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IdempotencyConflict);
    assert_eq!(engine, before);
}

#[test]
fn a_drawn_id_is_not_part_of_the_request() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let drawn = |id: &str, route: &str| {
        let mut input = Input::new(
            ix(id),
            Action::Dispatch {
                route: name(route),
                media: Media::Live,
                direction: Direction::Inbound,
                user_data: UserData::new(),
            },
            Actor::Provider(None),
        )
        .with_key(key("r1"));
        input.first_sight = Some(FirstSight::new(Media::Live, Direction::Inbound).with_drawn_id());
        input
    };
    let step = engine
        .apply(drawn("dispatch-1", "R"), &mut effects)
        .unwrap();
    assert_eq!(
        (step.outcome, step.to),
        (Outcome::Applied, Some(StateKind::Queued))
    );
    // The same request again, the adapter having drawn another id: a duplicate, nothing made.
    let step = engine
        .apply(drawn("dispatch-2", "R"), &mut effects)
        .unwrap();
    assert_eq!(
        (step.outcome, step.from, step.to),
        (Outcome::Duplicate, None, None)
    );
    assert!(engine.interaction("dispatch-2").is_none());
    // Another request under the same key: a conflict.
    let err = engine
        .apply(drawn("dispatch-3", "S"), &mut effects)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IdempotencyConflict);
    // Without the mark, the id is part of the request: another id is another request.
    let mut named = drawn("dispatch-4", "R");
    named.first_sight = None;
    let err = engine.apply(named, &mut effects).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IdempotencyConflict);
}
