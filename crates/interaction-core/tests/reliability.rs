//! The engine's promises of MODEL.md section 11, one test each: ids never resurrected,
//! idempotency keys scoped and bound to their request, one namespace per vendor API, and every
//! store bounded by a setting with a typed refusal when full. Each refusal leaves the engine
//! exactly as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{
    Action, Actor, Api, ApiSet, Direction, EndReason, Engine, EngineSettings, Error, ErrorKind,
    IdempotencyKey, Input, MAX_USER_DATA_BYTES, Media, Name, Number, Outcome, ProviderSettings,
    Refusal, StateKind, Step, UserData, Value,
};

mod common;

use common::{agent, ix, provider, provider_name};

fn dispatch() -> Action {
    Action::Dispatch {
        route: Name::parse("r", "route").unwrap(),
        media: Media::Live,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    }
}

fn apply(engine: &mut Engine, input: Input) -> Result<Step, Error> {
    engine
        .apply(input, &mut Vec::new())
        .map_err(interaction_core::Error::from)
}

/// Applies `input`, which must be refused with `kind`, and checks that nothing changed.
fn refused(engine: &mut Engine, input: Input, kind: ErrorKind) -> Error {
    let before = engine.clone();
    let mut effects = Vec::new();
    let err = engine.apply(input, &mut effects).unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(*engine, before, "a refusal changed the engine");
    assert!(effects.is_empty());
    interaction_core::Error::from(err)
}

/// Creates `id` through `api` and ends it with a platform release.
fn created_and_ended(engine: &mut Engine, id: &str, api: Api) {
    apply(
        engine,
        Input::new(ix(id), dispatch(), Actor::Platform).via(api),
    )
    .unwrap();
    apply(
        engine,
        Input::new(ix(id), Action::Release, Actor::Platform).via(api),
    )
    .unwrap();
}

// ---------------------------------------------------------------------------------------------
// Never resurrected
// ---------------------------------------------------------------------------------------------

#[test]
fn a_late_first_sight_fact_never_revives_a_forgotten_id() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: 1,
        ..EngineSettings::default()
    });
    created_and_ended(&mut engine, "old", Api::Gws);
    created_and_ended(&mut engine, "newer", Api::Gws);
    assert!(engine.interaction("old").is_none(), "beyond max_ended");
    assert_eq!(engine.forgotten("old"), Some(EndReason::Released));

    // A GWS `Established` or an Anywhere365 event seen late: a platform assign or offer with
    // first-sight data. Refused, not created.
    for action in [
        Action::Assign { agent: agent("a") },
        Action::Offer { agent: agent("a") },
    ] {
        let late = Input::new(ix("old"), action, Actor::Platform)
            .with_first_sight(Media::Chat, Direction::Inbound)
            .via(Api::Gws);
        let err = refused(&mut engine, late, ErrorKind::AlreadyEnded);
        assert!(err.to_string().contains("`old` already ended"), "{err}");
    }
    // A new creation of the same id too: ended is absorbing.
    refused(
        &mut engine,
        Input::new(ix("old"), dispatch(), Actor::Platform).via(Api::Gws),
        ErrorKind::AlreadyEnded,
    );
    // The platform restating the end is an applied no-op, as while it was held.
    let restated = apply(
        &mut engine,
        Input::new(ix("old"), Action::Release, Actor::Platform).via(Api::Gws),
    )
    .unwrap();
    assert_eq!(restated.outcome, Outcome::Applied);
    assert_eq!(restated.to, Some(StateKind::Ended));
    assert_eq!(restated.reason, Some(EndReason::Released));
    assert!(engine.interaction("old").is_none());
}

#[test]
#[cfg(feature = "serde")]
fn fingerprints_are_bounded_and_survive_a_snapshot() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: 0,
        max_forgotten: 3,
        ..EngineSettings::default()
    });
    for i in 0..5 {
        created_and_ended(&mut engine, &format!("e{i}"), Api::Vcc);
    }
    assert_eq!(engine.forgotten_len(), 3);
    assert_eq!(
        engine.forgotten("e0"),
        None,
        "the oldest fingerprint went first"
    );
    assert_eq!(engine.forgotten("e4"), Some(EndReason::Released));
    let restored: Engine = serde_json::from_str(&serde_json::to_string(&engine).unwrap()).unwrap();
    assert_eq!(restored, engine);
    assert_eq!(restored.forgotten("e2"), Some(EndReason::Released));
}

// ---------------------------------------------------------------------------------------------
// Idempotency scope
// ---------------------------------------------------------------------------------------------

fn requestid(provider: Option<&str>, value: &str) -> IdempotencyKey {
    IdempotencyKey::scoped("requestid", provider, value).unwrap()
}

fn with_providers(names: &[&str]) -> Engine {
    let mut engine = Engine::new();
    for name in names {
        engine
            .register_provider(provider_name(name), ProviderSettings::default())
            .unwrap();
    }
    engine
}

#[test]
fn keys_of_different_providers_never_collide() {
    let mut engine = with_providers(&["A", "B"]);
    let a = Input::new(ix("x1"), dispatch(), provider("A")).with_key(requestid(Some("A"), "r1"));
    let b = Input::new(ix("x2"), dispatch(), provider("B")).with_key(requestid(Some("B"), "r1"));
    let none =
        Input::new(ix("x3"), dispatch(), Actor::Provider(None)).with_key(requestid(None, "r1"));
    for input in [a, b, none] {
        assert_eq!(apply(&mut engine, input).unwrap().outcome, Outcome::Applied);
    }
    assert_eq!(engine.live(), 3);
}

#[test]
fn the_same_key_with_another_request_is_a_conflict_and_the_same_request_a_duplicate() {
    let mut engine = with_providers(&["A"]);
    let key = requestid(Some("A"), "r1");
    let first = Input::new(ix("x1"), dispatch(), provider("A")).with_key(key.clone());
    apply(&mut engine, first.clone()).unwrap();
    // A release reusing its dispatch's requestid is another request.
    let release = Input::new(ix("x1"), Action::Release, provider("A")).with_key(key.clone());
    let err = refused(&mut engine, release, ErrorKind::IdempotencyConflict);
    assert_eq!(
        err.to_string(),
        "idempotency conflict: `requestid` `r1` already named a different request in scope `A`"
    );
    // The same request again is a duplicate, answered as the first time.
    let again = apply(&mut engine, first).unwrap();
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert_eq!(again.to, Some(StateKind::Queued));
    // A callback reusing an AssignToAgent's notificationid for a Release: another request.
    let note = IdempotencyKey::scoped("notificationid", Some("acct"), "n1").unwrap();
    let assign = Input::new(
        ix("x1"),
        Action::Assign { agent: agent("5") },
        Actor::Platform,
    )
    .with_key(note.clone());
    apply(&mut engine, assign).unwrap();
    let release = Input::new(ix("x1"), Action::Release, Actor::Platform).with_key(note);
    refused(&mut engine, release, ErrorKind::IdempotencyConflict);
    assert_eq!(
        engine.interaction("x1").unwrap().state().kind(),
        StateKind::Connected
    );
}

// ---------------------------------------------------------------------------------------------
// One namespace per vendor API
// ---------------------------------------------------------------------------------------------

#[test]
fn another_vendor_api_may_not_act_on_an_interaction() {
    let mut engine = Engine::new();
    apply(
        &mut engine,
        Input::new(ix("v1"), dispatch(), Actor::Provider(None)).via(Api::Vcc),
    )
    .unwrap();
    apply(
        &mut engine,
        Input::new(
            ix("v1"),
            Action::Assign { agent: agent("a") },
            Actor::Platform,
        )
        .via(Api::Vcc),
    )
    .unwrap();
    assert_eq!(engine.interaction("v1").unwrap().api(), Api::Vcc);
    for (action, actor) in [
        (Action::Hold, Actor::Platform),
        (Action::Assign { agent: agent("b") }, Actor::Platform),
        (Action::Release, Actor::Agent(agent("a"))),
    ] {
        let input = Input::new(ix("v1"), action, actor).via(Api::Gws);
        let err = refused(&mut engine, input, ErrorKind::NotPermitted);
        let text = err.to_string();
        assert!(
            text.contains("vcc API") && text.contains("gws API"),
            "{text}"
        );
    }
    // The core's own actions act on any interaction.
    let hold = Input::new(ix("v1"), Action::Hold, Actor::Platform);
    assert_eq!(apply(&mut engine, hold).unwrap().to, Some(StateKind::Held));
}

#[test]
fn shared_apis_map_namespaces_on_purpose() {
    let mut engine = Engine::with_settings(EngineSettings {
        shared_apis: ApiSet::of([Api::Vcc, Api::Gws]),
        ..EngineSettings::default()
    });
    apply(
        &mut engine,
        Input::new(ix("v1"), dispatch(), Actor::Provider(None)).via(Api::Vcc),
    )
    .unwrap();
    let gws = Input::new(
        ix("v1"),
        Action::Assign { agent: agent("a") },
        Actor::Platform,
    )
    .via(Api::Gws);
    assert_eq!(
        apply(&mut engine, gws).unwrap().to,
        Some(StateKind::Connected)
    );
    let a365 = Input::new(ix("v1"), Action::Hold, Actor::Platform).via(Api::Anywhere365);
    refused(&mut engine, a365, ErrorKind::NotPermitted);
}

#[test]
fn a_forgotten_interaction_keeps_its_namespace() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: 0,
        ..EngineSettings::default()
    });
    created_and_ended(&mut engine, "g1", Api::Gws);
    let other = Input::new(
        ix("g1"),
        Action::Offer { agent: agent("a") },
        Actor::Platform,
    )
    .with_first_sight(Media::Live, Direction::Inbound)
    .via(Api::Anywhere365);
    refused(&mut engine, other, ErrorKind::NotPermitted);
}

// ---------------------------------------------------------------------------------------------
// Bounds
// ---------------------------------------------------------------------------------------------

#[test]
fn max_live_refuses_one_more_live_interaction() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_live: 2,
        ..EngineSettings::default()
    });
    for id in ["l1", "l2"] {
        apply(&mut engine, Input::new(ix(id), dispatch(), Actor::Platform)).unwrap();
    }
    let err = refused(
        &mut engine,
        Input::new(ix("l3"), dispatch(), Actor::Platform),
        ErrorKind::NotPermitted,
    );
    assert!(matches!(
        err,
        interaction_core::Error::Refused(Refusal::LimitReached {
            setting: "max_live",
            limit: 2,
            ..
        })
    ));
    assert!(err.to_string().contains("max_live"), "{err}");
    // An ended interaction does not count.
    apply(
        &mut engine,
        Input::new(ix("l1"), Action::Release, Actor::Platform),
    )
    .unwrap();
    apply(
        &mut engine,
        Input::new(ix("l3"), dispatch(), Actor::Platform),
    )
    .unwrap();
}

#[test]
fn max_agents_refuses_one_more_agent_by_any_path() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_agents: 1,
        ..EngineSettings::default()
    });
    engine.log_in(agent("a")).unwrap();
    let before = engine.clone();
    let err = engine.log_in(agent("b")).unwrap_err();
    assert!(matches!(
        err,
        Refusal::LimitReached {
            setting: "max_agents",
            ..
        }
    ));
    assert_eq!(engine, before);
    assert!(
        engine.log_out(agent("a")).is_ok(),
        "a known agent is no new one"
    );
    apply(
        &mut engine,
        Input::new(ix("i"), dispatch(), Actor::Platform),
    )
    .unwrap();
    refused(
        &mut engine,
        Input::new(
            ix("i"),
            Action::Offer { agent: agent("b") },
            Actor::Platform,
        ),
        ErrorKind::NotPermitted,
    );
    let offered = Input::new(
        ix("i"),
        Action::Offer { agent: agent("a") },
        Actor::Platform,
    );
    assert_eq!(
        apply(&mut engine, offered).unwrap().to,
        Some(StateKind::Offered)
    );
}

#[test]
fn max_providers_refuses_one_more_provider() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_providers: 1,
        ..EngineSettings::default()
    });
    engine
        .register_provider(provider_name("p"), ProviderSettings::default())
        .unwrap();
    let before = engine.clone();
    let err = engine
        .register_provider(provider_name("q"), ProviderSettings::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotPermitted);
    assert_eq!(engine, before);
    assert!(
        engine
            .register_provider(provider_name("p"), ProviderSettings::default())
            .is_ok(),
        "an upsert is no new provider"
    );
}

#[test]
fn user_data_is_bounded_per_input_and_per_interaction() {
    let big = |n: usize| -> UserData {
        [("k".to_owned(), Value::String("x".repeat(n)))]
            .into_iter()
            .collect()
    };
    let mut engine = Engine::new();
    let over = Input::new(
        ix("u"),
        Action::Dispatch {
            route: Name::parse("r", "route").unwrap(),
            media: Media::Chat,
            direction: Direction::Inbound,
            user_data: big(MAX_USER_DATA_BYTES),
        },
        Actor::Platform,
    );
    let err = refused(&mut engine, over, ErrorKind::InvalidField);
    assert!(err.to_string().contains("user_data"), "{err}");

    apply(
        &mut engine,
        Input::new(ix("u"), dispatch(), Actor::Platform),
    )
    .unwrap();
    apply(
        &mut engine,
        Input::new(
            ix("u"),
            Action::Assign { agent: agent("a") },
            Actor::Platform,
        ),
    )
    .unwrap();
    let half = MAX_USER_DATA_BYTES / 2;
    let update = |key: &str| Action::UpdateUserData {
        user_data: [(key.to_owned(), Value::String("y".repeat(half)))]
            .into_iter()
            .collect(),
    };
    apply(
        &mut engine,
        Input::new(ix("u"), update("a"), Actor::Platform),
    )
    .unwrap();
    // Replacing a value does not add its old size twice.
    apply(
        &mut engine,
        Input::new(ix("u"), update("a"), Actor::Platform),
    )
    .unwrap();
    // A second half does not fit.
    refused(
        &mut engine,
        Input::new(ix("u"), update("b"), Actor::Platform),
        ErrorKind::InvalidField,
    );
    // Deleting frees it.
    let delete = Action::DeleteUserData {
        keys: vec!["a".to_owned()],
    };
    apply(&mut engine, Input::new(ix("u"), delete, Actor::Platform)).unwrap();
    apply(
        &mut engine,
        Input::new(ix("u"), update("b"), Actor::Platform),
    )
    .unwrap();
    let numbers: UserData = (0..10)
        .map(|i| {
            (
                format!("n{i}"),
                Value::Number(Number::from_f64(1e308).unwrap()),
            )
        })
        .collect();
    let attach = Action::AttachUserData { user_data: numbers };
    apply(&mut engine, Input::new(ix("u"), attach, Actor::Platform)).unwrap();
}

#[test]
#[cfg(feature = "serde")]
fn a_snapshot_the_engine_could_not_have_written_is_refused() {
    let mut engine = Engine::new();
    created_and_ended(&mut engine, "e", Api::Core);
    let mut json: serde_json::Value = serde_json::to_value(&engine).unwrap();
    json["ended"] = serde_json::json!(["e", "ghost"]);
    let err = serde_json::from_value::<Engine>(json).unwrap_err();
    assert!(err.to_string().contains("ended"), "{err}");
}
